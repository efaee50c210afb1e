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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from hub.errors import refusal

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


@dataclass(frozen=True)
class _Asset:
    media_type: str
    plain: bytes
    compressed: bytes | None  # gzip, when the file is stored so

    def etag(self, compressed: bool) -> str:
        body = self.compressed if compressed and self.compressed else self.plain
        return f'"{hashlib.sha256(body).hexdigest()[:32]}{"-gz" if compressed else ""}"'


@cache
def _assets() -> dict[str, tuple[_Asset, dict[bool, str]]]:
    """Every script and style of the IDE by file name, read once, with its ETags."""
    found = {}
    for path in sorted(ASSETS.iterdir()):
        name = path.name.removesuffix(".gz")
        media_type = _TYPES.get(Path(name).suffix)
        if media_type is None:
            continue
        data = path.read_bytes()
        stored = path.suffix == ".gz"
        asset = _Asset(
            media_type, gzip.decompress(data) if stored else data, data if stored else None
        )
        found[name] = (asset, {gz: asset.etag(gz) for gz in (False, stored)})
    return found


class Assets:
    """ASGI app for :data:`PATH`: the IDE's scripts and styles, compressed where they can be."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _assets().get(str(scope["path"]).rsplit("/", 1)[-1])  # they lie side by side
        if found is None:
            answer = refusal(404, "NOT_FOUND", "no such asset of the IDE")
            await answer(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            answer = refusal(
                405,
                "METHOD_NOT_ALLOWED",
                "the IDE's assets are read with GET",
                {"Allow": "GET, HEAD"},
            )
            await answer(scope, receive, send)
            return
        asset, etags = found
        compressed = asset.compressed is not None and "gzip" in Headers(scope=scope).get(
            "accept-encoding", ""
        )
        headers = {
            "cache-control": "public, max-age=86400",
            "etag": etags[compressed],
            "vary": "accept-encoding",
            "x-content-type-options": "nosniff",
        }
        if compressed:
            headers["content-encoding"] = "gzip"
        body = asset.compressed if compressed and asset.compressed else asset.plain
        await Response(body, media_type=asset.media_type, headers=headers)(scope, receive, send)
