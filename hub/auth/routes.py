"""The sign-on endpoints: discovery, JWKS, authorize, login, token, revoke, introspect,
userinfo, logout.

Each OAuth endpoint reads its request on the event loop and runs authlib in a
worker thread (``hub.auth.server``). Errors follow the RFCs (``error`` and
``error_description``, ``WWW-Authenticate`` on 401); Redis or the graph away is
a 503 with ``Retry-After``; failed secrets and passwords count against the
client, the account and the address, and past the limit the answer is 429.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal
from urllib.parse import urlencode

import anyio.to_thread
from authlib.oauth2.rfc6749.errors import OAuth2Error
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from connectors import InvalidIdentifier
from graphdb import GraphUnavailable
from hub.auth import pages
from hub.auth.accounts import Account
from hub.auth.authority import Authority
from hub.auth.server import RELEASED, Captured, capture
from hub.auth.state import AuthUnavailable

Handler = Callable[[Request], Awaitable[Response]]
RETRY_AFTER = "5"


def oauth_error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", **headers},
    )


def guarded(
    handler: Callable[[Authority, Request], Awaitable[Response]],
    authority: Callable[[], Awaitable[Authority]],
) -> Handler:
    """Answers 503 when Redis or the graph is away: sign-in fails closed."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(await authority(), request)
        except (AuthUnavailable, GraphUnavailable):
            return oauth_error(
                503,
                "temporarily_unavailable",
                "sign-on cannot reach its store; try again shortly",
                **{"Retry-After": RETRY_AFTER},
            )

    return endpoint


async def discovery(auth: Authority, request: Request) -> Response:
    return JSONResponse(auth.metadata(), headers={"Cache-Control": "max-age=300"})


async def jwks(auth: Authority, request: Request) -> Response:
    ring = await auth.keys.current()
    return JSONResponse(ring.jwks(), headers={"Cache-Control": "max-age=60"})


async def token(auth: Authority, request: Request) -> Response:
    captured = await capture(request, auth.issuer)
    return await _authenticating(auth, request, captured, auth.server.create_token_response)


async def _authenticating(
    auth: Authority,
    request: Request,
    captured: Captured,
    run: Callable[..., Response],
    *args: object,
) -> Response:
    """Run an endpoint that checks a client secret, counting its failures per client:
    one attempt per client at a time, and 429 past the limit."""
    address = request.client.host if request.client else "unknown"
    client_id = auth.client_id_of(captured) or address
    async with auth.state.one_at_a_time("client-secret", client_id) as turn:
        if not turn or await auth.state.blocked("client-secret", client_id):
            return _too_many()
        response: Response = await anyio.to_thread.run_sync(lambda: run(*args, captured))
        if response.status_code == 401:
            await auth.state.failed("client-secret", client_id)
            response.headers.setdefault("WWW-Authenticate", 'Basic realm="youthgraph"')
    return response


def endpoint(name: str) -> Callable[[Authority, Request], Awaitable[Response]]:
    async def handle(auth: Authority, request: Request) -> Response:
        captured = await capture(request, auth.issuer)
        return await _authenticating(
            auth, request, captured, auth.server.create_endpoint_response, name
        )

    return handle


async def login(auth: Authority, request: Request) -> Response:
    cookie = request.cookies.get(pages.CSRF_COOKIE)
    next_url = _safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        fresh = cookie or pages.Csrf.new_cookie()
        response = pages.login_form(csrf=auth.csrf.token(fresh), next_url=next_url)
        _set_csrf_cookie(response, fresh, auth)
        return response
    posted = await _login_post(auth, request, "Enter an 11-digit mainland mobile number.")
    if isinstance(posted, Response):
        return posted
    fields, phone, phone_hash, csrf, next_url = posted
    address = request.client.host if request.client else "unknown"
    account = await _credentials(auth, fields, phone, phone_hash, address)
    if account == "blocked":
        response = pages.login_form(
            csrf=csrf,
            next_url=next_url,
            phone=phone,
            error="Too many failed attempts: wait a minute and try again.",
            code="too_many_attempts",
            status=429,
        )
        response.headers["Retry-After"] = "60"
        return response
    if account is None:
        return pages.login_form(
            csrf=csrf,
            next_url=next_url,
            phone=phone,
            error="The mobile number or the password (or code) is wrong.",
            code="invalid_credentials",
            status=401,
        )
    session = await auth.state.open_session(account.id)
    done = RedirectResponse(next_url or "/login/done", status_code=303)
    done.set_cookie(
        pages.SESSION_COOKIE,
        session.id,
        max_age=8 * 3600,
        httponly=True,
        samesite="lax",
        secure=auth.issuer.startswith("https://"),
    )
    return done


