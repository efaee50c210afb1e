"""A bare Starlette endpoint that answers with stored JSON: the HTTP floor for bench/trace.py.

BARE_JSON=answers.json uvicorn bench.bare:app --port 8101
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_ANSWERS: dict[str, bytes] = {
    key: orjson.dumps(value)
    for key, value in orjson.loads(Path(os.environ["BARE_JSON"]).read_bytes()).items()
}


async def answer(request: Request) -> Response:
    return Response(_ANSWERS[request.path_params["key"]], media_type="application/json")


app = Starlette(routes=[Route("/answer/{key}", answer)])
