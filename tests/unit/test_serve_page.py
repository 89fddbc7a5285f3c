"""The page `inspect-kit serve` gives the browser: a title in the interface language, the
kit's words for start/ended/restart, and every URL it loads on this machine."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from inspect_kit.cli.serve_page import LocalPageServer

URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(["']?([^"')]+)""")


async def page(lang: str) -> tuple[str, TestClient, str]:
    server = LocalPageServer("true", lang=lang, host="127.0.0.1", port=8765)
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    response = await client.get("/")
    assert response.status == 200
    return await response.text(), client, server.public_url


@pytest.mark.parametrize(("lang", "title", "words"), [
    ("zh", "关工委检查评分（网页版）", ("开始", "会话已结束。", "重新开始")),
    ("en", "Inspection scoring (web)", ("Start", "Session ended.", "Restart")),
])  # fmt: skip
async def test_the_page_has_a_title_and_loads_nothing_from_outside(lang, title, words):
    html, client, public = await page(lang)
    try:
        assert f"<title>{title}</title>" in html
        for word in words:
            assert f">{word}<" in html
        if lang == "zh":
            assert "Session ended" not in html and ">Start<" not in html
        urls = [a or b for a, b in URL.findall(html)]
        assert any(u.endswith(".ttf") for u in urls)  # the font comes from the static folder
        outside = [u for u in urls if u.startswith(("http:", "https:", "//"))
                   and not u.startswith(public)]  # fmt: skip
        assert not outside, outside
        for url in urls:  # each of them is served here
            local = await client.get(url.removeprefix(public))
            assert local.status == 200, url
    finally:
        await client.close()