async def _form(request: Request) -> dict[str, str]:
    """A page's posted form: a few text fields, never files."""
    async with request.form(max_files=0, max_fields=16) as form:
        return {key: str(value) for key, value in form.items() if isinstance(value, str)}


async def _login_post(
    auth: Authority, request: Request, bad_phone: str
) -> tuple[dict[str, str], str, str, str, str] | Response:
    """A login page's form, its CSRF token checked and its phone hashed: the fields, the
    phone, its hash, the CSRF token for the next page and where to go after; or the page
    that refuses it."""
    cookie = request.cookies.get(pages.CSRF_COOKIE)
    fields = await _form(request)
    next_url = _safe_next(fields.get("next", ""))
    if not auth.csrf.check(cookie, fields.get("csrf")):
        return pages.message(
            "Sign-in refused",
            "This form has expired or did not come from this site: reload the page and sign in.",
            status=403,
            code="csrf_failed",
        )
    csrf = auth.csrf.token(cookie or "")
    phone = fields.get("phone", "").strip()
    try:
        phone_hash = auth.hasher.phone(phone).hash
    except InvalidIdentifier:
        return pages.login_form(
            csrf=csrf, next_url=next_url, error=bad_phone, code="invalid_phone", status=400
        )
    return fields, phone, phone_hash, csrf, next_url


async def _credentials(
    auth: Authority, fields: dict[str, str], phone: str, phone_hash: str, address: str
) -> Account | Literal["blocked"] | None:
    """The account a password or SMS code proves, None if wrong, or "blocked" past the
    failure limit; one attempt per account at a time, so that no burst outruns the count."""
    async with auth.state.one_at_a_time("login-account", phone_hash) as turn:
        if (
            not turn
            or await auth.state.blocked("login-account", phone_hash)
            or await auth.state.blocked("login-address", address)
        ):
            return "blocked"
        account = None
        if fields.get("sms_code"):
            if await auth.state.take_sms_code(phone_hash, fields["sms_code"].strip()):
                found = await auth.accounts.by_phone(phone)
                account = found if found is not None and not found.disabled else None
        else:
            account = await auth.accounts.verify_password(phone, fields.get("password", ""))
        if account is None:
            await auth.state.failed("login-account", phone_hash)
            await auth.state.failed("login-address", address)
        return account


async def send_sms_code(auth: Authority, request: Request) -> Response:
    posted = await _login_post(
        auth, request, "Enter an 11-digit mainland mobile number, then ask for a code."
    )
    if isinstance(posted, Response):
        return posted
    _, phone, phone_hash, csrf, next_url = posted
    if not await auth.state.blocked("sms-send", phone_hash):
        await auth.state.failed("sms-send", phone_hash)  # counts sends, not failures
        account = await auth.accounts.by_phone(phone)
        if account is not None and not account.disabled:
            code = await auth.state.save_sms_code(phone_hash)
            await auth.sms.send(phone, f"YouthGraph sign-in code: {code} (valid 5 minutes)")
    return pages.login_form(csrf=csrf, next_url=next_url, phone=phone, sms_sent=True)


async def signed_in(auth: Authority, request: Request) -> Response:
    return pages.message("Signed in", "You are signed in. You can close this page.")


