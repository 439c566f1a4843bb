"""pytest プラグイン: nbval で再実行した各章の実行時間を測り、DESIGN.md の予算を超えたら失敗にする。

make test-notebooks が -p tests.nbtiming で読み込む。結果は _build/nbval_times.json に書く。
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from bookinfo import BUDGET_SECONDS  # noqa: E402

_times: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _times[path] += report.duration


def budget_for(path: str) -> float:
    m = re.search(r"/(\d\d)_[^/]+\.ipynb$", path)
    return BUDGET_SECONDS[int(m.group(1))]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput") or not _times:
        return
    over = []
    terminalreporter.write_sep("-", "章ごとの実行時間（nbval、秒）")
    for path in sorted(_times):
        sec, limit = _times[path], budget_for(path)
        mark = "" if sec <= limit else "  ← 予算超過"
        terminalreporter.write_line(f"{sec:7.1f} / {limit:5.0f}  {path}{mark}")
        if sec > limit:
            over.append(path)
    out = Path("_build/nbval_times.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({p: round(s, 1) for p, s in sorted(_times.items())}, indent=1), encoding="utf-8")
    if over:
        terminalreporter.write_line(f"予算を超えた章: {', '.join(over)}", red=True)


def pytest_sessionfinish(session, exitstatus):
    """予算を超えた章があれば、テストがすべて通っていても終了コードを 1 にする。"""
    if hasattr(session.config, "workerinput"):
        return
    if any(sec > budget_for(p) for p, sec in _times.items()) and session.exitstatus == 0:
        session.exitstatus = 1
