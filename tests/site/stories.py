"""The site read as a reader works through it: each chapter's scripts, in page order, in one
workspace, after those of the chapters its page says it builds on.

A chapter's steps are the Python snippets its page includes (``--8<--`` lines, in page order)
that a reader runs: a script that uses ``MLClient`` outside any function, or one listed in
``LOCAL_STEPS``. Scripts Azure runs (``src/`` folders: training, scoring, component and flow
code) and notebooks are not steps. Before the first step, the creating scripts of the chapters
the page says it builds on (``BUILDS_ON``, followed through those chapters' own) run in the
same workspace. What a reader supplies (command-line arguments, files of their own, files
uploaded in the studio, environment variables, a step the page says to run again) comes from
the small tables below, each entry with its reason.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tests.conftest import diabetes_csv
from tests.fake_azure import chat_simulator
from tests.fake_azure.workspace import GROUP, NAME, SUBSCRIPTION, FakeWorkspace
from tests.site import pages

CHAPTER_PAGE = re.compile(r"^(?P<number>\d{2})-[\w-]+\.md$")


@dataclass(frozen=True)
class BuildsOn:
    chapter: int
    creates: tuple[str, ...]  # that chapter's scripts whose results this chapter uses, in page order
    quote: str  # the page's words saying so


@dataclass(frozen=True)
class Argument:
    step: str  # the earlier step whose result the reader passes on the command line
    value: str  # a dotted name among that step's globals
    reason: str


@dataclass(frozen=True)
class Again:
    script: str  # an earlier step the page tells the reader to run again before this one
    quote: str


@dataclass(frozen=True)
class Upload:
    datastore: str
    path: str  # where in the datastore the page says to put the file
    content: Callable[[], bytes]  # the reader's file
    quote: str  # the page's words saying so


# Scripts without a module-level MLClient that are steps of their chapter's story all the same.
LOCAL_STEPS = {
    "ch11_mlflow_notebooks/autolog_xgboost.py": "a notebook cell: logs its run to the workspace MLflow points at",
    "ch11_mlflow_notebooks/custom_logging_xgboost.py": "a notebook cell: logs its run to the workspace",
    "ch16_register_mlflow_model/log_model_with_signature.py": "logs the run whose model the chapter registers",
    "ch16_register_mlflow_model/custom_pyfunc_model.py": "logs a custom MLflow model to the workspace",
    "ch28_feature_retrieval/point_in_time_join.py": "writes the training data the chapter's train.py reads",
    "ch28_feature_retrieval/train.py": "writes the model folder the chapter's register_model.py registers",
}
# Steps that read the trials Azure's AutoML and sweep services run: the fake runs command jobs, not
# trials, so these are tested in their chapter's tests against trial runs those tests log themselves.
READS_TRIALS = {
    "ch10_automl/find_best_model.py": "reads the AutoML job's best child run (tests/ch10_automl)",
    "ch14_hyperparameter_tuning/best_trial.py": "reads the sweep's trial runs (tests/ch14_hyperparameter_tuning)",
}
CLUSTER_OF_CHAPTER_6 = ("ch08_compute_targets/compute_cluster.py",)  # chapter 6 includes chapter 8's script
BUILDS_ON = {
    3: (BuildsOn(18, ("ch18_online_endpoint/deploy_mlflow_model.py",),
                 "the MLflow diabetes model (chapter 18 deploys it)"),),
    7: (BuildsOn(6, CLUSTER_OF_CHAPTER_6, "The job runs on `cpu-cluster`, the cluster created in chapter 6"),),
    9: (BuildsOn(6, CLUSTER_OF_CHAPTER_6, "runs on `cpu-cluster`, the cluster created in chapter 6"),),
    10: (BuildsOn(6, CLUSTER_OF_CHAPTER_6, "`cpu-cluster`, the cluster created in chapter 6"),),
    12: (BuildsOn(7, ("ch07_data/data_asset_uri_file.py",), "version 1, registered in chapter 7"),
         BuildsOn(8, ("ch08_compute_targets/compute_cluster.py",), "here `cpu-cluster` from chapter 8")),
    13: (BuildsOn(12, (), "Chapter 12 ran a training script as a command job"),),
    14: (BuildsOn(12, (), "The training script of chapter 12 ran once"),),
    15: (BuildsOn(12, (), "A command job (chapter 12) runs one script"),),
    16: (BuildsOn(12, ("ch12_command_job/submit_job.py",), "the `model` folder written by chapter 12's script"),),
    17: (BuildsOn(15, (), "Submitting works as for any pipeline (chapter 15)"),),
    18: (BuildsOn(16, ("ch16_register_mlflow_model/register_from_job.py",),
                  "A model registered with the type `mlflow_model` (chapter 16)"),),
    19: (BuildsOn(8, ("ch08_compute_targets/compute_cluster.py",), "The cluster from chapter 8 is a good fit"),),
    26: (BuildsOn(9, ("ch09_environments/environment_from_conda.py",),
                  "it shares the environment `sklearn-mlflow` from chapter 9"),
         BuildsOn(16, ("ch16_register_mlflow_model/register_from_job.py",),
                  "the MLflow model `diabetes-classifier` that chapter 16 registers")),
    29: (BuildsOn(18, ("ch18_online_endpoint/register_custom_model.py", "ch18_online_endpoint/create_endpoint.py"),
                  "the endpoint `diabetes-endpoint` and the custom model `diabetes-custom` of chapter 18"),
         BuildsOn(15, ("ch15_pipelines/register_components.py",), "the components chapter 15 registered")),
}
ARGUMENTS = {
    "ch13_mlflow_in_jobs/read_runs.py": Argument("ch13_mlflow_in_jobs/submit_job.py", "returned_job.name",
                                                 "the job submit_job.py submitted (its MLflow run ID)"),
    "ch16_register_mlflow_model/register_from_job.py": Argument("ch12_command_job/submit_job.py", "returned_job.name",
                                                                "the training job of chapter 12 (the page says so)"),
    "ch16_register_mlflow_model/register_with_mlflow.py": Argument(
        "ch12_command_job/submit_job.py", "returned_job.name", "the page: for a job, the MLflow run ID is its name"),
}


def patients_csv(folder: Path) -> str:
    """A reader's training data for chapter 18: the columns of sample-request.json, then Diabetic."""
    columns = list(json.loads((pages.SNIPPETS / "ch18_online_endpoint/sample-request.json").read_text())["data"][0])
    rows = np.random.default_rng(0).uniform(0, 100, size=(40, len(columns)))
    frame = pd.DataFrame(rows, columns=columns).assign(Diabetic=(rows[:, 0] > 50).astype(int))
    frame.to_csv(folder / "patients.csv", index=False)
    return str(folder / "patients.csv")


