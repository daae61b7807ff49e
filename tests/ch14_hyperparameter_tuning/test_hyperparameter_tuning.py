"""Chapter 14: sweep jobs (fake workspace) and the trials' training script (real MLflow)."""

import math
from pathlib import Path

import mlflow
import pytest
from azure.ai.ml import command, load_job
from azure.ai.ml.exceptions import UnexpectedKeywordError
from azure.ai.ml.sweep import (
    BanditPolicy,
    BayesianSamplingAlgorithm,
    Choice,
    GridSamplingAlgorithm,
    LogUniform,
    MedianStoppingPolicy,
    Normal,
    QUniform,
    Randint,
    RandomSamplingAlgorithm,
    SamplingAlgorithm,
    TruncationSelectionPolicy,
    Uniform,
)
from marshmallow import ValidationError
from mlflow.tracking import MlflowClient
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from tests.conftest import SNIPPETS, fresh_tracking_uri
from tests.fake_azure.job_envs import run_script

FOLDER = SNIPPETS / "ch14_hyperparameter_tuning"
EXPERIMENT = "gbc-hyperparameter-tuning"
TRIAL_COMMAND = (
    "python train.py --learning_rate ${{search_space.learning_rate}} --n_estimators ${{search_space.n_estimators}}"
)
# (learning_rate, n_estimators) of the trials run for real; 25 is not a multiple of 10 on purpose
TRIALS = [("0.01", "20"), ("0.1", "30"), ("0.5", "25")]
STAGES = {"20": [10, 20], "30": [10, 20, 30], "25": [10, 20, 25]}


def distribution(value):
    """A search-space entry as plain data: (type, its parameters)."""
    fields = {k: v for k, v in vars(value).items() if k != "type" and v is not None}
    return value.type, fields


def algorithm(value):
    """Sampling algorithms come back as strings ("grid") or objects; compare them as data."""
    if isinstance(value, SamplingAlgorithm):
        return value.type, {k: v for k, v in vars(value).items() if k != "type" and v is not None}
    return value, {}


def policy_fields(policy):
    """An early termination policy as plain data; unset values (None or 0) are left out."""
    return type(policy).__name__, {k: v for k, v in vars(policy).items() if v not in (None, 0)}


def code_folder(workspace, code: str) -> str:
    """The folder a trial's code comes from: a local path, or, once the SDK has uploaded it and
    the job names the code asset's ARM id, that asset's path."""
    if "/codes/" in code:
        *_, name, _, version = code.split("/")
        code = workspace.get("_code", name, version=version).path
    return Path(code).name


def describe(sweep, workspace):
    """Everything a sweep job sends to Azure, as plain values (works for nodes and SweepJob); the
    compute by name, whether the job names it so or by the ARM id Azure resolved it to."""
    job = sweep._to_job() if hasattr(sweep, "_to_job") else sweep
    policy = job.early_termination
    return {
        "type": job.type,
        "experiment_name": job.experiment_name,
        "display_name": job.display_name,
        "compute": job.compute.removeprefix("azureml:").rsplit("/computes/", 1)[-1],
        "trial_command": job.trial.command,
        "trial_environment": job.trial.environment.removeprefix("azureml:"),
        "trial_code": code_folder(workspace, job.trial.code),
        "search_space": {name: distribution(value) for name, value in job.search_space.items()},
        "sampling_algorithm": algorithm(job.sampling_algorithm),
        "objective": (job.objective.goal.lower(), job.objective.primary_metric),
        "early_termination": policy and policy_fields(policy),
        "limits": (
            job.limits.max_total_trials,
            job.limits.max_concurrent_trials,
            job.limits.timeout,
            job.limits.trial_timeout,
        ),
    }


# --- the sweep job, sent to the fake workspace ---------------------------------------


