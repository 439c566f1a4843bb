"""README: 章ごとの Colab リンクが実在するノートブックを指し、目次のすべての章を覆い、リポジトリ名が正しい。"""
from __future__ import annotations

import re

from bookinfo import PLACEHOLDER, repo_slug, toc_chapters
from conftest import ROOT

COLAB = re.compile(r"https://colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/main/(\S+?\.ipynb)\)")


def test_colab_links_name_existing_notebooks_and_cover_the_toc():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = COLAB.findall(text)
    assert links, "README に Colab のリンクがない"
    for _, path in links:
        assert (ROOT / path).is_file(), f"README のリンク先 {path} がない"
    assert [p for _, p in links] == toc_chapters(ROOT), "README の章一覧が目次と一致しない（make readme）"


def test_colab_links_name_this_repository():
    """リンクのリポジトリ名は 1 つで、OWNER/REPO（未設定の印）か、git remote / CI から分かる本物の名前。

    別の実在の名前（改名前の古いリンクなど）は失敗にする。OWNER/REPO は README の本文にその旨が書かれる。
    """
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    slugs = {s for s, _ in COLAB.findall(text)}
    assert len(slugs) == 1, slugs
    (slug,) = slugs
    actual = repo_slug(ROOT)
    if slug == PLACEHOLDER:
        assert "make readme" in text, "OWNER/REPO のままなら、make readme で置き換えると README に書く"
    else:
        assert slug == actual, f"README のリンクは {slug}、リポジトリは {actual}: make readme を実行"


def test_readme_has_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("make book", "make test", "make execute NB=", "ライセンス", "English summary"):
        assert needle in text
