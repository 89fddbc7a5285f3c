"""`inspect-kit serve`: the TUI in a browser through textual-serve, on 127.0.0.1 only by default.

textual-serve has no login and no Origin check (ecosystem.md §5): anyone who can reach the port
can drive the app. So it binds the loopback address unless a clearly named flag says otherwise,
and refuses (403) every request whose Host or Origin is not that address (cli/serve_guard.py),
so a web page open in the same browser cannot reach it either.
Each browser tab runs its own `inspect-kit tui` process; the database lock keeps them apart.
"""

from __future__ import annotations

import asyncio
import errno
import shlex
import signal
import subprocess
import sys
from contextlib import suppress

import click

from inspect_kit.cli import Kit, UserError, pass_kit

LOOPBACK = "127.0.0.1"


def app_command(kit: Kit) -> str:
    """The shell command textual-serve runs per tab: this same Python, this workspace."""
    parts = [sys.executable, "-m", "inspect_kit", "--workspace", str(kit.workspace.root)]
    if kit.workspace.db_override is not None:
        parts += ["--db", str(kit.workspace.db_override)]
    if kit.lang_option:
        parts += ["--lang", kit.lang_option]
    parts.append("tui")
    return subprocess.list2cmdline(parts) if sys.platform == "win32" else shlex.join(parts)


@click.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port on 127.0.0.1.")  # fmt: skip
@click.option("--public-host-i-understand-the-risk", "public_host", metavar="HOST", default=None,
              help="Listen on HOST instead of 127.0.0.1. No login: anyone reaching it can "
                   "read and change the data.")  # fmt: skip
@pass_kit
def serve(kit: Kit, port: int, public_host: str | None) -> None:
    """在浏览器中使用 / the full-screen app in a browser (127.0.0.1 only)."""
    from inspect_kit.cli.serve_page import LocalPageServer

    host = public_host or LOOPBACK
    url = f"http://{host}:{port}"

    def announce(*_: object) -> None:  # called by aiohttp once the socket is bound
        click.echo(f"inspect-kit 网页版已启动：{url}  （在浏览器中打开；按 Ctrl+C 停止）")
        if public_host:
            click.echo(f"警告：正在 {host} 上监听，没有登录验证，能访问这个地址的任何人都能"
                       "查看和修改数据。用完请立即按 Ctrl+C 停止。", err=True)  # fmt: skip

    class KitServer(LocalPageServer):
        async def on_startup(self, app) -> None:  # no banner before the bind
            pass

        async def _make_app(self):
            from inspect_kit.cli.serve_guard import origin_guard

            app = await super()._make_app()
            app.middlewares.append(origin_guard(self.host, self.port))  # before any route
            return app

        def serve(self, debug: bool = False) -> None:
            # Server.serve() with aiohttp's `print` hook kept, so the URL shows only once bound.
            from aiohttp import web

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            with suppress(NotImplementedError):
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(self._make_app(), host=self.host, port=self.port,
                        handle_signals=False, loop=loop, print=announce)  # fmt: skip

    server = KitServer(app_command(kit), host=host, port=port, lang=kit.lang)
    try:
        server.serve()
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UserError(f"端口 {port} 已被占用，请换一个：--port N。") from None
        raise UserError(f"无法在 {host}:{port} 上启动网页服务：{e.strerror or e}。") from None
