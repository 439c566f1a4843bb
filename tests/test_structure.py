"""目次と章ノートブックの構造の検査（実行はしない）。"""
from __future__ import annotations

import re
from collections import Counter

import nbformat
import pytest
import yaml

from conftest import CHAPTERS, ROOT, load, source, tags

SETUP = (ROOT / "tests" / "setup_cell.txt").read_text(encoding="utf-8").rstrip("\n")
PATH_RE = re.compile(r"^notebooks/part([1-6])_[a-z0-9_]+/(\d\d)_[a-z0-9_]+\.ipynb$")


def test_toc_entries_exist_and_every_notebook_is_listed():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = re.findall(r"file:\s*(\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["root"] == "book/intro"
    for f in files + [toc["root"]]:
        assert any((ROOT / (f + ext)).exists() for ext in (".ipynb", ".md")), f"目次の {f} が存在しない"
    listed = {(ROOT / f).with_suffix(".ipynb") for f in files}
    on_disk = {p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts}
    assert on_disk - listed == set(), f"目次にないノートブック: {sorted(on_disk - listed)}"
    assert CHAPTERS, "章がない"


def test_chapter_paths_and_order():
    numbers = []
    for p in CHAPTERS:
        rel = p.relative_to(ROOT).as_posix()
        m = PATH_RE.match(rel)
        assert m, f"{rel} は notebooks/partN_slug/NN_slug.ipynb の形でない"
        numbers.append(int(m.group(2)))
    assert numbers == sorted(numbers), f"目次の章の順序が番号順でない: {numbers}"
    assert len(set(numbers)) == len(numbers), "章番号が重複している"


def test_notebook_is_valid_and_has_one_title(chapter):
    path, nb = chapter
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    h1 = [line for c in nb["cells"] if c["cell_type"] == "markdown"
          for line in source(c).splitlines() if re.match(r"^# \S", line)]
    number = path.name[:2]
    assert len(h1) == 1 and h1[0].startswith(f"# {number} "), f"H1 は '# {number} 題名' の 1 つだけ: {h1}"


def test_clean_top_to_bottom_run(chapter):
    """すべてのコードセルに実行番号があり、1..n と並ぶ（nbval は未実行のセルを黙って飛ばすため）。"""
    _, nb = chapter
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(source(c).strip() for c in code), "空のコードセルがある"
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), f"実行番号が 1..n でない: {counts}"


def test_no_error_or_stderr_outputs(chapter):
    _, nb = chapter
    for i, c in enumerate(nb["cells"]):
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"セル {i} にエラー出力: {o.get('ename')}"
            assert o.get("name") != "stderr", f"セル {i} に stderr 出力: {''.join(o.get('text', ''))[:200]}"


def test_setup_cell_is_first_and_identical(chapter):
    _, nb = chapter
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "setup" in tags(first), "最初のコードセルに setup タグがない"
    assert source(first) == SETUP, "setup セルが tests/setup_cell.txt と異なる"
    others = [c for c in nb["cells"] if c["cell_type"] == "code" and "setup" in tags(c)]
    assert len(others) == 1, "setup タグのセルは 1 つだけ"


def test_ignored_outputs_are_followed_by_an_assert(chapter):
    """出力を照合しないセル（時間計測、ウィジェット）の後の、最初に出力を照合するセルは結果を assert で確かめる。"""
    _, nb = chapter
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, c in enumerate(code):
        if "nbval-ignore-output" in tags(c):
            rest = [d for d in code[i + 1:] if "nbval-ignore-output" not in tags(d)]
            assert rest, "nbval-ignore-output のセルの後に照合されるセルがない"
            assert re.search(r"\bassert\b|assert_close|assert_allclose", source(rest[0])), \
                f"nbval-ignore-output のセルの次に assert がない:\n{source(c)[:200]}"


def test_widgets_are_driven_by_a_test_cell(chapter):
    """ウィジェットのセル（tag widget）の直後に widget-test セルがあり、コードから値を変えてコールバックを動かす。

    widget-test セルは自分で assert するか、出力を照合しない（nbval-ignore-output）なら次のセルが assert する
    （後者は test_ignored_outputs_are_followed_by_an_assert が確かめる）。
    """
    _, nb = chapter
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, c in enumerate(code):
        uses_widgets = re.search(r"\bwidgets\.\w+\(", source(c)) and "display" in source(c)
        if "widget" in tags(c) or uses_widgets:
            assert "widget" in tags(c) and "nbval-ignore-output" in tags(c), "ウィジェットのセルのタグが足りない"
            test = code[i + 1]
            assert "widget-test" in tags(test), "ウィジェットの直後に widget-test セルがない"
            assert re.search(r"\.value\s*=", source(test)), "widget-test セルがウィジェットの値を変えていない"
            if "nbval-ignore-output" not in tags(test):
                assert re.search(r"\bassert\b|assert_close", source(test)), "widget-test セルに assert がない"


def test_processor_viewpoint_exercises_and_check(chapter):
    _, nb = chapter
    md = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^##+ .*処理系の視点", md, re.M), "「処理系の視点」の節がない"
    ex = re.findall(r"\{exercise-start\}\s*\n:label:\s*(\S+)", md)
    sol = re.findall(r"\{solution-start\}\s+(\S+)", md)
    assert ex, "演習がない"
    assert sorted(ex) == sorted(set(sol)), f"演習と解答が対応しない: {ex} vs {sol}"
    assert md.count("{exercise-start}") == md.count("{exercise-end}")
    assert md.count("{solution-start}") == md.count("{solution-end}")
    checks = [c for c in nb["cells"] if c["cell_type"] == "code" and re.search(r"assert_close|assert\b", source(c))]
    assert len(checks) >= 1, "検証セルがない"


def test_figures_have_captions_and_unique_names():
    names = Counter()
    for path in CHAPTERS:
        nb = load(path)
        for c in nb["cells"]:
            if c["cell_type"] != "code":
                continue
            has_image = any(k.startswith("image/") for o in c.get("outputs", []) for k in o.get("data", {}))
            if not has_image or "widget" in tags(c):
                continue
            fig = c.get("metadata", {}).get("mystnb", {}).get("figure", {})
            assert fig.get("caption") and fig.get("name"), f"{path.name}: 図にキャプションか名前がない:\n{source(c)[:120]}"
            assert fig["name"].startswith(f"fig-{path.name[:2]}-"), f"{path.name}: 図の名前 {fig['name']} に章番号がない"
            names[fig["name"]] += 1
    dup = [n for n, k in names.items() if k > 1]
    assert not dup, f"図の名前が重複: {dup}"
