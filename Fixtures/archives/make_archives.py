#!/usr/bin/env python3
"""Writes the archive fixtures: one model packed eight ways, plus hostile archives.

Run from anywhere; paths are relative to this file. Deterministic: every timestamp is fixed,
owners are 0/root-less, members are written in a fixed order, and "random" bytes come from a
SHA-256 counter stream, so re-running leaves `git status` clean.

Needs Python 3.9+ (tarfile, zipfile, gzip, bz2, lzma from the standard library), the `zstd`
command (Debian package `zstd`) for the .tar.zst, and `bsdtar` (Debian package
`libarchive-tools`) for the .7z. The committed files are what the tests read; CI never runs
this script.
"""

import bz2
import gzip
import hashlib
import io
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent
TREE = HERE / "tree"
HOSTILE = HERE / "hostile"

# 2024-07-23 00:00:00 UTC, the Llama 3.1 release date; zip stores local time without a zone.
MTIME = 1721692800
ZIP_TIME = (2024, 7, 23, 0, 0, 0)

GGUF_NAME = "llama3-8b-no-rope-freqs.gguf"

CARD = """\
---
license: llama3.1
base_model: meta-llama/Llama-3.1-8B
pipeline_tag: text-generation
library_name: transformers
tags:
- llama-3
- gguf
---

# Llama-3.1-8B-Instruct, packed

Meta Llama 3.1 8B Instruct: `config.json`, `tokenizer_config.json` and a GGUF header, packed
as one archive so that ctxaudit can read the model without unpacking it.

The model supports a 128K context window.
"""


def member_files():
    """The model's files as (name inside `llama/`, bytes), in the order archives hold them."""
    return [
        ("README.md", CARD.encode()),
        ("config.json", (FIXTURES / "models/llama-3.1-8b-instruct/config.json").read_bytes()),
        (GGUF_NAME, (FIXTURES / "gguf" / GGUF_NAME).read_bytes()),
        ("tokenizer_config.json", (FIXTURES / "models/llama-3.1-8b-instruct/tokenizer_config.json").read_bytes()),
    ]


def pseudo_random(n, seed):
    """`n` deterministic incompressible bytes."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


# MARK: tar


def tar_info(name, size=0, kind=tarfile.REGTYPE, link="", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = size
    info.type = kind
    info.linkname = link
    info.mode = 0o755 if kind == tarfile.DIRTYPE else mode
    info.mtime = MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def tar_bytes(entries):
    """A ustar archive of `entries`: (name, bytes) for files, (name, None) for directories,
    or a ready TarInfo with its bytes (links)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in entries:
            if isinstance(name, tarfile.TarInfo):
                tar.addfile(name, io.BytesIO(data or b""))
            elif data is None:
                tar.addfile(tar_info(name, kind=tarfile.DIRTYPE))
            else:
                tar.addfile(tar_info(name, len(data)), io.BytesIO(data))
    return buffer.getvalue()


def model_entries(order=None):
    files = dict(member_files())
    names = order or [name for name, _ in member_files()]
    return [("llama/", None)] + [("llama/" + name, files[name]) for name in names]


# MARK: the model, packed eight ways


def write_tree():
    if TREE.exists():
        shutil.rmtree(TREE)
    (TREE / "llama").mkdir(parents=True)
    for name, data in member_files():
        (TREE / "llama" / name).write_bytes(data)


def write_model_archives():
    plain = tar_bytes(model_entries())
    (HERE / "llama.tar").write_bytes(plain)
    (HERE / "llama.tar.gz").write_bytes(gzip.compress(plain, compresslevel=9, mtime=0))
    (HERE / "llama.tar.xz").write_bytes(lzma.compress(plain, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64))
    (HERE / "llama.tar.bz2").write_bytes(bz2.compress(plain, compresslevel=9))
    zst = subprocess.run(["zstd", "-19", "-q", "-c", "--no-check"], input=plain, capture_output=True, check=True)
    (HERE / "llama.tar.zst").write_bytes(zst.stdout)
    write_zip(HERE / "llama.zip")
    write_7z(HERE / "llama.7z")
    write_llamafile(HERE / "llama.llamafile")
    # GGUF first, config.json last: members are grouped after the pass, so order must not matter.
    order = [GGUF_NAME, "tokenizer_config.json", "README.md", "config.json"]
    (HERE / "llama-gguf-first.tar").write_bytes(tar_bytes(model_entries(order)))


def write_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        directory = zipfile.ZipInfo("llama/", ZIP_TIME)
        directory.external_attr = (0o40755 << 16) | 0x10
        directory.create_system = 3
        archive.writestr(directory, b"")
        for name, data in member_files():
            info = zipfile.ZipInfo("llama/" + name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)


def write_llamafile(path):
    """A llamafile-shaped file: an APE-style shell stub, then a zip appended after it whose
    members are stored uncompressed (llamafile's `zipalign -j0`); offsets count from the start
    of the file, so only a reader that finds the zip directory at the end can open it."""
    stub = b"MZqFpD='\n\n#!/bin/sh\n# llamafile-style stub of a test fixture: not an executable\nexit 1\n'\n"
    path.write_bytes(stub + bytes(512 - len(stub)))
    with zipfile.ZipFile(path, "a") as archive:
        for name, data in member_files():
            info = zipfile.ZipInfo("llama/" + name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data)


def write_7z(path):
    """bsdtar's 7-Zip writer (LZMA1 by default), fed the plain tar so that each entry carries
    only the tar's fixed mtime (files on disk would add their changing atime and ctime)."""
    if path.exists():
        path.unlink()
    subprocess.run(
        ["bsdtar", "-c", "--format", "7zip", "-f", str(path), "@-"], input=tar_bytes(model_entries()), check=True
    )