BATCH_FEATURES = ["Pregnancies", "PlasmaGlucose", "BloodPressure", "SerumInsulin", "BMI"]  # chapter 19's model


def batch_patients_csv(folder: Path) -> str:
    """A reader's training data for chapter 19: the five features, then Diabetic."""
    rows = np.random.default_rng(0).uniform(0, 100, size=(40, len(BATCH_FEATURES)))
    frame = pd.DataFrame(rows, columns=BATCH_FEATURES).assign(Diabetic=(rows[:, 0] > 50).astype(int))
    frame.to_csv(folder / "batch-patients.csv", index=False)
    return str(folder / "batch-patients.csv")


def patients_to_score(folder: Path) -> str:
    """A reader's folder of CSV files to score in chapter 19: the five features, no label."""
    to_score = folder / "to-score"
    to_score.mkdir(exist_ok=True)
    for number in (1, 2):
        rows = np.random.default_rng(number).uniform(0, 100, size=(5, len(BATCH_FEATURES)))
        pd.DataFrame(rows, columns=BATCH_FEATURES).to_csv(to_score / f"patients-{number}.csv", index=False)
    return str(to_score)


RUN_AGAIN = {
    "ch18_online_endpoint/blue_green_traffic.py": Again(
        "ch18_online_endpoint/register_custom_model.py",
        "run `register_custom_model.py` again on the new training data",
    ),
}
# Files the page tells the reader to upload in the studio before a script.
UPLOADS = {
    "ch07_data/data_asset_uri_file.py": (Upload(
        "workspaceblobstore", "diabetes/diabetes.csv", diabetes_csv,
        "`workspaceblobstore`, browse it, and upload your `diabetes.csv` (one row per patient, with the label "
        "column `Diabetic`) into a folder named `diabetes`"),),
}
def drift_report_json(folder: Path) -> str:
    """What chapter 29's drift_report.py wrote for the reader: a feature over its threshold."""
    crossed = {"normalized_wasserstein_distance": {"value": 1.02, "threshold": 0.1, "crossed": True}}
    (folder / "drift_report.json").write_text(json.dumps({"features": {"PlasmaGlucose": crossed},
                                                          "drifted": ["PlasmaGlucose"]}))
    return str(folder / "drift_report.json")


