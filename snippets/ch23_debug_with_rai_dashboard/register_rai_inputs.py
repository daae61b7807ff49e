from pathlib import Path

import mlflow
import mltable
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data, Model
from azure.identity import DefaultAzureCredential
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# The same data, label and split as debug_model_locally.py
data = load_diabetes(as_frame=True, scaled=False).frame
progression = data.pop("target")
data["high_progression"] = (progression > progression.median()).astype(int)
train, test = train_test_split(data, test_size=0.3, random_state=0, stratify=data["high_progression"])
model = make_pipeline(StandardScaler(), LogisticRegression())
model.fit(train.drop(columns="high_progression"), train["high_progression"])

# --8<-- [start:mltable]
# Train and test tables: same columns, label included, each folder with its MLTable file
for split, frame in {"train": train, "test": test}.items():
    folder = Path("rai-data") / split
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / f"{split}.parquet", index=False)
    table = mltable.from_parquet_files(paths=[{"file": str(folder / f"{split}.parquet")}])
    table.save(str(folder))  # writes rai-data/<split>/MLTable with a relative path

    ml_client.data.create_or_update(
        Data(name=f"diabetes-rai-{split}", version="1", type=AssetTypes.MLTABLE, path=str(folder))
    )
# --8<-- [end:mltable]

# --8<-- [start:model]
# The dashboard needs an MLflow model with the scikit-learn flavor, saved as a pickle
mlflow.sklearn.save_model(model, "diabetes-model", serialization_format="cloudpickle")
ml_client.models.create_or_update(
    Model(name="diabetes-progression-clf", version="1", type=AssetTypes.MLFLOW_MODEL, path="diabetes-model")
)
# --8<-- [end:model]
