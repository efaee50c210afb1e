"""The GraphiQL IDE at ``/graphql``, served whole by the hub: the page and everything it loads.

League networks are often intranets with no internet, so no script, style or
font comes from a public host: ``hub/ide_assets`` holds GraphiQL, React and
the explorer plugin as published on npm (``tools/graphiql/vendor`` refreshes
them), gzip-compressed, each pinned by an integrity hash in the page. They go
to browsers compressed (a quarter of the bytes) and to anything else decoded.
The page's Content-Security-Policy lets it load nothing from anywhere else.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

ASSETS = Path(__file__).parent / "ide_assets"
PATH = "/ide"  # where the assets are served; the page names them relative to /graphql
POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # GraphiQL styles its panes inline
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@cache
def _page() -> str:
    return (ASSETS / "graphiql.html").read_text(encoding="utf-8")


def page() -> HTMLResponse:
    """The IDE's page, with a policy that keeps it to the hub's own assets."""
    return HTMLResponse(
        _page(),
        headers={"content-security-policy": POLICY, "x-content-type-options": "nosniff"},
    )


@cache
def _asset(name: str) -> tuple[bytes, bool] | None:
    """A script or style by file name: its bytes and whether they are gzip-compressed."""
    if Path(name).suffix not in _TYPES:
        return None
    for path, compressed in ((ASSETS / f"{name}.gz", True), (ASSETS / name, False)):
        if path.is_file():
            return path.read_bytes(), compressed
    return None


class Assets:
    """ASGI app for :data:`PATH`: the IDE's scripts and styles, compressed where they can be."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = str(scope["path"]).rsplit("/", 1)[-1]  # the assets lie side by side
        found = _asset(name)
        if found is None or scope["method"] not in ("GET", "HEAD"):
            await PlainTextResponse("not found", status_code=404)(scope, receive, send)
            return
        body, compressed = found
        headers = {
            "cache-control": "public, max-age=86400",
            "etag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            "vary": "accept-encoding",
            "x-content-type-options": "nosniff",
        }
        if compressed and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            headers["content-encoding"] = "gzip"
        elif compressed:
            body = gzip.decompress(body)
        response = Response(body, media_type=_TYPES[Path(name).suffix], headers=headers)
        await response(scope, receive, send)
