"""What a snippet sent, recorded at the SDK's surface (``ml_client.<operations>.<method>(...)``).

The real operations objects do the work (the fake sits under them, at HTTP); this thin
wrapper only records each public call and refuses keywords the method does not take:
many SDK methods accept ``**kwargs`` and would ignore a misspelt keyword silently,
where the reader expects it to matter.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

import azure.ai.ml

SDK = Path(azure.ai.ml.__file__).parent
# ``ml_client.create_or_update(entity)`` reaches the operations through this module: a reader's call.
CLIENT_MODULE = SDK / "_ml_client.py"

# Keywords a method reads from ``**kwargs`` (so they are not in its signature), from the SDK's source.
READ_FROM_KWARGS = {
    ("batch_endpoints", "invoke"): {"input", "inputs", "outputs", "job_name", "params_override", "experiment_name"},
    ("online_endpoints", "invoke"): {"local"},
}


@dataclass
class Call:
    operations: str
    method: str
    args: tuple
    kwargs: dict


class RecordedOperations:
    """Stands where ``ml_client.<name>`` was; forwards to the real operations object."""

    def __init__(self, name: str, real, calls: list[Call]):
        self._name, self._real, self._calls = name, real, calls

    @property
    def __class__(self):
        """The real class, for the SDK's own ``isinstance`` checks of the operations it is handed."""
        return type(self._real)

    def __getattr__(self, attribute):
        found = getattr(self._real, attribute)
        if attribute.startswith("_") or not callable(found):
            return found
        accepted = _named_keywords(found) | READ_FROM_KWARGS.get((self._name, attribute), set())

        def recorded(*args, **kwargs):
            if _called_by_reader():  # the SDK may pass its own keywords (``is_anonymous=True``)
                unknown = set(kwargs) - accepted
                if unknown:
                    raise TypeError(f"{self._name}.{attribute}() got unexpected keyword argument(s) {sorted(unknown)}")
                self._calls.append(Call(self._name, attribute, args, kwargs))
            return found(*args, **kwargs)

        return recorded


def _called_by_reader() -> bool:
    """True unless the SDK itself is calling (one operations class using another)."""
    caller = Path(sys._getframe(2).f_code.co_filename)
    return caller == CLIENT_MODULE or SDK not in caller.parents


def _named_keywords(function) -> set[str]:
    parameters = inspect.signature(function).parameters.values()
    return {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def record(client, calls: list[Call]) -> None:
    """Wrap each operations object of ``client`` (``jobs``, ``compute``, ...) so calls are recorded."""
    container = client._operation_container.all_operations
    for attribute, real in list(vars(client).items()):
        if type(real).__name__.endswith("Operations"):
            wrapped = RecordedOperations(attribute.lstrip("_"), real, calls)
            setattr(client, attribute, wrapped)
            for key, value in list(container.items()):
                if value is real:
                    container[key] = wrapped
