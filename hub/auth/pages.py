"""The sign-in and consent pages: server-rendered HTML, nothing from another host.

Every page is sent with a policy that forbids framing (``frame-ancestors
'none'``) and every script; every form carries a CSRF token, an HMAC of a
cookie value under the hub's auth secret, checked before anything else.
Everything shown is escaped.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from html import escape

from starlette.responses import HTMLResponse

CSRF_COOKIE = "hub_csrf"
SESSION_COOKIE = "hub_session"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
SCOPE_TEXT = {
    "openid": "know that it is you (an identifier for this platform only, never your ID number)",
    "profile": "your name",
    "phone": "your mobile number, masked (138****5678)",
    "org:read": "the organisations you serve in, and the tree below them",
    "member:read": "members' records in the organisations you serve in",
    "enterprise:read": "enterprises in the areas of the organisations you serve in",
    "pii:read": "full ID numbers and phones, each read recorded in the audit trail",
    "audit:read": "the audit trail of personal-data reads",
    "offline_access": "stay signed in to it (a refresh token)",
}
_STYLE = """
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}
.error{color:#a00;border:1px solid #a00;padding:.5rem}.note{color:#555}
"""


class Csrf:
    """Double-submit tokens: the form's token is an HMAC of a cookie the page set."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"hub-csrf:{secret}".encode()).digest()

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token(self, cookie: str) -> str:
        return hmac.new(self._key, cookie.encode(), hashlib.sha256).hexdigest()

    def check(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token(cookie), token)


def page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def error_box(message: str | None, code: str | None) -> str:
    if not message:
        return ""
    return f'<p class="error" role="alert" data-code="{escape(code or "")}">{escape(message)}</p>'


def login_form(
    *,
    csrf: str,
    next_url: str,
    phone: str = "",
    error: str | None = None,
    code: str | None = None,
    sms_sent: bool = False,
    status: int = 200,
) -> HTMLResponse:
    """Mobile number and password, or a one-time code sent by SMS."""
    hidden = f'<input type="hidden" name="csrf" value="{escape(csrf)}">' + (
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
    )
    second = (
        '<label for="sms_code">Code sent by SMS</label>'
        '<input id="sms_code" name="sms_code" inputmode="numeric" autocomplete="one-time-code">'
        if sms_sent
        else '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password">'
    )
    note = (
        '<p class="note">If an account has this number, a code was sent to it.</p>'
        if sms_sent
        else ""
    )
    body = (
        f"{error_box(error, code)}{note}"
        f'<form method="post" action="/login">{hidden}'
        '<label for="phone">Mobile number</label>'
        f'<input id="phone" name="phone" inputmode="tel" autocomplete="tel" '
        f'value="{escape(phone)}" required>{second}'
        '<button id="sign-in" type="submit">Sign in</button></form>'
        f'<form method="post" action="/login/sms">{hidden}'
        f'<input type="hidden" name="phone" value="{escape(phone)}">'
        '<button id="send-code" type="submit" formnovalidate>Send me a code by SMS instead'
        "</button></form>"
    )
    return page("Sign in to YouthGraph", body, status=status)


def consent_form(
    *,
    csrf: str,
    client_name: str,
    scopes: Sequence[str],
    claims: Sequence[str],
    params: Mapping[str, str],
) -> HTMLResponse:
    """What the platform asks for and which claims it will receive; allow or deny."""
    items = "".join(
        f"<li>{escape(SCOPE_TEXT.get(scope, scope))} (<code>{escape(scope)}</code>)</li>"
        for scope in scopes
    )
    released = ", ".join(f"<code>{escape(claim)}</code>" for claim in claims) or "none"
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in params.items()
    )
    body = (
        f"<p><strong>{escape(client_name)}</strong> asks to:</p><ul>{items}</ul>"
        f"<p>Claims it will receive: {released}.</p>"
        f'<form method="post" action="/oauth/authorize">{hidden}'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        '<button id="allow" name="decision" value="allow" type="submit">Allow</button> '
        '<button id="deny" name="decision" value="deny" type="submit">Deny</button></form>'
    )
    return page("Allow access?", body)


def logout_form(*, csrf: str, params: Mapping[str, str]) -> HTMLResponse:
    """Sign out? One button, posting the logout request back with the page's CSRF token."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in params.items()
    )
    body = (
        "<p>Sign out of YouthGraph on this device?</p>"
        f'<form method="post" action="/oauth/logout">{hidden}'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        '<button id="sign-out" type="submit">Sign out</button></form>'
    )
    return page("Sign out?", body)


def message(title: str, text: str, *, status: int = 200, code: str | None = None) -> HTMLResponse:
    box = error_box(text, code) if code else f"<p>{escape(text)}</p>"
    return page(title, box, status=status)
