"""Files and fine-tuning jobs of the fake Foundry resource (``chat_model.py``), on the v1 routes.

``POST /openai/v1/files`` (multipart: ``purpose`` and ``file``), ``GET /openai/v1/files/<id>``,
``POST /openai/v1/fine_tuning/jobs`` and ``GET /openai/v1/fine_tuning/jobs/<id>``, as the ``openai``
client calls them with ``base_url=<endpoint>/openai/v1/``. Authentication is the data plane's:
Entra ID tokens with the resource's audience only, no ``api-key``. The dated routes
(``/openai/files?api-version=``) are not served: the chapters use the v1 API.

Azure's rules kept, with their sources:
- a training or validation file is uploaded with purpose ``fine-tune``, is JSON Lines (one JSON object
  a line, UTF-8, a byte-order mark allowed) and is under 512 MB; a job needs at least 10 training
  examples (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning, Python tab);
- the rows suit the method: ``supervised`` rows are chat ``messages`` with an assistant message, and
  ``weight`` (0 or 1) only on assistant messages (same page, "Multi-turn chat file format"); ``dpo``
  rows hold ``input.messages``, ``preferred_output`` and ``non_preferred_output``, each output with an
  assistant message and only assistant or tool roles
  (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-direct-preference-optimization);
  ``reinforcement`` rows end with a user message, a validation file and a grader are required
  (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reinforcement-fine-tuning);
- which base models take which method: ``BASE_MODELS`` (the fine-tuning models table,
  https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#fine-tuning-models, and the DPO and
  RFT pages' model lists); a model fine-tuned here, ``<base>.ft-<job>``, can be tuned again with a
  method its base takes (the DPO page: preference tuning of a supervised fine-tuned model);
- hyperparameters: only the method's own (``HYPERPARAMETERS``; beta is DPO's, reasoning_effort RFT's),
  each ``"auto"`` or in range: ``n_epochs`` an integer 1-50, ``batch_size`` a positive integer,
  ``learning_rate_multiplier`` and ``beta`` positive numbers (OpenAI's fine-tuning API reference,
  https://platform.openai.com/docs/api-reference/fine-tuning/create, which Azure's v1 API follows);
- a ``suffix`` of at most 18 characters (the fine-tuning page, "Continuous fine-tuning").

A job is ``pending`` when created and moves one step each time it is read (``running``, then
``succeeded``, naming its ``fine_tuned_model`` ``<base>.ft-<job hex>`` as the deployment page shows
it; the suffix Azure adds to the name is left out): a training clock that makes a reader's polling
loop run without waiting. Nothing is trained.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP

ROUTE = re.compile(r"^/openai/v1/(?P<kind>files|fine_tuning/jobs)(?:/(?P<id>[^/]+))?$")
MAX_FILE_BYTES = 512 * 1024 * 1024
MIN_TRAINING_EXAMPLES = 10
MAX_SUFFIX = 18
PURPOSES = {"fine-tune", "assistants", "batch", "vision", "user_data", "evals"}
SFT, DPO, RFT = "supervised", "dpo", "reinforcement"
CHAT_ROLES = {"system", "developer", "user", "assistant", "tool"}
BASE_MODELS = {  # dated base model -> the methods Azure offers for it
    "gpt-4o-mini-2024-07-18": {SFT},
    "gpt-4o-2024-08-06": {SFT, DPO},
    "gpt-4.1-2025-04-14": {SFT, DPO},
    "gpt-4.1-mini-2025-04-14": {SFT, DPO},
    "gpt-4.1-nano-2025-04-14": {SFT},
    "o4-mini-2025-04-16": {RFT},
}
COMMON = {"n_epochs", "batch_size", "learning_rate_multiplier"}
HYPERPARAMETERS = {SFT: COMMON, DPO: COMMON | {"beta"},
                   RFT: COMMON | {"eval_interval", "eval_samples", "compute_multiplier", "reasoning_effort"}}
STEPS = ("pending", "running", "succeeded")
FINE_TUNED = re.compile(r"^(?P<base>.+)\.ft-(?P<job>[0-9a-f]{32})$")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code = status, code


@dataclass
class Service:
    """What the resource holds: uploaded files (their bytes too) and fine-tuning jobs, by id."""

    files: dict[str, dict] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    jobs: dict[str, dict] = field(default_factory=dict)

    def answer(self, method: str, kind: str, item: str | None, content_type: str, body: bytes) -> dict:
        if method == "GET" and item:
            store = self.files if kind == "files" else self.jobs
            if item not in store:
                raise Refused(404, "NotFound", f"{kind} '{item}' not found")
            return self._tick(store[item]) if kind != "files" else store[item]
        if method == "POST" and not item:
            return self.upload(content_type, body) if kind == "files" else self.create_job(json.loads(body))
        raise Refused(405, "MethodNotAllowed", f"{method} is not served on this route")

    def upload(self, content_type: str, body: bytes) -> dict:
        form = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields = {part.get_param("name", header="content-disposition"): part for part in form.iter_parts()}
        purpose = fields["purpose"].get_content().strip() if "purpose" in fields else ""
        if purpose not in PURPOSES:
            raise Refused(400, "invalidPurpose", f"purpose must be one of {sorted(PURPOSES)}, not '{purpose}'")
        data = fields["file"].get_payload(decode=True) if "file" in fields else b""
        name = fields["file"].get_filename() if "file" in fields else ""
        if purpose == "fine-tune":
            if len(data) >= MAX_FILE_BYTES:
                raise Refused(400, "fileTooLarge", "a fine-tuning file must be smaller than 512 MB")
            _rows(data, name)
        file_id = f"file-{uuid.uuid4().hex}"
        self.files[file_id] = {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                               "filename": name, "purpose": purpose, "status": "processed"}
        self.contents[file_id] = data
        return self.files[file_id]

    def create_job(self, body: dict) -> dict:
        method = body.get("method") or {"type": SFT}
        kind = method.get("type")
        if kind not in HYPERPARAMETERS:
            raise Refused(400, "invalidMethod", f"method type must be one of {sorted(HYPERPARAMETERS)}")
        base = self._base_of(body.get("model", ""))
        if kind not in BASE_MODELS[base]:
            raise Refused(400, "unsupportedMethod",
                          f"{base} does not support {kind} fine-tuning; it supports {sorted(BASE_MODELS[base])}")
        settings = method.get(kind) or {}
        hyperparameters = settings.get("hyperparameters") or body.get("hyperparameters") or {}
        _check_hyperparameters(kind, hyperparameters)
        if len(body.get("suffix") or "") > MAX_SUFFIX:
            raise Refused(400, "invalidSuffix", f"a suffix has at most {MAX_SUFFIX} characters")
        if kind == RFT and not settings.get("grader"):
            raise Refused(400, "graderRequired", "reinforcement fine-tuning needs a grader")
        if kind == RFT and not body.get("validation_file"):
            raise Refused(400, "validationFileRequired", "reinforcement fine-tuning needs a validation file")
        training = self._rows_of(body.get("training_file"), kind, "training_file")
        if len(training) < MIN_TRAINING_EXAMPLES:
            raise Refused(400, "tooFewExamples",
                          f"the training file has {len(training)} examples; at least "
                          f"{MIN_TRAINING_EXAMPLES} are needed")
        if body.get("validation_file"):
            self._rows_of(body["validation_file"], kind, "validation_file")
        job_id = f"ftjob-{uuid.uuid4().hex}"
        self.jobs[job_id] = {
            "id": job_id, "object": "fine_tuning.job", "created_at": int(time.time()), "model": body["model"],
            "status": STEPS[0], "fine_tuned_model": None, "finished_at": None, "error": None,
            "training_file": body["training_file"], "validation_file": body.get("validation_file"),
            "method": {"type": kind, kind: {**settings, "hyperparameters": hyperparameters}},
            "hyperparameters": hyperparameters if kind == SFT else None, "seed": body.get("seed", 0),
            "suffix": body.get("suffix"), "result_files": [], "trained_tokens": None, "organization_id": "",
        }
        return self.jobs[job_id]

    def _base_of(self, model: str) -> str:
        if tuned := FINE_TUNED.match(model):
            job = self.jobs.get(f"ftjob-{tuned['job']}")
            if job is None or job["status"] != "succeeded":
                raise Refused(400, "invalidModel", f"no succeeded fine-tuning job made '{model}'")
            return tuned["base"]
        if model not in BASE_MODELS:
            raise Refused(400, "invalidModel",
                          f"'{model}' cannot be fine-tuned here; base models: {sorted(BASE_MODELS)}")
        return model

    def _rows_of(self, file_id: str | None, kind: str, name: str) -> list[dict]:
        stored = self.files.get(file_id or "")
        if stored is None:
            raise Refused(400, "fileNotFound", f"{name} '{file_id}' does not exist")
        if stored["purpose"] != "fine-tune":
            raise Refused(400, "invalidPurpose",
                          f"{name} '{file_id}' was uploaded for '{stored['purpose']}', not fine-tune")
        rows = _rows(self.contents[file_id], stored["filename"])
        for number, row in enumerate(rows, start=1):
            if problem := row_problem(kind, row):
                raise Refused(400, "invalidTrainingFile", f"{name} line {number}: {problem} ({kind})")
        return rows

    def _tick(self, job: dict) -> dict:
        step = STEPS.index(job["status"]) if job["status"] in STEPS else len(STEPS) - 1
        job["status"] = STEPS[min(step + 1, len(STEPS) - 1)]
        if job["status"] == "succeeded" and not job["fine_tuned_model"]:
            base = self._base_of(job["model"])
            job["fine_tuned_model"] = f"{base}.ft-{job['id'].removeprefix('ftjob-')}"
            job["finished_at"] = int(time.time())
        return job


def _rows(data: bytes, name: str) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(400, "invalidEncoding", f"{name} is not UTF-8") from error
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise Refused(400, "invalidJsonl", f"{name} line {number} is not JSON: {error.msg}") from error
        if not isinstance(row, dict):
            raise Refused(400, "invalidJsonl", f"{name} line {number} is not a JSON object")
        rows.append(row)
    return rows


def row_problem(kind: str, row: dict) -> str | None:
    """What Azure would say is wrong with one training row for the method, or None."""
    if kind == DPO:
        if problem := _messages_problem((row.get("input") or {}).get("messages")):
            return f"input.{problem}"
        for side in ("preferred_output", "non_preferred_output"):
            output = row.get(side)
            if not isinstance(output, list) or not any(m.get("role") == "assistant" for m in output):
                return f"{side} needs an assistant message"
            if any(m.get("role") not in ("assistant", "tool") for m in output):
                return f"{side} may only hold assistant or tool messages"
        return None
    messages = row.get("messages")
    if problem := _messages_problem(messages):
        return problem
    if kind == RFT:
        return None if messages[-1]["role"] == "user" else "the last message must be the user's"
    if not any(m["role"] == "assistant" for m in messages):
        return "no assistant message to learn from"
    if any("weight" in m and (m["role"] != "assistant" or m["weight"] not in (0, 1)) for m in messages):
        return "weight is 0 or 1, on assistant messages only"
    return None


def _messages_problem(messages) -> str | None:
    """The chat completions format: a list of messages, each with a role the API knows."""
    if not isinstance(messages, list) or not messages:
        return "messages is missing"
    if any(not isinstance(m, dict) or m.get("role") not in CHAT_ROLES for m in messages):
        return f"each message needs a role out of {sorted(CHAT_ROLES)}"
    return None


def _check_hyperparameters(kind: str, values: dict) -> None:
    unknown = set(values) - HYPERPARAMETERS[kind]
    if unknown:
        raise Refused(400, "invalidHyperparameter", f"{sorted(unknown)} are not hyperparameters of {kind}")
    for name, value in values.items():
        if value == "auto" or name in ("reasoning_effort", "eval_interval", "eval_samples", "compute_multiplier"):
            continue
        integer = name in ("n_epochs", "batch_size")
        if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
            raise Refused(400, "invalidHyperparameter", f"{name} must be {'an integer' if integer else 'a number'}")
        if value <= 0 or (name == "n_epochs" and value > 50):
            raise Refused(400, "invalidHyperparameter",
                          f"{name}={value} is out of range ({'1-50' if name == 'n_epochs' else '> 0'})")
    if values.get("reasoning_effort", "auto") not in ("auto", "low", "medium", "high"):
        raise Refused(400, "invalidHyperparameter", "reasoning_effort is low, medium or high")


def serve(handler, path_match, entra_token: bool) -> None:
    """Answer one request on the routes above through ``handler`` (chat_model's request handler, whose
    ``owner.tuning`` is the resource's ``Service``); ``entra_token``: it carries a token Azure accepts."""
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if handler.command == "POST" else b""
    if handler.headers.get("api-key"):
        return handler._error(401, "AuthenticationTypeDisabled", "Key based authentication is disabled.")
    if not entra_token:
        return handler._error(401, "PermissionDenied", "a Microsoft Entra ID token for the resource is required")
    try:
        document = handler.owner.tuning.answer(handler.command, path_match["kind"], path_match["id"],
                                               handler.headers.get("Content-Type", ""), body)
    except Refused as refusal:
        return handler._error(refusal.status, refusal.code, str(refusal))
    return handler._json(200, document)
