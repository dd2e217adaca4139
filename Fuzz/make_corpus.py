#!/usr/bin/env python3
"""Builds the committed seed corpora under Fuzz/corpus/<target>/ from Fixtures/ and Rules/.

Run from the package root: `python3 Fuzz/make_corpus.py`. Deterministic (fixed mtimes, owners
and member order), standard library only. Seeds are copies of real fixtures plus a few small
hand-made inputs that reach corners the fixtures do not (archives of every format Python's
standard library writes, hostile member names, bare conditions, configs).
"""
import bz2
import gzip
import hashlib
import io
import lzma
import os
import shutil
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def fixture(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


def put(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def walk(rel, suffixes=None, names=None):
    out = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, rel)):
        for name in files:
            if (suffixes and name.endswith(suffixes)) or (names and name in names):
                full = os.path.join(dirpath, name)
                out.append(os.path.relpath(full, ROOT))
    return sorted(out)


def flat(rel):
    return rel.replace("/", "__")


# --- FuzzJSON: every JSON fixture, plus corners --------------------------------------------
for rel in walk("Fixtures/models", suffixes=(".json",)) + walk("Fixtures/json", suffixes=(".json",)) + [
    "Fixtures/manifests/ollama-params/params.json"
]:
    put("FuzzJSON", flat(rel), fixture(rel))
put("FuzzJSON", "corner-numbers.json", b'{"a": -0, "b": 1e400, "c": -1.5E-7, "d": 123456789012345678901234567890, "e": [NaN, Infinity, -Infinity]}')
put("FuzzJSON", "corner-escapes.json", b'{"k\\u00e9y": "\\ud83d\\ude00 \\ud800 \\n\\t\\"\\\\\\/", "rope_scaling": {"type": "yarn", "factor": 4.0}, "rope_scaling": null}')
put("FuzzJSON", "corner-nesting.json", b"[" * 40 + b"]" * 40)

# --- FuzzGGUF: every GGUF fixture -----------------------------------------------------------
for rel in walk("Fixtures/gguf", suffixes=(".gguf",)):
    put("FuzzGGUF", os.path.basename(rel), fixture(rel))

# --- FuzzYAML: manifests, Modelfile, model cards --------------------------------------------
for rel in walk("Fixtures/manifests", suffixes=(".yaml", ".yml"), names=("Modelfile",)):
    put("FuzzYAML", flat(os.path.relpath(rel, "Fixtures/manifests")), fixture(rel))
for rel in walk("Fixtures/cards", names=("README.md",)):
    if rel == "Fixtures/cards/README.md":
        continue
    put("FuzzYAML", "card__" + os.path.basename(os.path.dirname(rel)) + ".md", fixture(rel))
put("FuzzYAML", "corner-anchors.yaml", b"base: &b {max_model_len: 8192, args: [--max-model-len, '32768']}\nother: *b\nlist: [*b, *b]\n---\n- !!str 0x10\n- ? complex\n  : key\n")
put("FuzzYAML", "corner-modelfile-utf16", "FROM llama3\nPARAMETER num_ctx 8192\nTEMPLATE \"\"\"{{ .Prompt }}\n\"\"\"\n".encode("utf-16"))

# --- FuzzRuleExpr: every rule file, bare conditions, configs --------------------------------
for rel in walk("Rules", suffixes=(".yaml",)):
    put("FuzzRuleExpr", os.path.basename(rel), fixture(rel))
conditions = {
    "cond-all.yaml": b"all:\n  - {fact: model.window.served, '>': {fact: model.window.effective, times: 2}}\n  - not: {fact: model.rope.method, in: [none, absolute]}\n",
    "cond-any.yaml": b"any: [{fact: config.flag, exists: true}, {fact: s, matches: '^ab.c'}, {fact: a, '>=': {param: limit}}]\n",
    "cond-params.yaml": b"{fact: model.rope.method, not-in: {param: methods}}\n",
    "cond-equals-fact.yaml": b"{fact: model.window.native, equals-fact: model.window.effective}\n",
    "cond-times-param.yaml": b"{fact: a, '<=': {fact: b, times: {param: factor}}}\n",
    "cond-literals.yaml": b"{fact: config.list, equals: [1, a, .nan, 0x1F, 1_000, ~, 'yes']}\n",
}
for name, data in conditions.items():
    put("FuzzRuleExpr", name, data)
put("FuzzRuleExpr", "config-every-key.ctxaudit.yaml", b"""rules: [team-rules, /opt/rules]
disable: [model-remote-code]
severity: {model-gguf-config-window-mismatch: error}
params:
  model-static-interpolation-large-factor: {max-factor: 8}
ignore:
  - rule: model-served-exceeds-effective
    path: deploy/**/staging
    reason: staging runs the long-context eval on purpose
""")