@pytest.fixture
def workspace(workspace, run_snippet, capsys):
    """The workspace as chapter 8 leaves it: the cluster the trials run on."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    capsys.readouterr()
    return workspace


def test_sweep_job_sends_search_space_policy_and_limits(workspace, run_snippet):
    script = run_snippet("ch14_hyperparameter_tuning/sweep_job.py")

    (sent,) = workspace.created("jobs")
    assert describe(sent, workspace) == {
        "type": "sweep",
        "experiment_name": EXPERIMENT,
        "display_name": "gbc-random-sweep",
        "compute": "cpu-cluster",
        "trial_command": TRIAL_COMMAND,
        "trial_environment": "AzureML-sklearn-1.5@latest",
        "trial_code": "src",
        "search_space": {
            "learning_rate": ("uniform", {"min_value": 0.01, "max_value": 0.3}),
            "n_estimators": ("choice", {"values": [50, 100, 150]}),
        },
        "sampling_algorithm": ("random", {"seed": 42, "rule": "sobol"}),
        "objective": ("maximize", "val_accuracy"),
        "early_termination": (
            "BanditPolicy",
            {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1, "delay_evaluation": 5},
        ),
        "limits": (20, 4, 3600, 600),
    }
    # the command job's own inputs were replaced by the search space
    assert sent._to_job().inputs == {}

    # what the fake stored went through the SDK's sweep schema and still says the same
    stored = workspace.get("jobs", script["returned_job"].name)
    assert describe(stored, workspace) == describe(sent, workspace)
    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (script["returned_job"].name,)


def test_sweep_yaml_matches_python_sweep(workspace, run_snippet):
    run_snippet("ch14_hyperparameter_tuning/sweep_job.py")
    (python_sweep,) = workspace.created("jobs")

    text = (FOLDER / "sweep_job.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json")
    yaml_sweep = load_job(FOLDER / "sweep_job.yml")

    assert describe(yaml_sweep, workspace) == describe(python_sweep, workspace)


def test_grid_random_and_bayesian_variants(workspace, run_snippet):
    run_snippet("ch14_hyperparameter_tuning/sampling_and_policies.py")

    assert [c.kwargs for c in workspace.sent("jobs", "create_or_update")] == [{"experiment_name": EXPERIMENT}] * 3
    # what Azure holds: the three sweeps, in the order they were submitted
    held = sorted(workspace.all("jobs"), key=lambda job: job.creation_context.created_at)
    grid, random, bayesian = (describe(job, workspace) for job in held)
    assert {job["experiment_name"] for job in (grid, random, bayesian)} == {EXPERIMENT}
    assert {job["compute"] for job in (grid, random, bayesian)} == {"cpu-cluster"}
    assert {job["trial_command"] for job in (grid, random, bayesian)} == {TRIAL_COMMAND}

    # grid: Choice only, and exactly one trial per combination
    assert grid["sampling_algorithm"] == ("grid", {})
    assert {kind for kind, _ in grid["search_space"].values()} == {"choice"}
    combinations = math.prod(len(fields["values"]) for _, fields in grid["search_space"].values())
    assert grid["limits"][:2] == (combinations, 3) == (9, 3)
    assert grid["early_termination"] == (
        "MedianStoppingPolicy",
        {"type": "median_stopping", "evaluation_interval": 1, "delay_evaluation": 5},
    )

    # random: LogUniform bounds are natural logs of the real range
    assert random["sampling_algorithm"] == ("random", {})
    kind, bounds = random["search_space"]["learning_rate"]
    assert kind == "loguniform"
    assert (math.exp(bounds["min_value"]), math.exp(bounds["max_value"])) == pytest.approx((0.001, 0.3))
    assert random["early_termination"] == (
        "TruncationSelectionPolicy",
        {"type": "truncation_selection", "truncation_percentage": 20, "evaluation_interval": 1, "delay_evaluation": 5},
    )

    # bayesian: only Choice/Uniform/QUniform, no policy, >= 20 trials per hyperparameter
    assert bayesian["sampling_algorithm"] == ("bayesian", {})
    assert {kind for kind, _ in bayesian["search_space"].values()} <= {"choice", "uniform", "quniform"}
    assert bayesian["early_termination"] is None
    assert bayesian["limits"][0] >= 20 * len(bayesian["search_space"])
    assert bayesian["limits"][1] == 2


# --- what the SDK checks, and what it leaves to the service --------------------------


@pytest.fixture
def train_job():
    return command(
        code=str(FOLDER / "src"),
        command="python train.py --learning_rate ${{inputs.learning_rate}}",
        inputs={"learning_rate": 0.1},
        environment="azureml:AzureML-sklearn-1.5@latest",
        compute="cpu-cluster",
    )


def dump_and_load(sweep, tmp_path):
    sweep._to_job().dump(tmp_path / "sweep.yml")
    return load_job(tmp_path / "sweep.yml")


def test_sdk_rejects_unknown_hyperparameter_goal_and_policy_argument(train_job, tmp_path):
    with pytest.raises(UnexpectedKeywordError, match="alpha"):
        train_job(alpha=Uniform(min_value=0.01, max_value=0.3))  # not an input of the command

    misspelt = train_job(learning_rate=Uniform(min_value=0.01, max_value=0.3)).sweep(
        primary_metric="val_accuracy", goal="maximise", max_total_trials=5
    )
    with pytest.raises(ValidationError, match="maximise"):
        dump_and_load(misspelt, tmp_path)

    with pytest.raises(TypeError, match="exclude_finished_jobs"):
        TruncationSelectionPolicy(truncation_percentage=20, exclude_finished_jobs=True)


def test_calling_the_command_drops_its_experiment_name():
    named = command(
        code=str(FOLDER / "src"),
        command="python train.py --learning_rate ${{inputs.learning_rate}}",
        inputs={"learning_rate": 0.1},
        environment="azureml:AzureML-sklearn-1.5@latest",
        experiment_name=EXPERIMENT,
        display_name="gbc-train",
    )
    assert named.sweep(primary_metric="val_accuracy", goal="maximize").experiment_name == EXPERIMENT
    called = named(learning_rate=Uniform(min_value=0.01, max_value=0.3))
    sweep = called.sweep(primary_metric="val_accuracy", goal="maximize")
    assert (sweep.experiment_name, sweep.display_name) == (None, "gbc-train")  # only the experiment is lost


def test_sdk_leaves_sampling_rules_to_the_service(train_job, tmp_path):
    """Grid with a continuous range, Bayesian with Normal and a policy: the SDK accepts both."""
    grid = train_job(learning_rate=Uniform(min_value=0.01, max_value=0.3)).sweep(
        sampling_algorithm=GridSamplingAlgorithm(), primary_metric="val_accuracy", goal="maximize", max_total_trials=5
    )
    bayesian = train_job(learning_rate=Normal(mu=0.1, sigma=0.02)).sweep(
        sampling_algorithm=BayesianSamplingAlgorithm(),
        primary_metric="val_accuracy",
        goal="maximize",
        max_total_trials=5,
        early_termination_policy=BanditPolicy(slack_factor=0.1),
    )
    assert dump_and_load(grid, tmp_path).search_space["learning_rate"].type == "uniform"
    assert isinstance(dump_and_load(bayesian, tmp_path).early_termination, BanditPolicy)


def test_distribution_classes_and_their_arguments():
    """The names and arguments the page's table lists."""
    assert QUniform(min_value=2, max_value=8, q=2)._to_rest_object() == ["quniform", [2, 8, 2]]
    assert LogUniform(min_value=-4, max_value=0)._to_rest_object() == ["loguniform", [-4, 0]]
    assert Choice(values=range(1, 4))._to_rest_object() == ["choice", [[1, 2, 3]]]
    assert Randint(upper=5)._to_rest_object() == ["randint", [5]]
    assert RandomSamplingAlgorithm(seed=1, rule="sobol").rule == "sobol"
    assert MedianStoppingPolicy().evaluation_interval == 1  # the other two policies default to 0


