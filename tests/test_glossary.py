"""用語集（book/glossary.md の Sphinx glossary）と章の {term} リンクの検査。

リンク先の存在は組版（make test-render、-n）が確かめる。ここでは、章が用語集を使っていること、
用語集の見出し語がどれもどこかの章から引かれていることを確かめる。
"""
from __future__ import annotations

import re

import pytest

from conftest import CHAPTERS, ROOT, load, source

TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")


def glossary_heads() -> list[str]:
    body = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8").split("```{glossary}")[1].split("```")[0]
    lines = body.splitlines()
    return [line.strip() for i, line in enumerate(lines)
            if line and not line.startswith((" ", ":")) and i and lines[i - 1].strip() == ""]


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
    heads = {h.lower() for h in glossary_heads()}
    unknown = sorted(t for t in terms if t.lower() not in heads)
    assert not unknown, f"{path.name}: 用語集の見出し語でない {{term}}: {unknown}"


def test_every_glossary_term_is_used():
    used = set()
    for path in CHAPTERS:
        used |= {t.lower() for t in linked_terms(load(path))}
    heads = glossary_heads()
    assert len(heads) >= 30
    unused = [h for h in heads if h.lower() not in used]
    assert not unused, f"どの章からもリンクされていない用語: {unused}"
