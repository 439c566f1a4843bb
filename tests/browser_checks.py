"""組み上がったサイトを実ブラウザ（ヘッドレス Chromium）で開く検査。

使い方: pytest tests/browser_checks.py --site _build/render/_build/html
サイトを 127.0.0.1 の空きポートで配信し、Debian の chromium（環境変数 CHROMIUM で変更可）を Playwright で動かす。
- すべてのページ: コンソールエラーなし、localhost の外へ出る要求なし、画像がすべて読み込まれる
- 数式のあるページ: MathJax が描いた mjx-container がある
- ウィジェットの状態を保存した章: スライダーが描かれる
- 日本語検索: 注意機構・温度パラメータで、その語を含むページが結果に出る
- 起動ボタン: 各章の Colab / Binder のリンクがその章のノートブックを指す
スクリーンショットを _build/browser/ に残す（CI の成果物）。
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from bookinfo import repo_slug, toc_chapters
from conftest import ROOT
from site_checks import _index, _pages_for

SHOTS = ROOT / "_build" / "browser"
LOCAL = {"127.0.0.1", "localhost"}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("chromium が見つからない（Debian: apt-get install chromium。別の場所なら CHROMIUM=パス）")
    return path


@pytest.fixture(scope="module")
def site(request) -> Path:
    path = request.config.getoption("--site")
    assert path, "--site で HTML のディレクトリを指定する"
    site = Path(path).resolve()
    assert (site / "index.html").exists(), f"{site} にサイトがない"
    return site


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # 要求ごとのログは出さない
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Visit:
    """1 ページを開き、コンソールエラーと外部への要求を記録する。"""

    def __init__(self, browser, url: str):
        self.errors: list[str] = []
        self.external: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self._failed(r))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL:
            self.external.append(route.request.url)
            return route.abort()
        return route.continue_()

    def _failed(self, request):
        if urlparse(request.url).hostname in LOCAL:
            self.errors.append(f"要求の失敗: {request.url} {request.failure}")

    def close(self):
        self.context.close()


def _pages(site: Path) -> list[str]:
    return [d + ".html" for d in _index(site)["docnames"]]


def _has_math(html: str) -> bool:
    return bool(re.search(r'class="math[ "]', html))


def test_every_page_loads_offline(site, base_url, browser):
    problems = []
    math_pages = 0
    for rel in _pages(site) + ["genindex.html", "search.html"]:
        v = Visit(browser, base_url + rel)
        try:
            html = (site / rel).read_text(encoding="utf-8")
            if _has_math(html):
                math_pages += 1
                v.page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
                v.page.evaluate("MathJax.startup.promise")
                n = v.page.locator("mjx-container").count()
                if n == 0:
                    problems.append(f"{rel}: 数式があるのに MathJax の出力（mjx-container）がない")
            broken = v.page.evaluate(
                "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
            problems += [f"{rel}: 読み込めない画像 {src}" for src in broken]
            problems += [f"{rel}: {e}" for e in v.errors]
            problems += [f"{rel}: localhost の外への要求 {u}" for u in v.external]
        finally:
            v.close()
    assert math_pages >= 5, f"数式のあるページが {math_pages} しかない（数式の検出を確かめる）"
    assert not problems, "\n".join(problems)


def _widget_chapters(root: Path) -> list[str]:
    out = []
    for rel in toc_chapters(root):
        nb = json.loads((root / rel).read_text(encoding="utf-8"))
        state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
        if state.get("state"):
            out.append(rel)
    return out


def test_stored_widgets_render(site, base_url, browser):
    chapters = _widget_chapters(ROOT)
    assert chapters, "ウィジェットの状態を保存した章がない"
    for rel in chapters:
        page = rel.removesuffix(".ipynb") + ".html"
        v = Visit(browser, base_url + page)
        try:
            slider = v.page.locator(".widget-slider, .jupyter-widgets.widget-hslider").first
            slider.wait_for(state="visible", timeout=20000)
            assert not v.errors and not v.external, (v.errors, v.external)
            if rel == chapters[0]:
                SHOTS.mkdir(parents=True, exist_ok=True)
                slider.scroll_into_view_if_needed()
                v.page.screenshot(path=str(SHOTS / "widget.png"))
        finally:
            v.close()


@pytest.mark.parametrize("query", ["注意機構", "温度パラメータ"])
def test_japanese_search_in_browser(site, base_url, browser, query):
    expected = _pages_for(_index(site), query)
    assert expected, f"{query} を含むページがない"
    v = Visit(browser, base_url + "search.html?q=" + quote(query))
    try:
        v.page.wait_for_function(
            "document.querySelector('#search-results p.search-summary, #search-results .search-summary')"
            " && !document.querySelector('#search-results .search-summary').textContent.includes('検索中')",
            timeout=30000)
        links = v.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
        found = {urlparse(h).path.lstrip("/").removesuffix(".html") for h in links}
        assert expected <= found, f"{query}: 見つからないページ {sorted(expected - found)}"
        assert not v.errors and not v.external, (v.errors, v.external)
        if query == "注意機構":
            SHOTS.mkdir(parents=True, exist_ok=True)
            v.page.screenshot(path=str(SHOTS / "search.png"))
    finally:
        v.close()


def test_launch_buttons_point_at_each_notebook(site, base_url, browser):
    slug = repo_slug(ROOT)
    assert slug, "起動ボタンの検査にはリポジトリが要る（make test-render は BOOK_SLUG_FALLBACK を渡す）"
    for i, rel in enumerate(toc_chapters(ROOT)):
        page = rel.removesuffix(".ipynb") + ".html"
        v = Visit(browser, base_url + page)
        try:
            hrefs = v.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            colab = [h for h in hrefs if "colab.research.google.com" in h]
            binder = [h for h in hrefs if "mybinder.org" in h]
            assert colab == [f"https://colab.research.google.com/github/{slug}/blob/main/{rel}"], (rel, colab)
            assert binder == [f"https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/{rel}"], (rel, binder)
            if i == 0:
                SHOTS.mkdir(parents=True, exist_ok=True)
                v.page.screenshot(path=str(SHOTS / "chapter.png"))
        finally:
            v.close()
