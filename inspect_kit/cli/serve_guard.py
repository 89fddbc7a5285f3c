"""The Origin and Host check in front of `inspect-kit serve` (textual-serve has none).

Without it any web page the user opens could drive the app: a script on evil.example may open
a WebSocket to ws://127.0.0.1:8000/ws (browsers allow cross-origin WebSockets and send the
page's Origin), and a DNS-rebinding page reaches the port under its own host name. So every
request must name the served address in `Host`, and any `Origin` it carries (always present on
a browser's WebSocket upgrade, and required there) must be that same address. Anything else
gets 403 before textual-serve sees it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import hdrs, web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` values that mean the served address (a loopback one by its two names)."""
    names = LOOPBACK_NAMES if host in LOOPBACK_NAMES else (host,)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= set(names)
    return frozenset(h.lower() for h in hosts)


def refusal(request: web.Request, allowed: frozenset[str]) -> str | None:
    """Why this request is refused, or None when it comes from the served page itself."""
    host = (request.headers.get(hdrs.HOST) or "").strip().lower()
    if host not in allowed:
        return f"Host {host or '(none)'} is not the served address"
    origin = request.headers.get(hdrs.ORIGIN)
    is_upgrade = request.headers.get(hdrs.UPGRADE, "").lower() == "websocket"
    if origin is None:
        return "a WebSocket needs an Origin" if is_upgrade else None
    parts = urlsplit(origin.strip().lower())
    if parts.scheme != "http" or parts.netloc not in allowed:
        return f"Origin {origin} is not the served page"
    return None


def origin_guard(
    host: str, port: int
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """aiohttp middleware: 403 for a request whose Host or Origin is not the served address."""
    allowed = allowed_hosts(host, port)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        why = refusal(request, allowed)
        if why is not None:
            return web.Response(status=403, text=f"403 Forbidden: {why}\n")
        return await handler(request)

    return guard
