"""各章の冒頭の「早見表」セル（作るもの・前の章から使うもの・実行時間）を作る。

使い方: python book/_ext/headers.py [--times _build/nbval_times.json]
早見表は、章の 2 番目のセル（タグ chapter-header のマークダウン）に置く。内容は export / recap セルから
機械的に決まるので、テスト（tests/test_headers.py）が「今のノートブックから作り直したものと同じ」ことを確かめる。
実行時間は --times の計測値（make test-notebooks が書く）から 5 秒単位に切り上げ、なければ今の値を残す。
"""
from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bookinfo import BUDGET_SECONDS, ROOT, chapter_title, toc_chapters  # noqa: E402

TAG = "chapter-header"
TIME_RE = re.compile(r"実行時間\*\*: 約 (\d+) 秒")


def _source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _names(code: str) -> list[str]:
    """最上位の def / class の名前（書かれた順）。"""
    return [n.name for n in ast.parse(code).body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]


def _tagged(nb: dict, tag: str) -> list[str]:
    out: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and tag in cell.get("metadata", {}).get("tags", []):
            out += [n for n in _names(_source(cell)) if n not in out]
    return out


def _number(rel: str) -> int:
    return int(Path(rel).name[:2])


def header_text(rel: str, chapters: list[str], seconds: int | None, root: Path = ROOT) -> str:
    """rel の章の早見表（マークダウン）。chapters は目次順の章、seconds は実行時間（秒、5 の倍数）。"""
    nbs = {c: json.loads((root / c).read_text(encoding="utf-8")) for c in chapters}
    exports = _tagged(nbs[rel], "export")
    origin: dict[str, str] = {}   # 名前 -> それを最後に export した、この章より前の章
    for c in chapters:
        if _number(c) >= _number(rel):
            break
        for name in _tagged(nbs[c], "export"):
            origin[name] = c
    used: dict[str, list[str]] = {}
    for name in _tagged(nbs[rel], "recap"):
        if name in origin:
            used.setdefault(origin[name], []).append(name)

    here = Path(rel).parent
    def link(c: str) -> str:
        return f"[{chapter_title(root / c)}]({os.path.relpath(c, here)})"

    made = "、".join(f"`{n}`" for n in exports) if exports else "なし（後の章が写す定義はありません）"
    if used:
        uses = "、".join(f"{link(c)} の " + "・".join(f"`{n}`" for n in names)
                        for c, names in sorted(used.items(), key=lambda kv: _number(kv[0])))
    else:
        uses = "なし（setup セルの import だけで動きます）"
    time = f"約 {seconds} 秒" if seconds else "未計測"
    budget = BUDGET_SECONDS[_number(rel)]
    return (
        "> **この章の早見表**\n"
        ">\n"
        f"> - **作って export するもの**: {made}\n"
        f"> - **前の章から写して使うもの**: {uses}\n"
        f"> - **実行時間**: {time}（2 コアの CPU、`OMP_NUM_THREADS=1` で全セル。予算は {budget} 秒）"
    )


def current_seconds(nb: dict) -> int | None:
    for cell in nb["cells"][:3]:
        if TAG in cell.get("metadata", {}).get("tags", []):
            m = TIME_RE.search(_source(cell))
            return int(m.group(1)) if m else None
    return None


def round_up(seconds: float) -> int:
    return max(5, 5 * math.ceil(seconds / 5))


def update(root: Path = ROOT, times: dict[str, float] | None = None) -> list[str]:
    chapters = toc_chapters(root)
    changed = []
    for rel in chapters:
        path = root / rel
        nb = nbformat.read(path, as_version=4)
        seconds = round_up(times[rel]) if times and rel in times else current_seconds(nb)
        text = header_text(rel, chapters, seconds, root)
        cells = nb.cells
        if len(cells) > 1 and TAG in cells[1].get("metadata", {}).get("tags", []):
            if _source(cells[1]) == text:
                continue
            cells[1].source = text
        else:
            cells.insert(1, nbformat.v4.new_markdown_cell(text, metadata={"tags": [TAG]}))
        nbformat.write(nb, path)
        changed.append(rel)
    return changed


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", help="章ごとの実行時間（JSON、パス -> 秒）")
    args = parser.parse_args()
    times = json.loads(Path(args.times).read_text(encoding="utf-8")) if args.times else None
    for rel in update(ROOT, times):
        print(f"早見表を更新しました: {rel}")
