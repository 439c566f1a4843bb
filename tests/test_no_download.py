"""ノートブックは実行中に何もダウンロードしない（CI にはネットワークがなく、読者のダウンロードは壊れやすい）。"""
from __future__ import annotations

import re

from conftest import source, tags

FORBIDDEN = re.compile(
    r"https?://|\burllib\b|\brequests\b|\burlopen\b|\burlretrieve\b|\bhttp\.client\b|\bsocket\b"
    r"|from_pretrained\s*\(|hf_hub_download|snapshot_download|load_dataset\s*\(|torch\.hub"
    r"|\bwget\b|\bcurl\b|\bgit\s+clone\b"
)
SHELL = re.compile(r"^\s*[!%]", re.M)
COLAB_GUARD = 'if "google.colab" in sys.modules:  # Colab だけ: 日本語フォントを入れる\n    %pip install -q matplotlib-fontja==1.1.0'


def test_no_network_access_in_code(chapter):
    path, nb = chapter
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code":
            continue
        m = FORBIDDEN.search(source(c))
        assert not m, f"{path.name} セル {i}: ダウンロードにつながるコード {m.group(0)!r}"


def test_pip_only_inside_the_colab_guard(chapter):
    path, nb = chapter
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code":
            continue
        src = source(c)
        if "setup" in tags(c):
            assert COLAB_GUARD in src, "setup セルの %pip が Colab の中だけに限られていない"
            src = src.replace(COLAB_GUARD, "")
        m = SHELL.search(src)
        assert not m, f"{path.name} セル {i}: シェルコマンドかマジック {src[m.start():m.start() + 40]!r}"


def test_the_checker_catches_downloads():
    for bad in ["urllib.request.urlopen(u)", "AutoModel.from_pretrained('gpt2')", "x = 'https://example.org'",
                "import requests", "torch.hub.load('a', 'b')"]:
        assert FORBIDDEN.search(bad), bad
    for ok in ["GPT2LMHeadModel(config)", "tokenize.generate_tokens(f.readline)", "Path(os.__file__).parent"]:
        assert not FORBIDDEN.search(ok), ok
