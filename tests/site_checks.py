"""組み上がったサイト（make test-render）の検査: 日本語検索、図、起動ボタン、ダウンロードボタン。

使い方: pytest tests/site_checks.py --site _build/render/_build/html
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx.search.ja import DefaultSplitter

from bookinfo import repo_slug, toc_chapters
from conftest import ROOT


@pytest.fixture(scope="module")
def site(request) -> Path:
    path = request.config.getoption("--site")
    assert path, "--site で HTML のディレクトリを指定する"
    site = Path(path)
    assert (site / "index.html").exists(), f"{site} にサイトがない"
    return site


def _index(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def _pages_for(index: dict, query: str) -> set[str]:
    """Sphinx の日本語検索と同じく、クエリを TinySegmenter で語に分け、すべての語を含むページを返す。"""
    pages = None
    for term in (t.lower() for t in DefaultSplitter({}).split(query) if t.strip()):
        hits = set()
        for table in (index["terms"], index["titleterms"]):
            v = table.get(term, [])
            hits |= {v} if isinstance(v, int) else set(v)
        pages = hits if pages is None else pages & hits
    return {index["docnames"][i] for i in pages or ()}


def test_japanese_search_finds_words_inside_sentences(site):
    index = _index(site)
    assert "tiny_segmenter.js" in (site / "search.html").read_text(encoding="utf-8"), "sphinx_tsegsearch が入っていない"
    checked = 0
    for query in ["注意機構", "温度パラメータ", "交差エントロピー", "内積"]:
        expected = set()
        for rel in toc_chapters(ROOT) + ["book/intro.md", "book/glossary.md"]:
            p = ROOT / rel
            if p.exists() and query in p.read_text(encoding="utf-8"):
                expected.add(rel.rsplit(".", 1)[0])
        if not expected:
            continue
        found = _pages_for(index, query)
        assert expected <= found, f"{query}: 見つからないページ {sorted(expected - found)}"
        checked += 1
    assert checked >= 2


def test_pages_are_japanese(site):
    html = (site / "notebooks/part1_foundations/04_probability.html").read_text(encoding="utf-8")
    assert '<html lang="ja"' in html
    assert "検索" in html, "テーマの UI 文字列が日本語になっていない"
    for rel in toc_chapters(ROOT):   # 折りたたんだセルの開閉ボタン（myst-nb の既定は英語）
        html = (site / rel.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert "Show code cell" not in html and "Hide code cell" not in html, f"{rel}: 英語の開閉ボタン"
    recap = (site / "notebooks/part5_gpt/22_inference.html").read_text(encoding="utf-8")
    assert "コードを表示" in recap, "写しのセルの開閉ボタンが日本語になっていない"


def test_chapter_pages_have_figures_and_download(site):
    for rel in toc_chapters(ROOT):
        html = (site / rel.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert len(re.findall(r"<img [^>]*src=\"[^\"]+\.png\"", html)) >= 2, f"{rel}: 図が 2 つ未満"
        assert "download-notebook-button" in html or f"_sources/{rel}" in html, f"{rel}: ダウンロードボタンがない"
        assert (site / "_sources" / rel).exists(), f"{rel}: ダウンロードできるノートブックがない"


def test_launch_buttons_point_at_this_repository(site):
    slug = repo_slug(ROOT)
    for rel in toc_chapters(ROOT):
        html = (site / rel.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        if slug is None:  # リポジトリが分からないときは URL を作らない
            assert "colab.research.google.com" not in html and "mybinder.org" not in html
            continue
        assert f"https://colab.research.google.com/github/{slug}/blob/main/{rel}" in html
        assert f"https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/{rel}" in html
