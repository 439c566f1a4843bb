"""1 ページに組んだ本（jupyter-book build --builder singlehtml）をヘッドレス Chromium で A4 の PDF に印刷する。

使い方: python book/_ext/print_pdf.py _build/pdf/_build/singlehtml _build/book.pdf
ページを 127.0.0.1 で配信し、MathJax の組版と画像の読み込みを待ってから印刷する。印刷後に PDF を読み直し、
ページ数・画像の数・数式のフォント・日本語の文字が入っていることを確かめて、ページ数を表示する。
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import sys
import threading
from pathlib import Path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("chromium が見つかりません（Debian: apt-get install chromium。別の場所なら CHROMIUM=パス）")
    return path


def print_pdf(site: Path, out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    # index.html はルート文書（book/intro.html）への転送だけ。しかも singlehtml はそのページの中の
    # _static/・_images/ への参照をサイトの根からの相対で書く（ルート文書が book/ にあることを考えない）。
    # そこで転送先をサイトの根に写して開く。
    head = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'url=([^"]+)"', head)
    page_path = "index.html"
    if m and "Refresh" in head:
        page_path = "book-single.html"
        shutil.copy(site / m.group(1), site / page_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page_path}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(locale="ja-JP")
            page.route("**/*", lambda r: r.abort() if r.request.url.startswith(("http://", "https://"))
                       and "127.0.0.1" not in r.request.url else r.continue_())
            page.goto(url, wait_until="load", timeout=120_000)
            page.wait_for_load_state("networkidle", timeout=120_000)
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000)
            page.evaluate("MathJax.startup.promise")
            page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
            page.emulate_media(media="print")
            # MathJax の CHTML は数式用の Web フォントを必要になってから読む。読み終える前に印刷すると数式が空白になる
            page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
            page.wait_for_load_state("networkidle", timeout=120_000)
            seen = page.evaluate("""() => ({
                math: document.querySelectorAll('mjx-container').length,
                mathFonts: [...document.fonts].filter(f => f.family.startsWith('MJX') && f.status === 'loaded').length,
                images: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
                brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length,
            })""")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(out), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
            browser.close()
        return seen
    finally:
        server.shutdown()
        server.server_close()


def inspect(pdf: Path) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    images = sum(len(page.images) for page in reader.pages)
    fonts = set()

    def walk(resources) -> None:  # ページと、その中のフォームに使われたフォント
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    text = "".join(reader.pages[i].extract_text() or "" for i in range(min(len(reader.pages), 30)))
    return {"pages": len(reader.pages), "images": images, "fonts": fonts, "text": text}


def main() -> None:
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    seen = print_pdf(site, out)
    info = inspect(out)
    problems = []
    if seen["math"] < 100 or seen["mathFonts"] == 0:
        problems.append(f"数式が組まれていない: mjx-container {seen['math']} 個、読み込んだ MathJax フォント {seen['mathFonts']}")
    if seen["brokenImages"]:
        problems.append(f"読み込めない画像が {seen['brokenImages']} 枚")
    if info["images"] < seen["images"] // 2:
        problems.append(f"PDF の画像が {info['images']} 枚（ページには {seen['images']} 枚）")
    if "作って学ぶ" not in info["text"]:
        problems.append("PDF から日本語の文字が取り出せない（日本語フォントがない？）")
    if problems:
        sys.exit("PDF の検査に失敗:\n  " + "\n  ".join(problems))
    print(f"{out}: A4 {info['pages']} ページ（図 {seen['images']} 枚、数式 {seen['math']} 個を組んで印刷）")


if __name__ == "__main__":
    main()