async def authorize(auth: Authority, request: Request) -> Response:
    captured = await capture(request, auth.issuer)
    session = await auth.state.session(request.cookies.get(pages.SESSION_COOKIE))
    account = await auth.accounts.by_id(session.account_id) if session else None
    if session is None or account is None or account.disabled:
        if request.method == "POST":
            return pages.message(
                "Not signed in", "Sign in again.", status=401, code="login_required"
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
    try:
        grant = await anyio.to_thread.run_sync(auth.server.get_consent_grant, captured, account)
    except OAuth2Error as error:
        return auth.server.handle_error_response(None, error)  # type: ignore[no-any-return]
    grant.request.auth_time = session.auth_time
    if request.method == "GET":
        scopes = (grant.request.scope or "").split()
        claims = [claim for scope in scopes for claim in RELEASED.get(scope, ())]
        params = {k: v for k, v in captured.args.items() if k not in ("csrf", "decision")}
        return pages.consent_form(
            csrf=auth.csrf.token("consent:" + session.id),
            client_name=grant.client.name,
            scopes=scopes,
            claims=claims,
            params=params,
        )
    if not auth.csrf.check("consent:" + session.id, captured.form.get("csrf")):
        return pages.message(
            "Refused",
            "This form has expired: go back and try again.",
            status=403,
            code="csrf_failed",
        )
    user = account if captured.form.get("decision") == "allow" else None
    response: Response = await anyio.to_thread.run_sync(
        lambda: auth.server.create_authorization_response(captured, grant_user=user, grant=grant)
    )
    return response


async def userinfo(auth: Authority, request: Request) -> Response:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return oauth_error(
            401,
            "invalid_token",
            "send the access token: Authorization: Bearer <token>",
            **{"WWW-Authenticate": 'Bearer realm="youthgraph"'},
        )
    claims, problem = await auth.verify(credential.strip())
    if claims is None:
        return oauth_error(
            401,
            "invalid_token",
            problem,
            **{"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{problem}"'},
        )
    if "openid" not in claims.scopes or claims.person_id is None:
        return oauth_error(
            403,
            "insufficient_scope",
            "userinfo needs a token of a person with the scope openid",
            **{"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="openid"'},
        )
    answer = await auth.userinfo(claims)
    if answer is None:
        return oauth_error(401, "invalid_token", "the account behind this token is gone")
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


async def logout(auth: Authority, request: Request) -> Response:
    """RP-initiated logout. A signed-in person confirms it (a POST carrying the page's
    CSRF token): no link or image on another site can sign anyone out."""
    params = dict(request.query_params)
    if request.method == "POST":
        params.update(await _form(request))
    target = await auth.logout_target(params)
    if isinstance(target, str) and target.startswith("!"):
        return oauth_error(400, "invalid_request", target[1:])
    session_id = request.cookies.get(pages.SESSION_COOKIE)
    session = await auth.state.session(session_id)
    if session is not None:
        confirmed = request.method == "POST" and auth.csrf.check(
            "logout:" + session.id, params.get("csrf")
        )
        if not confirmed:
            kept = {k: v for k, v in params.items() if k != "csrf"}
            return pages.logout_form(csrf=auth.csrf.token("logout:" + session.id), params=kept)
        await auth.state.close_session(session.id)
    response: Response = (
        RedirectResponse(target, status_code=303)
        if target
        else pages.message("Signed out", "You are signed out of YouthGraph.")
    )
    response.delete_cookie(pages.SESSION_COOKIE)
    return response


def _too_many() -> JSONResponse:
    return oauth_error(
        429, "slow_down", "too many failed attempts: wait a minute", **{"Retry-After": "60"}
    )


def _safe_next(value: str) -> str:
    """Only the hub's own authorize endpoint is a place to go back to after signing in."""
    return value if value.startswith("/oauth/authorize?") else ""


def _set_csrf_cookie(response: Response, value: str, auth: Authority) -> None:
    response.set_cookie(
        pages.CSRF_COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=auth.issuer.startswith("https://"),
    )


def routes(authority: Callable[[], Awaitable[Authority]]) -> list[BaseRoute]:
    """The endpoints, each finding the process's :class:`Authority` when it is called
    (it opens with the hub, after the routes are made)."""

    def route(
        path: str, handler: Callable[[Authority, Request], Awaitable[Response]], methods: list[str]
    ) -> Route:
        return Route(path, guarded(handler, authority), methods=methods)

    return [
        route("/.well-known/openid-configuration", discovery, ["GET"]),
        route("/.well-known/oauth-authorization-server", discovery, ["GET"]),
        route("/oauth/jwks", jwks, ["GET"]),
        route("/oauth/authorize", authorize, ["GET", "POST"]),
        route("/oauth/token", token, ["POST"]),
        route("/oauth/revoke", endpoint("revocation"), ["POST"]),
        route("/oauth/introspect", endpoint("introspection"), ["POST"]),
        route("/oauth/userinfo", userinfo, ["GET", "POST"]),
        route("/oauth/logout", logout, ["GET", "POST"]),
        route("/login", login, ["GET", "POST"]),
        route("/login/sms", send_sms_code, ["POST"]),
        route("/login/done", signed_in, ["GET"]),
    ]
