"""Two service behaviours the shared fake leaves out, added for the batch endpoint tests."""

import itertools

import pytest
from azure.ai.ml._restclient.arm_ml_service.models import BatchEndpointDefaults
from azure.ai.ml.entities import BatchJob, PipelineJob
from azure.ai.ml.operations import BatchEndpointOperations

from tests.fake_workspace import Call, FakeWorkspace, _named_keywords

# Keywords the real `invoke` reads from **kwargs besides its named ones (`input` among them).
INVOKE_KWARGS = {"input", "outputs", "job_name", "params_override", "experiment_name"}


@pytest.fixture(autouse=True)
def batch_service(monkeypatch):
    """`get` returns an endpoint with a `defaults` object, as the service does, and
    `invoke` records its call, then returns a job whose name `jobs.get` knows."""
    original_install = FakeWorkspace.install
    job_ids = itertools.count(1)

    def install(fake, client):
        original_install(fake, client)
        ops = client.batch_endpoints
        stored_get = ops.get.side_effect

        def get(*args, **kwargs):
            endpoint = stored_get(*args, **kwargs)
            if endpoint.defaults is None:
                endpoint.defaults = BatchEndpointDefaults()
            return endpoint

        def invoke(endpoint_name, **kwargs):
            unknown = set(kwargs) - _named_keywords(BatchEndpointOperations.invoke) - INVOKE_KWARGS
            if unknown:
                raise TypeError(f"batch_endpoints.invoke() got unexpected keyword argument(s) {sorted(unknown)}")
            fake.calls.append(Call("batch_endpoints", "invoke", (), {"endpoint_name": endpoint_name, **kwargs}))
            name = f"batchjob-{next(job_ids)}"
            finished = PipelineJob(name=name)  # a batch job is a pipeline job in the workspace
            finished._status = "Completed"
            fake.add("jobs", finished)
            return BatchJob(name=name, status="Running")

        ops.get.side_effect = get
        ops.invoke.side_effect = invoke

    monkeypatch.setattr(FakeWorkspace, "install", install)
