"""Who may read and who may change state, CSRF tokens, and the security headers.

Two optional secrets: the write token (FUNDWATCH_WEB_TOKEN) is needed for anything that changes
state; the read token (FUNDWATCH_WEB_READ_TOKEN) makes reading need a token too. A browser signs
in once on /login and gets an HttpOnly, SameSite=Strict cookie holding an HMAC of the token (never
the token); scripts send `Authorization: Bearer TOKEN`; feed readers may add `?token=READ_TOKEN`.
Form posts carry a CSRF token derived from the cookie and are refused from other origins.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse

from fundwatch.web.config import WebConfig

COOKIE = "fundwatch_session"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
OPEN_PATHS = ("/static/", "/login", "/healthz")


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


def _mac(secret: str, purpose: str) -> str:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def session_cookie(config: WebConfig, access: Access) -> str:
    if access is Access.WRITE and config.token:
        return "w." + _mac(config.token, "fundwatch-web-session:write")
    assert config.read_token
    return "r." + _mac(config.read_token, "fundwatch-web-session:read")


def token_access(config: WebConfig, token: str | None) -> Access:
    if not token:
        return Access.NONE
    if config.token and hmac.compare_digest(token.encode(), config.token.encode()):
        return Access.WRITE
    if config.read_token and hmac.compare_digest(token.encode(), config.read_token.encode()):
        return Access.READ
    return Access.NONE


def _cookie_access(config: WebConfig, cookie: str | None) -> Access:
    if not cookie:
        return Access.NONE
    if config.token and hmac.compare_digest(cookie, session_cookie(config, Access.WRITE)):
        return Access.WRITE
    if config.read_token and hmac.compare_digest(cookie, session_cookie(config, Access.READ)):
        return Access.READ
    return Access.NONE


def bearer(connection: HTTPConnection) -> str | None:
    scheme, _, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def access_of(config: WebConfig, connection: HTTPConnection) -> Access:
    """What this request may do, from its bearer token, feed token or session cookie."""
    found = max(
        token_access(config, bearer(connection)),
        _cookie_access(config, connection.cookies.get(COOKIE)),
    )
    if found is Access.NONE and connection.scope.get("method") in ("GET", "HEAD"):
        found = min(token_access(config, connection.query_params.get("token")), Access.READ)
    if found is Access.NONE and config.read_token is None:
        return Access.READ
    return found


def signed_in(config: WebConfig, connection: HTTPConnection) -> bool:
    return _cookie_access(config, connection.cookies.get(COOKIE)) is not Access.NONE


def csrf_token(config: WebConfig, connection: HTTPConnection) -> str:
    """The form token of this browser session ('' when it is not signed in for writing)."""
    cookie = connection.cookies.get(COOKIE)
    if not config.token or _cookie_access(config, cookie) is not Access.WRITE:
        return ""
    return _mac(config.token, f"csrf:{cookie}")


def same_origin(request: Request) -> bool:
    """A form post must come from a page of this dashboard (Origin, else Referer)."""
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "")


def csrf_valid(config: WebConfig, request: Request, submitted: str | None) -> bool:
    expected = csrf_token(config, request)
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted or "")


ASGIApp = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


class SecurityMiddleware:
    """Adds the security headers everywhere; turns away readers without a needed token."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        path: str = scope.get("path", "/")
        connection = HTTPConnection(scope)
        if not path.startswith(OPEN_PATHS) and access_of(self.config, connection) is Access.NONE:
            if path.startswith(("/api/", "/feeds/")) or path.endswith((".csv", ".json")):
                from starlette.responses import JSONResponse

                response: Any = JSONResponse(
                    {"detail": "this dashboard needs a token: send Authorization: Bearer TOKEN"},
                    status_code=401,
                    headers={"www-authenticate": "Bearer"},
                )
            else:
                target = path + (
                    f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
                )
                from urllib.parse import quote

                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def safe_next(target: str | None) -> str:
    """Only a path of this site may be the target after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
