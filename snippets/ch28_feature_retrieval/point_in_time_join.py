"""Build training data with a point-in-time join on a laptop, and see what a naive join leaks.

Writes training_data/ as Azure's feature retrieval component lays out its output:
data/*.parquet and, beside it, the feature retrieval specification.
"""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# --8<-- [start:specs]
feature_set = yaml.safe_load(Path("featuresets/transactions/spec/FeatureSetSpec.yaml").read_text())
retrieval = yaml.safe_load(Path("feature_retrieval_spec/feature_retrieval_spec.yaml").read_text())
key = feature_set["index_columns"][0]["name"]  # accountID
stamp = feature_set["source"]["timestamp_column"]["name"]  # timestamp
source_delay = pd.Timedelta(**feature_set["source"]["source_delay"])
lookback = pd.Timedelta(**feature_set["temporal_join_lookback"])
features = [f["feature_name"] for store in retrieval["feature_stores"] for f in store["features"]
            if f["feature_set"] == "transactions:1"]
# --8<-- [end:specs]

# --8<-- [start:data]
rng = np.random.default_rng(28)
start = pd.Timestamp("2026-11-01")
transactions, observations = [], []
for number in range(60):
    account = f"A{number:03d}"
    minutes = np.sort(rng.uniform(0, 30 * 24 * 60, size=45))  # 30 days of ordinary card use
    transactions.append(pd.DataFrame({key: account, stamp: start + pd.to_timedelta(minutes, unit="min"),
                                      "amount": rng.lognormal(3, 0.6, size=45).round(2)}))
    # One transaction under review per account, between day 20 and day 26, and its label
    reviewed = start + pd.Timedelta(days=rng.uniform(20, 26))
    is_fraud = number % 4 == 0
    observations.append({key: account, stamp: reviewed, "is_fraud": int(is_fraud)})
    if is_fraud:  # a stolen card is drained in the two days AFTER the reviewed transaction
        spree = reviewed + pd.to_timedelta(np.sort(rng.uniform(1, 48 * 60, size=12)), unit="min")
        amounts = rng.uniform(400, 900, size=12)
        transactions.append(pd.DataFrame({key: account, stamp: spree, "amount": amounts}))
transactions = pd.concat(transactions).sort_values([key, stamp], ignore_index=True)
observations = pd.DataFrame(observations)
# --8<-- [end:data]

# --8<-- [start:transform]
# What the feature set's transformation computes: 7-day rolling values at each transaction's time
rolling = transactions.set_index(stamp).groupby(key)["amount"].rolling("7D")
feature_values = pd.DataFrame({
    "transaction_7d_count": rolling.count(),
    "transaction_amount_7d_sum": rolling.sum(),
    "transaction_amount_7d_avg": rolling.mean(),
}).reset_index()
# --8<-- [end:transform]

# --8<-- [start:naive]
# The mistake: join each observation with the account's latest values, computed after the fact
latest = feature_values.sort_values(stamp).groupby(key).tail(1).rename(columns={stamp: "feature_time"})
naive = observations.merge(latest, on=key)
# --8<-- [end:naive]

# --8<-- [start:point_in_time]
# The feature value with the latest timestamp in [t - lookback, t - source_delay], per account
point_in_time = pd.merge_asof(
    observations.assign(as_of=observations[stamp] - source_delay).sort_values("as_of"),
    feature_values.rename(columns={stamp: "feature_time"}).sort_values("feature_time"),
    left_on="as_of", right_on="feature_time", by=key,
    direction="backward", tolerance=lookback - source_delay,
).drop(columns="as_of")
# --8<-- [end:point_in_time]

# --8<-- [start:leak]
for name, joined in (("naive", naive), ("point-in-time", point_in_time)):
    from_the_future = int((joined["feature_time"] > joined[stamp]).sum())
    classifier = make_pipeline(StandardScaler(), LogisticRegression())
    scores = cross_val_score(classifier, joined[features].fillna(0), joined["is_fraud"], cv=5, scoring="roc_auc")
    print(f"{name}: {from_the_future} of {len(joined)} rows use values from after the observation;"
          f" AUC {scores.mean():.2f}")
# --8<-- [end:leak]

# --8<-- [start:write]
output = Path("training_data")
(output / "data").mkdir(parents=True, exist_ok=True)
training_rows = point_in_time[[key, stamp, "is_fraud", *features]]
training_rows.to_parquet(output / "data" / "part-00000.parquet", index=False)
shutil.copy("feature_retrieval_spec/feature_retrieval_spec.yaml", output)
# --8<-- [end:write]
