"""Pipeline step 1: clean the raw diabetes CSV and scale its features to 0-1."""

import argparse
from pathlib import Path

import pandas as pd

LABEL = "Diabetic"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input_data", type=str, help="path to the raw CSV file")
    parser.add_argument("--output_data", type=str, help="folder for the prepared CSV file")
    return parser.parse_args()


# --8<-- [start:clean]
def clean(df):
    # Drop incomplete and duplicate rows
    return df.dropna().drop_duplicates()


def normalise(df):
    # Min-max scaling: every feature column ends up between 0 and 1
    features = df.columns.drop(LABEL)
    low, high = df[features].min(), df[features].max()
    scaled = df.copy()
    scaled[features] = (df[features] - low) / (high - low)
    return scaled


def main(args):
    raw = pd.read_csv(args.input_data)
    prepared = normalise(clean(raw))
    # The output is a FOLDER: Azure ML gives the step an empty folder to write into
    output_folder = Path(args.output_data)
    output_folder.mkdir(parents=True, exist_ok=True)
    prepared.to_csv(output_folder / "diabetes_prepared.csv", index=False)
    print(f"Rows in: {len(raw)}, rows out: {len(prepared)}")
# --8<-- [end:clean]


if __name__ == "__main__":
    main(parse_args())
