"""vendor.json の npm パッケージを取り、整合性（sha512）を確かめてサイト用のフォルダに展開する。

使い方: python book/vendor/fetch.py _build/extra
取得は `npm pack`（npm の設定したレジストリを使う）。同じ版がすでに展開済みなら何もしない。
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


LOCAL_FILES = ["widgets-shim.js"]   # この本が書いたファイル（npm からではない）


def fetch(dest: Path) -> None:
    manifest = json.loads((HERE / "vendor.json").read_text(encoding="utf-8"))
    stamp = dest / "vendor" / ".manifest.json"
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == manifest:
        copy_local(dest / "vendor")
        return
    out = dest / "vendor"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for pkg in manifest["packages"]:
            spec = f"{pkg['name']}@{pkg['version']}"
            info = json.loads(subprocess.run(
                ["npm", "pack", spec, "--json", "--silent", "--pack-destination", str(tmp)],
                check=True, capture_output=True, text=True).stdout)[0]
            tgz = tmp / info["filename"]
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
            if digest != pkg["integrity"]:
                sys.exit(f"{spec}: sha512 が vendor.json と違います\n  期待 {pkg['integrity']}\n  実際 {digest}")
            unpacked = tmp / pkg["name"].replace("/", "_")
            with tarfile.open(tgz) as tar:
                tar.extractall(unpacked, filter="data")
            for src, dst in pkg["copy"].items():
                s, d = unpacked / src, out / dst
                d.parent.mkdir(parents=True, exist_ok=True)
                if s.is_dir():
                    shutil.copytree(s, d, ignore=shutil.ignore_patterns("*.map"))
                else:
                    shutil.copy2(s, d)
            print(f"vendor: {spec} を {out} に展開しました")
    copy_local(out)
    stamp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def copy_local(out: Path) -> None:
    for name in LOCAL_FILES:
        shutil.copy2(HERE / name, out / name)


if __name__ == "__main__":
    fetch(Path(sys.argv[1] if len(sys.argv) > 1 else "_build/extra"))
