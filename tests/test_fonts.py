"""図の日本語: コードセルに現れる日本語の文字と、図を描くセルの文字列の非 ASCII 文字を、本と同じ設定
（matplotlib-fontja）で描き、字形がないという警告が 1 つも出ないことを確かめる。"""
from __future__ import annotations

import ast
import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib_fontja  # noqa: E402,F401

from conftest import CHAPTERS, load, source  # noqa: E402

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
MATHTEXT = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")


def _strings(code: str) -> list[str]:
    code = re.sub(r"^\s*[%!].*$", "", code, flags=re.M)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [code]
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def characters() -> set[str]:
    chars: set[str] = set()
    for path in CHAPTERS:
        for c in load(path)["cells"]:
            if c["cell_type"] != "code":
                continue
            chars |= set(JAPANESE.findall(source(c)))
            draws = any(k.startswith("image/") for o in c.get("outputs", []) for k in o.get("data", {}))
            if draws:
                for s in _strings(source(c)):
                    chars |= {ch for ch in MATHTEXT.sub("", s) if ord(ch) > 127 and not ch.isspace()}
    return chars


def missing_glyphs(chars: set[str]) -> list[str]:
    missing = []
    for ch in sorted(chars):
        fig = plt.figure(figsize=(1, 1))
        fig.text(0.1, 0.1, ch)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        plt.close(fig)
        if any("missing from font" in str(w.message) or "Glyph" in str(w.message) for w in caught):
            missing.append(ch)
    return missing


def test_japanese_font_is_configured():
    assert plt.rcParams["font.family"][0] == "IPAexGothic"


def test_every_character_in_figures_has_a_glyph():
    chars = characters()
    assert len(chars) > 50, "日本語の文字が少なすぎる（収集に失敗している）"
    missing = missing_glyphs(chars)
    assert missing == [], f"字形のない文字: {''.join(missing)}"


def test_the_checker_detects_a_missing_glyph():
    assert missing_glyphs({"≤", "注"}) == ["≤"]
