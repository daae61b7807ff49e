"""The Azure ML schema site, ``azuremlschemasprod.azureedge.net``: where the SDK fetches the JSON schema
of the ``MLTable`` file before it registers an ``mltable`` data asset, to validate the file against it
(``_try_get_mltable_metadata_jsonschema`` in ``azure/ai/ml/operations/_data_operations.py``, URL
``MLTABLE_METADATA_SCHEMA_URL_FALLBACK``). The fake serves the copy of that schema the ``mltable``
package ships and validates with itself (``mltable/schema/MLTable.json``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import mltable

from tests.fake_azure import http

HOST = "azuremlschemasprod.azureedge.net"
MLTABLE_SCHEMA = "/latest/MLTable.schema.json"


@functools.cache
def _mltable_schema() -> dict:
    return json.loads((Path(mltable.__file__).parent / "schema" / "MLTable.json").read_text())


def handle(prepared, request):
    if request.method == "GET" and request.path == MLTABLE_SCHEMA:
        return http.response(prepared, 200, _mltable_schema())
    return http.response(prepared, 404, headers={"x-ms-error-code": "BlobNotFound"})