# --- the trials' script, run for real against a SQLite MLflow store -------------------


@pytest.fixture(scope="module")
def sweep_store(tmp_path_factory):
    """A parent run (the sweep) with one child run per trial, each filled by the real train.py, run
    with the Python of the trials' environment.

    In Azure ML each trial job's run already exists when the script starts, and the job
    hands its id to MLflow in MLFLOW_RUN_ID; the fixture does the same.
    """
    folder = tmp_path_factory.mktemp("mlflow")
    uri = fresh_tracking_uri(folder)
    client = MlflowClient(uri)
    experiment_id = client.create_experiment(EXPERIMENT)
    parent = client.create_run(experiment_id, run_name="gbc-random-sweep")
    client.create_run(experiment_id, run_name="unrelated-run")  # not a trial: must be ignored
    children = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.chdir(folder)
        for learning_rate, n_estimators in TRIALS:
            child = client.create_run(experiment_id, tags={"mlflow.parentRunId": parent.info.run_id})
            patch.setenv("MLFLOW_RUN_ID", child.info.run_id)
            # each trial runs in the environment the sweep's trial declares, as on Azure
            done = run_script(load_job(FOLDER / "sweep_job.yml").trial.environment,
                              [str(FOLDER / "src" / "train.py"), "--learning_rate", learning_rate,
                               "--n_estimators", n_estimators], cwd=folder)
            assert done.returncode == 0, done.stderr
            children[(learning_rate, n_estimators)] = child.info.run_id
    client.set_terminated(parent.info.run_id)
    yield {"uri": uri, "client": client, "parent": parent.info.run_id, "children": children}
    mlflow.set_tracking_uri(None)  # forget the store: other modules choose their own


