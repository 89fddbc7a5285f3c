"""The page `inspect-kit serve` hands the browser: textual-serve's page with a title and words
in the interface language, and nothing loaded from outside the machine (its template asks
Google Fonts for Roboto Mono; ours takes the copy textual-serve ships in its static folder)."""

from __future__ import annotations

from pathlib import Path

from textual_serve.server import Server

from inspect_kit.i18n.catalog import tr

PAGE_DIR = Path(__file__).with_name("web")


class LocalPageServer(Server):
    """textual-serve's server with the kit's page template."""

    def __init__(self, command: str, *, lang: str, **kwargs) -> None:
        super().__init__(command, title=tr("serve.title", lang), templates_path=PAGE_DIR, **kwargs)
        self.page = {
            "lang": "zh-CN" if lang == "zh" else "en",
            "title": tr("serve.title", lang),
            "start": tr("serve.start", lang),
            "ended": tr("serve.ended", lang),
            "restart": tr("serve.restart", lang),
        }

    async def _make_app(self):
        import aiohttp_jinja2

        app = await super()._make_app()
        aiohttp_jinja2.get_env(app).globals["page"] = self.page
        return app
