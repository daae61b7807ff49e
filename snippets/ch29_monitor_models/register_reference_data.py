"""Register the model's training data as the monitor's reference: an MLTable."""

import shutil
import sys
from pathlib import Path

import mltable
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
training_data = sys.argv[1]  # the CSV chapter 18's register_custom_model.py trained on

# --8<-- [start:reference]
folder = Path("reference")
folder.mkdir(exist_ok=True)
shutil.copy(training_data, folder / "patients.csv")
# A basic MLTable file (read the CSV, use its header): what monitors surely read
table = mltable.from_delimited_files(paths=[{"file": str(folder / "patients.csv")}])
table.save(str(folder), overwrite=True)  # reference/MLTable, paths relative to it

reference = Data(
    name="diabetes-reference",
    version="1",
    type=AssetTypes.MLTABLE,
    path=str(folder),
    description="The training data of diabetes-custom:1, with the label column Diabetic",
)
ml_client.data.create_or_update(reference)
# --8<-- [end:reference]