def validation_accuracy(learning_rate, trees):
    """What train.py should report, computed independently with a fresh model."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
    model = GradientBoostingClassifier(learning_rate=learning_rate, n_estimators=trees, random_state=0)
    return accuracy_score(y_val, model.fit(X_train, y_train).predict(X_val))


def test_train_reports_the_metric_after_every_ten_trees(sweep_store):
    client = sweep_store["client"]
    for (learning_rate, n_estimators), run_id in sweep_store["children"].items():
        run = client.get_run(run_id)
        assert run.info.status == "FINISHED"
        assert run.data.params == {"learning_rate": learning_rate, "n_estimators": n_estimators}
        history = client.get_metric_history(run_id, "val_accuracy")
        assert [m.step for m in history] == STAGES[n_estimators]
        expected = [validation_accuracy(float(learning_rate), trees) for trees in STAGES[n_estimators]]
        assert [m.value for m in history] == pytest.approx(expected)
    # the slow learner is far behind after 10 trees: the case early termination is for
    slow, fast = (sweep_store["children"][key] for key in [("0.01", "20"), ("0.1", "30")])
    first = {run: client.get_metric_history(run, "val_accuracy")[0].value for run in (slow, fast)}
    assert (round(first[slow], 2), round(first[fast], 2)) == (0.63, 0.96)  # the numbers the page quotes
    assert first[slow] < first[fast] / 1.1  # outside a Bandit slack_factor of 0.1


def test_primary_metric_is_exactly_what_the_script_logs(sweep_store, workspace, run_snippet, tmp_path):
    client = sweep_store["client"]
    logged = {name for run_id in sweep_store["children"].values() for name in client.get_run(run_id).data.metrics}
    assert logged == {"val_accuracy"}

    run_snippet("ch14_hyperparameter_tuning/sweep_job.py")
    run_snippet("ch14_hyperparameter_tuning/sampling_and_policies.py")
    sent = {job._to_job().objective.primary_metric for job in workspace.created("jobs")}
    yaml_metric = load_job(FOLDER / "sweep_job.yml").objective.primary_metric
    assert sent | {yaml_metric} == logged

    # the classic mistake: the SDK happily sends a name the script never logs
    wrong = workspace.created("jobs")[0]._to_job()
    wrong.objective.primary_metric = "accuracy"
    wrong.dump(tmp_path / "wrong.yml")
    assert load_job(tmp_path / "wrong.yml").objective.primary_metric == "accuracy"
    assert "accuracy" not in logged


def test_best_trial_reads_service_and_mlflow(sweep_store, workspace, run_snippet, monkeypatch, capsys):
    client, children = sweep_store["client"], sweep_store["children"]
    final = {run_id: client.get_run(run_id).data.metrics["val_accuracy"] for run_id in children.values()}
    best_run_id = max(final, key=final.get)
    assert best_run_id == children[("0.1", "30")]

    workspace.set_tracking_uri(sweep_store["uri"])
    # The trials are child runs of the sweep job's run, whose ID is the job's name; a local store
    # names its runs itself, so the sweep is submitted under the name of the fixture's parent run.
    monkeypatch.setattr("azure.ai.ml.entities._job.to_rest_functions.generate_job_name", lambda: sweep_store["parent"])
    run_snippet("ch14_hyperparameter_tuning/sweep_job.py")
    capsys.readouterr()
    # Azure's sweep service names the best trial by the primary metric the trials logged
    finished = workspace.get("jobs", sweep_store["parent"])
    assert (finished.status, finished.properties["best_child_run_id"]) == ("Completed", best_run_id)

    found = run_snippet("ch14_hyperparameter_tuning/best_trial.py", sweep_store["parent"])

    assert found["best_child_run_id"] == best_run_id
    assert sorted(found["trials"]["run_id"]) == sorted(children.values())  # children only
    assert list(found["trials"]["metrics.val_accuracy"]) == sorted(final.values(), reverse=True)
    assert found["best"]["run_id"] == best_run_id
    out = capsys.readouterr().out
    assert f"{finished.status}: maximize val_accuracy" in out  # the status as the SDK's JobStatus prints
    assert f"Best trial: {best_run_id} with val_accuracy = {final[best_run_id]:.3f}" in out
