"""make bench: この計算機での計測をまとめて表にする（make test には入らない）。

- 各章の実行時間（nbclient で上から 1 回、OMP_NUM_THREADS=1。BENCH_CHAPTERS=0 なら飛ばす）
- 第19章の GPT（章の export セルから読み込む）: n_layer=4, n_head=4, n_embd=128, block_size=64,
  batch_size=12, dropout=0, AdamW lr=1e-3 を 2 スレッドで学習したときの学習トークン/秒と、2000 ステップ後の検証損失
- 第21章の BPE の学習器: 素朴な版と差分更新の版の時間と速度比
- 第22章の KV キャッシュ: 256 トークンを生成する時間の、キャッシュなし / あり の比

時間はどれも BENCH_REPEAT 回（既定 3）計って中央値をとる。章の実行時間と 2000 ステップの学習は 1 回。
使い方: python tests/bench.py  （make bench）
"""
from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PRELUDE = """
import math
import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
"""


def chapter_paths() -> list[Path]:
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    return [ROOT / f"{m}.ipynb" for m in re.findall(r"file:\s*(notebooks/\S+)", toc)]


def chapter(number: int) -> Path:
    for p in chapter_paths():
        if p.name.startswith(f"{number:02d}_"):
            return p
    raise FileNotFoundError(f"第{number}章が _toc.yml にありません")


