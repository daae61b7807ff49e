"""Drop incomplete rows and scale the features of the diabetes table to 0-1 (min-max)."""

import argparse
from pathlib import Path

import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--input_data", type=str)
parser.add_argument("--output_data", type=str)
args = parser.parse_args()

df = pd.read_csv(args.input_data).dropna()
features = [column for column in df.columns if column not in ("PatientID", "Diabetic")]
spread = (df[features].max() - df[features].min()).replace(0, 1)
df[features] = (df[features] - df[features].min()) / spread

Path(args.output_data).mkdir(parents=True, exist_ok=True)
df.to_csv(Path(args.output_data) / "diabetes.csv", index=False)
print(f"Prepared {len(df)} rows")
