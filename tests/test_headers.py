"""各章の早見表（2 番目のセル、タグ chapter-header）が export / recap セルと食い違っていないことの検査。"""
from __future__ import annotations

import pytest

from bookinfo import BUDGET_SECONDS, toc_chapters
from conftest import CHAPTERS, ROOT, load, tags
from headers import TAG, current_seconds, header_text

RELS = toc_chapters(ROOT)


@pytest.mark.parametrize("rel", RELS, ids=[p.stem for p in CHAPTERS])
def test_header_is_up_to_date(rel):
    nb = load(ROOT / rel)
    cell = nb["cells"][1]
    assert cell["cell_type"] == "markdown" and TAG in tags(cell), f"{rel}: 2 番目のセルが早見表でない（make headers）"
    seconds = current_seconds(nb)
    assert seconds is not None, f"{rel}: 実行時間が未計測（make test の後に make headers）"
    assert seconds <= BUDGET_SECONDS[int(rel.split("/")[-1][:2])], f"{rel}: 早見表の実行時間が予算を超えている"
    expected = header_text(rel, RELS, seconds, ROOT)
    got = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    assert got == expected, f"{rel}: 早見表が export / recap セルと合わない（make headers で作り直す）"