# --- FuzzArchive: small archives of real members in every format the stdlib writes -----------
members = [
    ("model/config.json", fixture("Fixtures/models/llama-3.1-8b-instruct/config.json")),
    ("model/README.md", fixture("Fixtures/cards/mistral-7b-instruct-v0.2/README.md")),
    ("model/split-00002-of-00002.gguf", fixture("Fixtures/gguf/split-00002-of-00002.gguf")),
    ("deploy/values.yaml", fixture("Fixtures/manifests/helm-values/generic-chart-values.yaml")),
    ("ollama/Modelfile", fixture("Fixtures/manifests/modelfile/Modelfile")),
]


def tar_bytes(entries, fmt=tarfile.PAX_FORMAT, extra=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
        end = tar.offset
    # Two zero blocks end a tar; the padding to a 10 KiB record that tarfile adds is dropped.
    return buf.getvalue()[:end] + b"\0" * 1024


def gz(data):
    return gzip.compress(data, mtime=0)


put("FuzzArchive", "model.tar", tar_bytes(members[:2]))
put("FuzzArchive", "gguf-member.ustar.tar", tar_bytes(members[2:3], fmt=tarfile.USTAR_FORMAT))
put("FuzzArchive", "all-kinds.tar.gz", gz(tar_bytes(members)))
put("FuzzArchive", "config.tar.xz", lzma.compress(tar_bytes(members[:1])))
put("FuzzArchive", "card.tar.bz2", bz2.compress(tar_bytes(members[1:2])))
link = tarfile.TarInfo("model/linked-config.json")
link.type = tarfile.SYMTYPE
link.linkname = "../../etc/passwd"
folder = tarfile.TarInfo("model/sub")
folder.type = tarfile.DIRTYPE
put("FuzzArchive", "hostile-names.gnu.tar", tar_bytes(
    [("../../escape/config.json", b'{"max_position_embeddings": 4096}'), ("/abs/./Modelfile", b"FROM x\n")],
    fmt=tarfile.GNU_FORMAT, extra=[link, folder]))


def zip_bytes(entries, method):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


put("FuzzArchive", "model.deflate.zip", zip_bytes(members[:3], zipfile.ZIP_DEFLATED))
put("FuzzArchive", "model.stored.zip", zip_bytes(members[3:], zipfile.ZIP_STORED))
put("FuzzArchive", "config.json.gz", gz(members[0][1]))

# --- FuzzAudit: a selector byte, then a real file (see Sources/FuzzAudit) ---------------------
# 0 config alone, 1 GGUF alone, 2 GGUF beside a config, 3 card, 4 manifest, 5 Modelfile.
for rel in walk("Fixtures/models", names=("config.json",)):
    put("FuzzAudit", "0-" + flat(rel), b"\x00" + fixture(rel))
for rel in walk("Fixtures/gguf", suffixes=(".gguf",)):
    if os.path.getsize(os.path.join(ROOT, rel)) <= 64 << 10:
        put("FuzzAudit", "1-" + os.path.basename(rel), b"\x01" + fixture(rel))
        put("FuzzAudit", "2-" + os.path.basename(rel), b"\x02" + fixture(rel))
for rel in walk("Fixtures/cards", names=("README.md",)):
    if rel != "Fixtures/cards/README.md":
        put("FuzzAudit", "3-" + os.path.basename(os.path.dirname(rel)) + ".md", b"\x03" + fixture(rel))
for rel in walk("Fixtures/manifests", suffixes=(".yaml", ".yml")):
    put("FuzzAudit", "4-" + flat(os.path.relpath(rel, "Fixtures/manifests")), b"\x04" + fixture(rel))
for rel in walk("Fixtures/manifests", names=("Modelfile",)):
    put("FuzzAudit", "5-" + flat(os.path.relpath(rel, "Fixtures/manifests")), b"\x05" + fixture(rel))

# FuzzAudit's dictionary is the JSON, GGUF and YAML ones together (libFuzzer takes one -dict).
DICT = os.path.join(ROOT, "Fuzz", "dict")
with open(os.path.join(DICT, "audit.dict"), "w") as out:
    out.write("# libFuzzer dictionary for FuzzAudit, written by Fuzz/make_corpus.py from json.dict,\n"
              "# gguf.dict and yaml.dict (do not edit; edit those and rerun the script).\n")
    seen = set()
    for name in ("json.dict", "gguf.dict", "yaml.dict"):
        with open(os.path.join(DICT, name)) as f:
            for line in f:
                entry = line.rstrip("\n")
                if entry and not entry.startswith("#") and entry not in seen:
                    seen.add(entry)
                    out.write(entry + "\n")

total = 0
for dirpath, _, files in os.walk(CORPUS):
    for name in files:
        total += os.path.getsize(os.path.join(dirpath, name))
print(f"corpus: {total} bytes")
