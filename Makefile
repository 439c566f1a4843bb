# 作って学ぶTransformer — make book（サイトを作る）と make test（すべてのテスト）
# どのターゲットも、.venv がなければ requirements.txt から作る（Python 3.10 以上があればよい）。

PYTHON   ?= python3
VENV     := .venv
BIN      := $(CURDIR)/$(VENV)/bin
# カーネル（kernel.json の "python"）も .venv の Python になるよう PATH の先頭に置く
export PATH := $(BIN):$(PATH)
# スレッド数で浮動小数点の和の順序が変わる。保存済み出力と同じ条件で実行する
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

NOTEBOOKS := $(shell $(PYTHON) -c "import re,sys;t=open('_toc.yml',encoding='utf-8').read();print(' '.join(m+'.ipynb' for m in re.findall(r'file:\s*(notebooks/\S+)',t)))")
NB ?= $(NOTEBOOKS)
JB_FLAGS := -W -n --keep-going
# 設定ファイルとルートを固定する（引数の tests/sanitize.cfg から tests/ がルートと推測されないように）
PYTEST   := $(BIN)/python -m pytest -c tests/pytest.ini --rootdir=$(CURDIR) -p no:cacheprovider

.PHONY: help book test test-static test-notebooks test-render test-browser pdf bench assets execute lab readme headers clean distclean
help:
	@echo "make book     .venv を用意し、ノートブックを実行してサイトを _build/html に作る"
	@echo "make test     すべてのテスト（構造・再実行と出力の照合・組版）"
	@echo "make execute  章を OMP_NUM_THREADS=1 で実行し直して出力を保存する（NB=パス で 1 章だけ）"
	@echo "make pdf      本全体を 1 ページに組み、ヘッドレス Chromium で A4 の PDF（_build/book.pdf）にする"
	@echo "make bench    計測の表（章の実行時間、GPT の学習速度と検証損失、BPE、KV キャッシュ）を出す（make test には入らない）"
	@echo "make lab      JupyterLab を起動する"
	@echo "make readme   README.md の章一覧を git remote から作り直す"
	@echo "make headers  各章の早見表（作るもの・使うもの・実行時間）を作り直す"
	@echo "make clean    _build を消す"

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch を先に固定版で入れる（CPU 版。後から入るパッケージが別の torch を引かないように）
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --silent
	touch $@

# サイトが読み込む MathJax・require.js・ウィジェット描画（npm から固定版）を _build/extra/vendor/ に置く
assets: $(VENV)/.installed
	$(BIN)/python book/vendor/fetch.py _build/extra

book: $(VENV)/.installed assets
	rm -rf _build/html _build/.doctrees
	@start=$$(date +%s); \
	$(BIN)/jupyter-book build . $(JB_FLAGS); status=$$?; \
	echo "make book: $$(( $$(date +%s) - start )) 秒"; exit $$status

test: test-static test-notebooks test-render test-browser
	@echo "make test: すべて成功"

# 速い検査: 目次と構造、setup セル、recap、ダウンロード禁止、日本語フォント、ワークフロー、README
test-static: $(VENV)/.installed tests/node_modules/.installed
	$(PYTEST) -q tests

# nbval: 全章を実行し直し、保存済みの出力とセルごとに照合する。章ごとの実行時間を予算と比べる
test-notebooks: $(VENV)/.installed
	$(PYTEST) -q -p tests.nbtiming -n 2 --dist loadscope \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout=600 \
	  $(NOTEBOOKS)

# 保存済みの出力だけで組む（実行しない）。Sphinx の警告と出力中の stderr は失敗。組み上がったサイトも検査する
# git remote も GITHUB_REPOSITORY もないとき、起動ボタンを検査するための目印のリポジトリ名（公開サイトには使わない）
TEST_SLUG := test-owner/test-repo
RENDERED  := _build/render/_build/html

test-render: $(VENV)/.installed assets
	rm -rf _build/render
	BOOK_TEST_SLUG=$(TEST_SLUG) BOOK_EXECUTE=off $(BIN)/jupyter-book build . --path-output _build/render $(JB_FLAGS)
	BOOK_TEST_SLUG=$(TEST_SLUG) $(PYTEST) -q tests/site_checks.py --site $(RENDERED)

# 組み上がったサイトを localhost で配信し、ヘッドレス Chromium で全ページを開く。スクリーンショットは _build/browser/
test-browser: $(VENV)/.installed
	test -f $(RENDERED)/index.html || $(MAKE) test-render
	BOOK_TEST_SLUG=$(TEST_SLUG) $(PYTEST) -q tests/browser_checks.py --site $(RENDERED)

# 保存済みの出力から 1 ページの HTML を組み（実行しない）、A4 の PDF に印刷する
pdf: $(VENV)/.installed assets
	rm -rf _build/pdf
	BOOK_EXECUTE=off $(BIN)/jupyter-book build . --builder singlehtml --path-output _build/pdf $(JB_FLAGS)
	$(BIN)/python book/_ext/print_pdf.py _build/pdf/_build/singlehtml _build/book.pdf

# 計測の表（make test には入らない）。BENCH_CHAPTERS=0 で章の実行時間を飛ばす、BENCH_REPEAT=回数
bench: $(VENV)/.installed
	$(BIN)/python tests/bench.py

execute: $(VENV)/.installed
	$(BIN)/python tests/execute.py $(NB)

lab: $(VENV)/.installed
	$(BIN)/jupyter lab

readme: $(VENV)/.installed
	$(BIN)/python book/_ext/bookinfo.py readme

# 各章の早見表（作るもの・前の章から使うもの・実行時間）を作り直す。実行時間は直前の make test-notebooks の計測から
headers: $(VENV)/.installed
	$(BIN)/python book/_ext/headers.py $(if $(wildcard _build/nbval_times.json),--times _build/nbval_times.json)

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) tests/node_modules
