"""recap セルが export と一字一句同じことの検査と、その検査器自体のテスト。"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import CHAPTERS, load, source, tags
from recap import check_recaps


def test_recaps_match_latest_earlier_export():
    problems = check_recaps(CHAPTERS)
    assert problems == [], "\n".join(problems)


def _notebook(cells: list[tuple[str, list[str]]]) -> dict:
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {"tags": t}, "outputs": [],
                   "source": s} for s, t in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }


def _a_real_export() -> tuple[Path, str] | None:
    """本の中の本物の export セル（なければ None）。"""
    for path in CHAPTERS:
        for cell in load(path)["cells"]:
            if "export" in tags(cell) and ("def " in source(cell) or "class " in source(cell)):
                return path, source(cell)
    return None


def _write(path: Path, nb: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def test_checker_rejects_a_drifted_copy(tmp_path):
    real = _a_real_export()
    if real is not None:   # 本物の export を持つ章をそのまま写し、その後の章に 1 文字だけ違う recap を置く
        origin = Path(shutil.copy(real[0], tmp_path / real[0].name))
        code = real[1]
    else:
        code = 'def softmax(x):\n    """例"""\n    return x.exp() / x.exp().sum()'
        origin = _write(tmp_path / "01_origin.ipynb", _notebook([(code, ["export"])]))
    exact = code
    drifted = code.replace("return", "return  ", 1) if "return" in code else code + "\n"
    assert drifted != exact
    later = tmp_path / "99_later.ipynb"

    _write(later, _notebook([("# 第NN章から\n" + exact, ["recap", "hide-input"])]))
    assert check_recaps([origin, later]) == [], "同じ写しを拒んだ"

    _write(later, _notebook([("# 第NN章から\n" + drifted, ["recap", "hide-input"])]))
    problems = check_recaps([origin, later])
    assert len(problems) == 1 and "異なる" in problems[0], problems


def test_checker_rejects_unknown_or_later_export(tmp_path):
    code = "def helper(x):\n    return x"
    early = _write(tmp_path / "02_early.ipynb", _notebook([(code, ["recap", "hide-input"])]))
    late = _write(tmp_path / "05_late.ipynb", _notebook([(code, ["export"])]))
    problems = check_recaps([early, late])
    assert problems and "export されていない" in problems[0]


def test_checker_uses_the_latest_earlier_export(tmp_path):
    v1 = "def f(x):\n    return x"
    v2 = "def f(x):\n    return 2 * x"
    a = _write(tmp_path / "03_a.ipynb", _notebook([(v1, ["export"])]))
    b = _write(tmp_path / "07_b.ipynb", _notebook([(v2, ["export"])]))
    c = _write(tmp_path / "09_c.ipynb", _notebook([(v1, ["recap", "hide-input"])]))
    assert check_recaps([a, b, c]), "古い版の写しを受け入れた"
    _write(c, _notebook([(v2, ["recap", "hide-input"])]))
    assert check_recaps([a, b, c]) == []
