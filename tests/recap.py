"""export / recap の一致検査。

章 N の recap セル（tag recap）にある最上位の def / class は、章 N より前で最後に export
（tag export）された同名の定義と、ソースが一字一句同じでなければならない。
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path


def _source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _definitions(code: str) -> dict[str, str]:
    """最上位の def / class の名前 -> デコレータを含むソース。"""
    tree = ast.parse(code)
    lines = code.splitlines()
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            out[node.name] = "\n".join(lines[start - 1 : node.end_lineno])
    return out


def chapter_number(path: Path) -> int:
    return int(re.match(r"(\d\d)_", path.name).group(1))


def check_recaps(paths: list[Path]) -> list[str]:
    """問題の一覧を返す（空なら一致）。paths は章ノートブック。"""
    exports: dict[str, list[tuple[int, str, str]]] = {}
    recaps: list[tuple[int, str, dict, str]] = []
    problems = []
    for path in sorted(paths, key=chapter_number):
        n = chapter_number(path)
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            t = cell.get("metadata", {}).get("tags", [])
            where = f"{path.name} セル {i}"
            if "export" in t:
                for name, src in _definitions(_source(cell)).items():
                    exports.setdefault(name, []).append((n, where, src))
            if "recap" in t:
                if "hide-input" not in t:
                    problems.append(f"{where}: recap セルに hide-input タグがない")
                defs = _definitions(_source(cell))
                if not defs:
                    problems.append(f"{where}: recap セルに def / class がない")
                recaps.append((n, where, defs, _source(cell)))
    for n, where, defs, _ in recaps:
        for name, src in defs.items():
            earlier = [e for e in exports.get(name, []) if e[0] < n]
            if not earlier:
                problems.append(f"{where}: {name} はそれより前の章で export されていない")
                continue
            _, origin, expected = max(earlier, key=lambda e: e[0])
            if src != expected:
                problems.append(f"{where}: {name} が {origin} の export と異なる")
    return problems
