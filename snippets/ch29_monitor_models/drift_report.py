"""Compare production data with the training data, feature by feature, and write
drift_report.json.

    python drift_report.py patients.csv model_inputs/

The production data is a CSV file or a folder of the data collector's JSON Lines
files (download modelDataCollector/diabetes-endpoint/blue/model_inputs from the
workspace's blob store).
"""

import json
import sys
from pathlib import Path

import pandas as pd
from drift import (
    jensen_shannon_distance,
    normalized_wasserstein_distance,
    pearsons_chi_squared_p_value,
    population_stability_index,
)

# --8<-- [start:thresholds]
# metric: (function, threshold, crossed when the value is "above" it or "below" it)
NUMERICAL = {
    "jensen_shannon_distance": (jensen_shannon_distance, 0.1, "above"),
    "normalized_wasserstein_distance": (normalized_wasserstein_distance, 0.1, "above"),
    "population_stability_index": (population_stability_index, 0.25, "above"),
}
CATEGORICAL = {  # a test: its p-value falls as the distributions part
    "pearsons_chi_squared_test": (pearsons_chi_squared_p_value, 0.05, "below"),
}
# --8<-- [end:thresholds]


# --8<-- [start:read]
def read_production(path: Path) -> pd.DataFrame:
    """A CSV file, or every row of the data collector's .jsonl files (each line's
    "data" holds the rows one collect() call logged)."""
    if path.suffix == ".csv":
        return pd.read_csv(path)
    lines = [line for file in sorted(path.rglob("*.jsonl"))
             for line in file.read_text().splitlines()]
    return pd.DataFrame([row for line in lines for row in json.loads(line)["data"]])
# --8<-- [end:read]


# --8<-- [start:report]
def drift_report(reference: pd.DataFrame, production: pd.DataFrame) -> dict:
    """Each metric of each feature the two tables share: value, threshold, crossed."""
    features = {}
    for column in [name for name in reference.columns if name in production.columns]:
        numerical = pd.api.types.is_numeric_dtype(reference[column])
        metrics = {}
        for metric, (function, threshold, side) in (
                NUMERICAL if numerical else CATEGORICAL).items():
            value = function(reference[column].dropna(), production[column].dropna())
            crossed = value > threshold if side == "above" else value < threshold
            metrics[metric] = {"value": round(value, 4), "threshold": threshold,
                               "crossed": crossed}
        features[column] = metrics
    drifted = [name for name, metrics in features.items()
               if any(result["crossed"] for result in metrics.values())]
    return {"features": features, "drifted": drifted}


if __name__ == "__main__":
    reference = pd.read_csv(sys.argv[1])
    production = read_production(Path(sys.argv[2]))
    report = drift_report(reference, production)
    for feature, metrics in report["features"].items():
        for metric, result in metrics.items():
            flag = "DRIFT" if result["crossed"] else "ok"
            print(f"{feature:<22} {metric:<32} {result['value']:>9.4f}"
                  f"  (threshold {result['threshold']})  {flag}")
    print(f"Drifted features: {', '.join(report['drifted']) or 'none'}")
    Path("drift_report.json").write_text(json.dumps(report, indent=2))
# --8<-- [end:report]
