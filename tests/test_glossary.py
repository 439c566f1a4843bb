"""用語集（book/glossary.md の Sphinx glossary）と章の {term} リンクの検査。

リンク先の存在は組版（make test-render、-n）が確かめる。ここでは、章が用語集を使っていること、
用語集の見出し語がどれもどこかの章から引かれていることを確かめる。
"""
from __future__ import annotations

import re

import pytest

from conftest import CHAPTERS, ROOT, load, source

TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")


def glossary_entries() -> list[list[str]]:
    """用語集の項目ごとの見出し語（1 行目が代表、2 行目以降は別名）。"""
    body = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8").split("```{glossary}")[1].split("```")[0]
    entries: list[list[str]] = []
    prev = ""
    for line in body.splitlines():
        if line and not line.startswith((" ", ":")):
            if prev.strip() == "":
                entries.append([])
            entries[-1].append(line.strip())
        prev = line
    return entries


def linked_terms(nb: dict) -> set[str]:
    out = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for m in TERM.finditer(source(cell)):
                out.add((m.group(2) or m.group(1)).strip())
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_links_glossary_terms(path):
    terms = linked_terms(load(path))
    assert len(terms) >= 3, f"{path.name}: 用語集へのリンク（{{term}}）が {len(terms)} 個しかない"
    heads = {h.lower() for entry in glossary_entries() for h in entry}
    unknown = sorted(t for t in terms if t.lower() not in heads)
    assert not unknown, f"{path.name}: 用語集の見出し語でない {{term}}: {unknown}"


def test_every_glossary_term_is_used():
    used = set()
    for path in CHAPTERS:
        used |= {t.lower() for t in linked_terms(load(path))}
    entries = glossary_entries()
    assert len(entries) >= 30
    unused = [e[0] for e in entries if not any(h.lower() in used for h in e)]
    assert not unused, f"どの章からもリンクされていない用語: {unused}"
