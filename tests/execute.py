"""章ノートブックを上から 1 回だけ実行し、出力をその場に保存する（make execute）。

保存済み出力は nbval の期待値になるので、必ずこのスクリプト（OMP_NUM_THREADS=1）で作る。
使い方: python tests/execute.py notebooks/part1_foundations/03_linear_algebra.ipynb ...
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(paths: list[str]) -> int:
    if os.environ.get("OMP_NUM_THREADS") != "1":
        sys.exit("OMP_NUM_THREADS=1 で実行してください（make execute が設定します）")
    for p in paths:
        sec = execute(Path(p))
        print(f"{sec:6.1f} 秒  {p}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