def export_source(number: int) -> str:
    """章の export セルを、書かれた順につないだソース。"""
    nb = json.loads(chapter(number).read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code" and "export" in c["metadata"].get("tags", [])]
    return "\n\n\n".join("".join(c["source"]) for c in cells)


def load_exports(*numbers: int) -> dict:
    """前置き（setup セルの import）と、指定した章の export セルを 1 つの名前空間で実行する。"""
    module = types.ModuleType(f"bench_chapters_{'_'.join(map(str, numbers))}")
    sys.modules[module.__name__] = module                         # dataclass は自分のモジュールを sys.modules で探す
    ns: dict = module.__dict__
    exec(compile(PRELUDE, "prelude", "exec"), ns)
    for n in numbers:
        exec(compile(export_source(n), f"chapter{n:02d}", "exec"), ns)
    return ns


def median_time(fn, repeat: int = REPEAT) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_chapters() -> list[tuple[str, float]]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in chapter_paths():
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        rows.append((path.stem, time.perf_counter() - start))
        print(f"  {path.stem:<32}{rows[-1][1]:7.1f} 秒", flush=True)
    return rows


def bench_gpt() -> dict[str, float]:
    import torch

    ns = load_exports(7, 19)
    torch.set_num_threads(2)
    train_text, val_text = ns["split_sources"](ns["stdlib_sources"]())
    tok = ns["CharTokenizer"](train_text)
    train_ids = torch.tensor(tok.encode(train_text), dtype=torch.long)
    val_ids = torch.tensor(tok.encode(val_text), dtype=torch.long)
    cfg = ns["GPTConfig"](vocab_size=len(tok), block_size=64, n_layer=4, n_head=4, n_embd=128, dropout=0.0)

    def short_run() -> None:
        torch.manual_seed(0)
        ns["train_gpt"](ns["GPT"](cfg), train_ids, val_ids, steps=200, batch_size=12, lr=1e-3, eval_every=10**9)

    short_run()                                                   # 1 回目はメモリの確保などで遅いので捨てる
    t_short, _ = median_time(short_run)
    # train_gpt は最後のステップで必ず estimate_loss を呼ぶ。その時間を引いて、学習だけの速さにする
    t_eval, _ = median_time(lambda: ns["estimate_loss"](ns["GPT"](cfg), val_ids))
    torch.manual_seed(0)
    model = ns["GPT"](cfg)
    start = time.perf_counter()
    hist = ns["train_gpt"](model, train_ids, val_ids, steps=2000, batch_size=12, lr=1e-3, eval_every=500)
    t_long = time.perf_counter() - start
    return {"tokens_per_s": 200 * 12 * 64 / (t_short - t_eval), "tokens_per_s_2000": 2000 * 12 * 64 / t_long,
            "val_loss": hist["val"][-1], "val_curve": list(zip(hist["step"], hist["val"])),
            "params": sum(p.numel() for p in model.parameters()), "vocab": len(tok)}


def main() -> int:
    import torch

    print(f"計算機: コア {os.cpu_count()} 個、torch {torch.__version__}、Python {sys.version.split()[0]}、"
          f"中央値 {REPEAT} 回", flush=True)
    results: dict = {}
    if os.environ.get("BENCH_CHAPTERS", "1") != "0":
        print("章の実行時間（OMP_NUM_THREADS=1、上から 1 回）:", flush=True)
        results["chapters"] = bench_chapters()
    print("GPT の学習（2 スレッド）…", flush=True)
    results["gpt"] = gpt = bench_gpt()
    print(f"  学習トークン/秒 {gpt['tokens_per_s']:,.0f}（200 ステップ × {REPEAT} 回の中央値、評価の時間を除く）、"
          f"2000 ステップ通しでは {gpt['tokens_per_s_2000']:,.0f}（評価を含む）", flush=True)
    print(f"  検証損失: " + "、".join(f"{s} ステップ {v:.4f}" for s, v in gpt["val_curve"]), flush=True)
    print("BPE の学習器…", flush=True)
    results["bpe"] = b = bench_bpe()
    print(f"  素朴な版 {b['naive_s']:.2f} 秒、差分版 {b['incremental_s']:.3f} 秒、{b['speedup']:.1f} 倍", flush=True)
    print("KV キャッシュ…", flush=True)
    results["kv"] = k = bench_kv()
    print(f"  キャッシュなし {k['plain_s']:.2f} 秒、あり {k['kv_s']:.2f} 秒、{k['speedup']:.1f} 倍", flush=True)
    print()
    print("| 項目 | 値 | 目標 |")
    print("|---|---|---|")
    for name, sec in results.get("chapters", []):
        print(f"| {name} の実行時間 | {sec:.1f} 秒 | |")
    print(f"| GPT 学習トークン/秒（2 スレッド） | {gpt['tokens_per_s']:,.0f} | ≥ 13,000 |")
    print(f"| GPT 検証損失（2000 ステップ後） | {gpt['val_loss']:.4f} | ≤ 1.70 |")
    print(f"| BPE 学習器の速度比（{b['merges']} マージ、断片 {b['chunk_types']:,} 種類） | "
          f"{b['speedup']:.1f} 倍（{b['naive_s']:.2f} 秒 → {b['incremental_s']:.3f} 秒） | |")
    print(f"| KV キャッシュの速度比（256 トークン、1 スレッド） | {k['speedup']:.1f} 倍"
          f"（{k['plain_s']:.2f} 秒 → {k['kv_s']:.2f} 秒） | |")
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def defined_in_cell(number: int, name: str) -> str:
    """章のコードセルのうち、最上位で name を定義しているセルのソース（export でない補助の関数を借りるため）。"""
    nb = json.loads(chapter(number).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and re.search(rf"^def {name}\(", src, re.M):
            return src
    raise KeyError(f"第{number}章に {name} の定義がありません")


def bench_bpe() -> dict[str, float]:
    """第21章の素朴な BPE 学習器（章の本文のセル）と差分更新の学習器（export）を、同じ断片の数え上げで比べる。"""
    ns = load_exports(21)
    exec(compile(defined_in_cell(21, "train_bpe_naive"), "chapter21-naive", "exec"), ns)
    folder = Path(os.__file__).parent
    text = "\n".join((folder / f"{n}.py").read_text(encoding="utf-8")
                     for n in ["bisect", "colorsys", "copy", "heapq", "queue", "shlex"])
    counts = ns["word_counts"](text)
    n_merges = 200
    t_naive, m_naive = median_time(lambda: ns["train_bpe_naive"](counts, n_merges))
    t_incr, m_incr = median_time(lambda: ns["train_bpe"](counts, n_merges))
    if m_naive != m_incr:
        raise AssertionError("素朴な版と差分版のマージ規則が違う")
    return {"naive_s": t_naive, "incremental_s": t_incr, "speedup": t_naive / t_incr,
            "chunk_types": len(counts), "merges": n_merges}


def bench_kv() -> dict[str, float]:
    """第22章の generate_kv（export）と第19章の generate を、256 トークンの生成で比べる（1 スレッド）。"""
    import torch

    ns = load_exports(7, 19, 22)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cfg = ns["GPTConfig"](vocab_size=100, block_size=320, n_layer=4, n_head=4, n_embd=128)
    model = ns["GPT"](cfg).eval()
    prompt = torch.randint(100, (1, 16))
    t_plain, out_plain = median_time(lambda: ns["generate"](model, prompt, 256))
    t_kv, out_kv = median_time(lambda: ns["generate_kv"](model, prompt, 256))
    if not torch.equal(out_plain, out_kv):
        raise AssertionError("KV キャッシュありとなしで生成したトークンが違う")
    return {"plain_s": t_plain, "kv_s": t_kv, "speedup": t_plain / t_kv}


if __name__ == "__main__":
    sys.exit(main())