# MARK: hostile archives


def cut_gzip(plain, cut_at):
    """A gzip stream of `plain` that ends right after the compressed form of `plain[:cut_at]`:
    decompressing it gives exactly those bytes and then runs out of input."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(plain[:cut_at]) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head


def member_data_offset(plain, name):
    """Byte offset of a member's data inside an uncompressed tar."""
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        for info in tar.getmembers():
            if info.name == name:
                return info.offset_data, info.size
    raise KeyError(name)


class Unseekable(io.RawIOBase):
    """A write-only stream that cannot seek or tell, so zipfile writes data descriptors."""

    def __init__(self):
        self.buffer = io.BytesIO()

    def writable(self):
        return True

    def write(self, data):
        return self.buffer.write(data)

    def seekable(self):
        return False

    def tell(self):
        raise OSError("not seekable")

    def getvalue(self):
        return self.buffer.getvalue()


def write_hostile():
    if HOSTILE.exists():
        shutil.rmtree(HOSTILE)
    HOSTILE.mkdir()
    files = dict(member_files())
    config = files["config.json"]
    tokenizer = files["tokenizer_config.json"]
    gguf = files[GGUF_NAME]

    # A config.json that inflates to 17 MiB (the text-member cap is 16 MiB) from about 17 KB.
    bomb = b'{"model_type": "llama", "padding": "' + b" " * (17 << 20) + b'"}\n'
    plain = tar_bytes([("llama/config.json", bomb), ("llama/tokenizer_config.json", tokenizer)])
    (HOSTILE / "bomb.tar.gz").write_bytes(gzip.compress(plain, compresslevel=9, mtime=0))

    # The same bomb in a zip whose sizes are unknown while streaming: written to a pipe-like
    # stream, each local header says "sizes follow the data" (flag bit 3), and the file is cut
    # 20 bytes into its central directory (no end record), so libarchive can only stream it
    # and the reader has to stop on the cap itself.
    stream = Unseekable()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data in [("llama/config.json", bomb), ("llama/tokenizer_config.json", tokenizer)]:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)
    data = stream.getvalue()
    (HOSTILE / "bomb-streamed.zip").write_bytes(data[: data.index(b"PK\x01\x02") + 20])

    # A plain tar cut 4000 bytes into the GGUF member's data (inside its tokenizer vocabulary):
    # config and tokenizer are whole, the GGUF reader meets the end mid-header.
    plain = tar_bytes(
        [("llama/config.json", config), ("llama/tokenizer_config.json", tokenizer), ("llama/" + GGUF_NAME, gguf)]
    )
    start, _ = member_data_offset(plain, "llama/" + GGUF_NAME)
    (HOSTILE / "truncated-in-gguf.tar").write_bytes(plain[: start + 4000])

    # A .tar.gz cut inside a skipped weights member, 150 KiB into its 200 KiB. libarchive's gzip
    # filter decompresses in 64 KiB blocks and drops the block it cannot finish, so the cut sits
    # well past the first block: config and GGUF are read, the tokenizer config after the
    # weights is lost.
    weights = bytes(192 << 10) + pseudo_random(8 << 10, "weights")
    plain = tar_bytes(
        [
            ("llama/config.json", config),
            ("llama/" + GGUF_NAME, gguf),
            ("llama/model.safetensors", weights),
            ("llama/tokenizer_config.json", tokenizer),
        ]
    )
    start, _ = member_data_offset(plain, "llama/model.safetensors")
    (HOSTILE / "truncated-in-weights.tar.gz").write_bytes(cut_gzip(plain, start + (150 << 10)))

    # Names that try to leave the archive: ../../etc/config.json, /config.json, a/../b/./config.json.
    qwen = (FIXTURES / "models/qwen3-8b/config.json").read_bytes()
    plain = tar_bytes(
        [
            ("../../etc/config.json", config),
            ("/config.json", qwen),
            ("a/../b/./tokenizer_config.json", tokenizer),
        ]
    )
    (HOSTILE / "traversal.tar").write_bytes(plain)

    # config.json as a symbolic link (to a file outside), generation_config.json as a hard link.
    plain = tar_bytes(
        [
            ("llama/", None),
            (tar_info("llama/config.json", kind=tarfile.SYMTYPE, link="../../../etc/passwd"), None),
            ("llama/tokenizer_config.json", tokenizer),
            (tar_info("llama/generation_config.json", kind=tarfile.LNKTYPE, link="llama/tokenizer_config.json"), None),
        ]
    )
    (HOSTILE / "symlink.tar").write_bytes(plain)

    # An archive inside an archive: never opened.
    inner = (HERE / "llama.tar.gz").read_bytes()
    plain = tar_bytes([("outer/config.json", config), ("outer/inner/llama.tar.gz", inner)])
    (HOSTILE / "nested.tar").write_bytes(plain)

    # Not an archive at all, whatever the name says.
    (HOSTILE / "random.tar.gz").write_bytes(pseudo_random(4096, "random"))

    # Archives with no entries: a tar of two zero blocks, an empty zip, and a zero-byte file.
    (HOSTILE / "empty.tar").write_bytes(tar_bytes([]))
    with zipfile.ZipFile(HOSTILE / "empty.zip", "w"):
        pass
    (HOSTILE / "zero-bytes.tar.gz").write_bytes(b"")


def main():
    write_tree()
    write_model_archives()
    write_hostile()
    for path in sorted(HERE.rglob("*")):
        if path.is_file() and path.suffix not in (".py", ".md"):
            size = path.stat().st_size
            if size > 200_000:
                sys.exit(f"{path} is {size} bytes; fixtures stay under 200 KB")


if __name__ == "__main__":
    main()