def simulated_conversations(folder: Path) -> str:
    """What chapter 36's simulate_conversations.py wrote for the reader: a question from each sentence of
    its study guide (as the stand-in model writes them), answered with that sentence."""
    lines = []
    for sentence in (pages.SNIPPETS / "ch36_advanced_fine_tuning/study_guide.txt").read_text().splitlines():
        pair = chat_simulator.question_and_answer(sentence)
        messages = [{"role": "user", "content": pair["q"]}, {"role": "assistant", "content": sentence}]
        lines.append(json.dumps({"messages": messages, "context": {"expected_response": pair["r"]}}) + "\n")
    (folder / "simulated.jsonl").write_text("".join(lines))
    return str(folder / "simulated.jsonl")


# Files of the reader's own that a script takes on the command line.
READER_FILES = {
    "ch36_advanced_fine_tuning/curate_and_register.py": simulated_conversations,
    "ch29_monitor_models/register_reference_data.py": patients_csv,  # what chapter 18's model trained on
    "ch29_monitor_models/retrain_on_drift.py": drift_report_json,
    "ch18_online_endpoint/register_custom_model.py": patients_csv,
    "ch19_batch_endpoint/register_model.py": batch_patients_csv,
    "ch19_batch_endpoint/register_batch_data.py": patients_to_score,
}
# Chapters whose story starts before the config.json workspace exists, because they create it.
BEFORE_THE_WORKSPACE = {5: "create_workspace.py creates the workspace config.json names"}
# What the scripts read from the environment, set as a reader sets them for the config.json workspace.
READER_ENVIRONMENT = {
    "AZURE_SUBSCRIPTION_ID": SUBSCRIPTION, "AZURE_RESOURCE_GROUP": GROUP, "AZURE_ML_WORKSPACE": NAME,
    "STORAGE_ACCOUNT_KEY": "a2V5LW9mLXRoZS1yZWFkZXI=", "STORAGE_SAS_TOKEN": "sv=2026-01-01&sig=reader",
    "ADLS_TENANT_ID": "00000000-0000-0000-0000-000000000001", "ADLS_CLIENT_ID": "00000000-0000-0000-0000-000000000002",
    "ADLS_CLIENT_SECRET": "secret-of-the-reader", "AZURE_OPENAI_API_KEY": "key-of-the-reader",
    "AZURE_OPENAI_ENDPOINT": "https://aoai-of-the-reader.openai.azure.com/",
}
# A workspace's dependencies that a Bicep deployment the page shows made (chapter 24's
# modules/dependencies.bicep, whose outputs the reader sets as these variables), made in the fake first.
DEPENDENCY_IDS = {
    variable: f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/{resource}"
    for variable, resource in [("STORAGE_ACCOUNT_ID", "Microsoft.Storage/storageAccounts/stdiabetestest"),
                               ("KEY_VAULT_ID", "Microsoft.KeyVault/vaults/kv-diabetes-test"),
                               ("CONTAINER_REGISTRY_ID", "Microsoft.ContainerRegistry/registries/crdiabetestest"),
                               ("APPLICATION_INSIGHTS_ID", "Microsoft.Insights/components/appi-diabetes-test")]
}
READER_ENVIRONMENT.update(DEPENDENCY_IDS)
DEPLOYED_FIRST = {"ch24_infrastructure_as_code/create_workspace.py": tuple(DEPENDENCY_IDS.values())}
# The user-assigned identity that chapter 25's assign_roles.sh creates (`az identity create`) before its scripts.
DEPLOYED_FIRST["ch25_identity_and_network_isolation/secure_workspace.py"] = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.ManagedIdentity"
    "/userAssignedIdentities/id-dp100-training",)


