"""本のビルドに使う小さな道具と Sphinx 拡張。

- リポジトリの URL を git remote か CI（GITHUB_REPOSITORY）から決め、起動ボタン（Colab / Binder）に渡す。
  どちらからも決まらなければ起動ボタンは出さない（URL をでっち上げない）。
- 環境変数 BOOK_EXECUTE（off / cache / force）でノートブックの実行モードを上書きする。
  make render は BOOK_EXECUTE=off で、保存済みの出力だけから本を組む。
- ビルドの終わりに章ごとの実行時間を表示し、_build/exec_times.json に書く。
- python book/_ext/bookinfo.py readme で README.md の章一覧（Colab リンク付き）を書き直す。
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTER_RE = re.compile(r"notebooks/part(\d)_[a-z0-9_]+/(\d\d)_[a-z0-9_]+\.ipynb$")
BUDGET_SECONDS = {n: (60 if n <= 14 else 150) for n in range(1, 26)}  # DESIGN.md の予算


def repo_slug(root: Path = ROOT) -> str | None:
    """GitHub の owner/name。例: GITHUB_REPOSITORY=alice/book なら 'alice/book'。分からなければ None。

    順に GITHUB_REPOSITORY（CI）、git remote origin、最後に BOOK_TEST_SLUG。BOOK_TEST_SLUG は検査用の組版
    （make test-render）だけが渡す目印で、公開するサイト（make book）では使わない。
    """
    env = os.environ.get("GITHUB_REPOSITORY", "").strip()
    if re.fullmatch(r"[\w.-]+/[\w.-]+", env):
        return env
    try:
        url = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        url = ""
    m = re.search(r"github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", url)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    test = os.environ.get("BOOK_TEST_SLUG", "").strip()
    return test if re.fullmatch(r"[\w.-]+/[\w.-]+", test) else None


def toc_chapters(root: Path = ROOT) -> list[str]:
    """_toc.yml に載っている章ノートブックの相対パス（読む順）。"""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc)
    return [f if f.endswith(".ipynb") else f + ".ipynb" for f in files if f.startswith("notebooks/")]


def chapter_title(path: Path) -> str:
    """ノートブックの最初の H1 見出し（例: '03 線形代数'）。"""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError(f"{path}: H1 見出しがない")


# --- README の章一覧 ---------------------------------------------------------------
README_BEGIN = "<!-- chapters:begin (python book/_ext/bookinfo.py readme が生成) -->"
README_END = "<!-- chapters:end -->"


def readme_table(slug: str, root: Path = ROOT) -> str:
    rows = ["| 章 | Colab | ノートブック |", "|---|---|---|"]
    for rel in toc_chapters(root):
        title = chapter_title(root / rel)
        colab = f"https://colab.research.google.com/github/{slug}/blob/main/{rel}"
        rows.append(f"| {title} | [Colab で開く]({colab}) | [{Path(rel).name}]({rel}) |")
    return "\n".join(rows)


PLACEHOLDER = "OWNER/REPO"


def write_readme(root: Path = ROOT) -> None:
    """README.md の章一覧を書き直す。リポジトリが分からなければ OWNER/REPO と書き、そう明記する。"""
    slug = repo_slug(root)
    path = root / "README.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(README_BEGIN)
    _, tail = rest.split(README_END)
    if slug is None:
        note = ("リンクの `OWNER/REPO` は、このリポジトリを GitHub に置いたあと `make readme` を実行すると"
                "実際のリポジトリ名に置き換わります（git remote origin から読み取ります）。\n\n")
        site_line = "サイト: GitHub Pages（`https://OWNER.github.io/REPO/`）\n\n"
        slug = PLACEHOLDER
    else:
        owner, name = slug.split("/")
        note = ""
        site_line = f"サイト: <https://{owner}.github.io/{name}/>\n\n"
    body = f"{README_BEGIN}\n{site_line}{note}{readme_table(slug, root)}\n{README_END}"
    path.write_text(head + body + tail, encoding="utf-8")
    print(f"README.md を {slug} で更新しました")


# --- Sphinx 拡張 -------------------------------------------------------------------
def _config_inited(app, config) -> None:
    mode = os.environ.get("BOOK_EXECUTE")
    if mode:
        config.nb_execution_mode = mode
    opts = dict(config.html_theme_options or {})
    slug = repo_slug(Path(app.confdir))
    if slug:
        opts["repository_url"] = f"https://github.com/{slug}"
        opts["use_repository_button"] = True
    else:
        # URL が分からないときは起動ボタンを出さない（でっち上げた URL は出さない）
        opts.pop("launch_buttons", None)
    config.html_theme_options = opts


def _build_finished(app, exc) -> None:
    if exc is not None or app.builder.name != "html":
        return
    from myst_nb.sphinx_ import NbMetadataCollector
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    times = {}
    for docname in sorted(app.env.found_docs):
        data = NbMetadataCollector.get_exec_data(app.env, docname)
        if data and data.get("runtime") is not None:
            times[docname] = round(float(data["runtime"]), 1)
    if not times:
        return
    out = Path(app.outdir).parent / "exec_times.json"
    out.write_text(json.dumps(times, ensure_ascii=False, indent=1), encoding="utf-8")
    logger.info("章ごとの実行時間（秒、キャッシュ済みの章は前回の実行時の値）:")
    for doc, sec in times.items():
        logger.info(f"  {sec:7.1f}  {doc}")


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """同じ <script> が 2 度入るのを 1 度にする。

    sphinx-thebe の設定スクリプト（const THEBE_JS_URL = …）が 2 度書き出され、ブラウザが
    「Identifier 'THEBE_JS_URL' has already been declared」を出す（tests/browser_checks.py が検出した）。
    2 つは filename が None と "" で違うだけなので、Sphinx 自身の重複除去をすり抜ける。
    """
    seen, kept = set(), []
    for js in context.get("script_files", []):
        attrs = getattr(js, "attributes", None) or {}
        key = (getattr(js, "filename", str(js)) or "", tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    context["script_files"][:] = kept   # 同じリストを書き換える（後のハンドラの追加が効くように）


def _singlehtml_like_html(app) -> None:
    """html に登録された訪問者（visit/depart）を、未登録なら singlehtml（make pdf）にも使う。

    Jupyter Book 1 が読み込む拡張（sphinx_jupyterbook_latex の HiddenCellNode、myst-nb の HideCodeCellNode など）は
    html にだけ訪問者を登録するので、そのままでは 1 ページ組版が「unknown node type」で落ちる。
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _singlehtml_like_html)
    app.connect("html-page-context", _dedupe_scripts)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    if sys.argv[1:] == ["readme"]:
        write_readme()
    elif sys.argv[1:] == ["slug"]:
        print(repo_slug() or "")
    else:
        sys.exit("使い方: python book/_ext/bookinfo.py readme|slug")
