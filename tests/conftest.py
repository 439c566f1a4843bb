"""テスト共通: 章ノートブックの読み込みと、組み上がったサイトの場所（--site）。"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bookinfo import toc_chapters  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--site", default=None, help="組み上がった HTML のディレクトリ（site_checks.py 用）")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


CHAPTERS = [ROOT / p for p in toc_chapters(ROOT)]


@pytest.fixture(params=CHAPTERS, ids=[p.stem for p in CHAPTERS])
def chapter(request):
    return request.param, load(request.param)
