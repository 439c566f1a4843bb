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
    """GitHub 上（または origin のある clone）では、リンクのリポジトリ名が本物と一致する。"""
    slugs = {s for s, _ in COLAB.findall((ROOT / "README.md").read_text(encoding="utf-8"))}
    actual = repo_slug(ROOT)
    assert len(slugs) == 1
    assert slugs == {actual or PLACEHOLDER}, f"README のリンクは {slugs}、リポジトリは {actual}: make readme を実行"


def test_readme_has_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("make book", "make test", "make execute NB=", "ライセンス", "English summary"):
        assert needle in text
