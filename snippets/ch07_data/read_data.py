# Runs inside a job: Azure ML passes the input's local path as --input_data.
import argparse

import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--input_data", type=str, help="path of a CSV file (a uri_file input)")
args = parser.parse_args()

df = pd.read_csv(args.input_data)
print(f"Read {len(df)} rows and {len(df.columns)} columns: {', '.join(df.columns)}")
