"""Extract a raw CSV, clean it, and load the result where training jobs read it."""

import argparse
from pathlib import Path

import pandas as pd


def clean(raw: pd.DataFrame, target: str) -> pd.DataFrame:
    """Tidy column names, then drop exact duplicates and rows without a label."""
    data = raw.rename(columns=lambda name: "_".join(name.strip().lower().replace("-", " ").split()))
    data = data.drop_duplicates()
    return data.dropna(subset=[target]).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", required=True, help="raw CSV file (extract)")
    parser.add_argument("--output", required=True, help="cleaned CSV file (load)")
    parser.add_argument("--target", default="diabetic", help="label column, after renaming")
    args = parser.parse_args()

    raw = pd.read_csv(args.input)
    cleaned = clean(raw, args.target)

    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    cleaned.to_csv(args.output, index=False)
    print(f"kept {len(cleaned)} of {len(raw)} rows -> {args.output}")


if __name__ == "__main__":
    main()