def chapter_pages() -> dict[int, Path]:
    return {int(m["number"]): page for page in pages.pages() if (m := CHAPTER_PAGE.match(page.name))}


def included_scripts(page: Path) -> list[str]:
    """The Python snippet files ``page`` includes, in the order it first includes them."""
    found = []
    for line in page.read_text(encoding="utf-8").splitlines():
        match = pages.INCLUDE.match(line)
        if match and match["path"].endswith(".py") and match["path"] not in found:
            found.append(match["path"])
    return found


def uses_ml_client_at_module_level(script: Path) -> bool:
    """True if a statement outside any function or class names ``MLClient``."""
    for statement in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
            continue
        if any(isinstance(node, ast.Name) and node.id == "MLClient" for node in ast.walk(statement)):
            return True
    return False


def steps(page: Path) -> list[str]:
    """The scripts a reader of ``page`` runs, in page order."""
    return [
        snippet for snippet in included_scripts(page)
        if "src" not in Path(snippet).parts and snippet not in READS_TRIALS
        and (snippet in LOCAL_STEPS or uses_ml_client_at_module_level(pages.SNIPPETS / snippet))
    ]


def prerequisites(number: int) -> list[str]:
    """The scripts of the chapters ``number`` builds on, to run first: what each of them needs, then
    what it creates."""
    found: list[str] = []
    for earlier in BUILDS_ON.get(number, ()):
        for snippet in (*prerequisites(earlier.chapter), *earlier.creates):
            if snippet not in found:
                found.append(snippet)
    return found


def plain(text: str) -> str:
    """Prose as read: link brackets dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", text.replace("[", "").replace("]", ""))


STORIES = {number: steps(page) for number, page in chapter_pages().items()}


def story(number: int) -> list[str]:
    """Every script a reader of chapter ``number`` runs, in order: prerequisites, then the chapter's
    steps, with those the page says to run again."""
    steps_run = []
    for snippet in STORIES[number]:
        if snippet in RUN_AGAIN:
            steps_run.append(RUN_AGAIN[snippet].script)
        steps_run.append(snippet)
    return [*prerequisites(number), *steps_run]


def story_before(snippet: str) -> list[str]:
    """What a reader of ``snippet``'s chapter has run when they reach it."""
    order = story(int(snippet[2:4]))
    return order[:order.index(snippet)]


@dataclass
class Reader:
    """One reader running the site's scripts in turn in one workspace: each gets its command-line
    arguments and the reader's files, after the reader's uploads its page asks for."""

    workspace: FakeWorkspace
    run_snippet: Callable[..., dict]
    folder: Path  # the reader's own files
    results: dict[str, dict] = field(default_factory=dict)  # each script run: its globals

    def run(self, snippet: str) -> dict:
        for upload in UPLOADS.get(snippet, ()):
            self.workspace.upload(upload.datastore, upload.path, upload.content())
        for resource in DEPLOYED_FIRST.get(snippet, ()):
            self.workspace.azure.arm.put(resource, {"location": "eastus"})
        self.results[snippet] = self.run_snippet(snippet, *self.arguments(snippet))
        return self.results[snippet]

    def arguments(self, snippet: str) -> tuple[str, ...]:
        if snippet in READER_FILES:
            return (READER_FILES[snippet](self.folder),)
        if snippet not in ARGUMENTS:
            return ()
        argument = ARGUMENTS[snippet]
        first, *rest = argument.value.split(".")
        return (str(functools.reduce(getattr, rest, self.results[argument.step][first])),)
