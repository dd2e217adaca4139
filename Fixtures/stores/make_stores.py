#!/usr/bin/env python3
"""Writes the model-store fixtures: a Hugging Face hub cache, an Ollama store and an LM Studio
models folder, shaped as those tools lay them out (manifests-and-layouts.md 3.1-3.4).

Standard library only; deterministic (blob names are the digests of their bytes), so re-running
leaves `git status` clean. Symbolic links are committed as links (git stores them as such).
"""

import hashlib
import json
import os
import shutil
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent


def fixture(relative):
    return (FIXTURES / relative).read_bytes()


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def git_blob_sha1(data):
    """The name huggingface_hub gives a non-LFS file's blob: its etag, the git blob SHA-1."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# MARK: Hugging Face hub cache (3.1)

QWEN_CONFIG = """\
{
  "architectures": [
    "Qwen2ForCausalLM"
  ],
  "attention_dropout": 0.0,
  "bos_token_id": 151643,
  "eos_token_id": 151645,
  "hidden_act": "silu",
  "hidden_size": 3584,
  "initializer_range": 0.02,
  "intermediate_size": 18944,
  "max_position_embeddings": 32768,
  "max_window_layers": 28,
  "model_type": "qwen2",
  "num_attention_heads": 28,
  "num_hidden_layers": 28,
  "num_key_value_heads": 4,
  "rms_norm_eps": 1e-06,
  "rope_theta": 1000000.0,
  "sliding_window": 131072,
  "tie_word_embeddings": false,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.43.1",
  "use_cache": true,
  "use_sliding_window": false,
  "vocab_size": 152064
}
"""

QWEN_GENERATION_CONFIG = """\
{
  "bos_token_id": 151643,
  "pad_token_id": 151643,
  "do_sample": true,
  "eos_token_id": [
    151645,
    151643
  ],
  "repetition_penalty": 1.05,
  "temperature": 0.7,
  "top_p": 0.8,
  "top_k": 20,
  "transformers_version": "4.37.0"
}
"""

QWEN_TOKENIZER_CONFIG = """\
{
  "add_prefix_space": false,
  "bos_token": null,
  "clean_up_tokenization_spaces": false,
  "eos_token": "<|im_end|>",
  "errors": "replace",
  "model_max_length": 131072,
  "pad_token": "<|endoftext|>",
  "split_special_tokens": false,
  "tokenizer_class": "Qwen2Tokenizer",
  "unk_token": null
}
"""

LLAMA_GENERATION_CONFIG = """\
{
  "bos_token_id": 128000,
  "do_sample": true,
  "eos_token_id": [
    128001,
    128008,
    128009
  ],
  "temperature": 0.6,
  "top_p": 0.9,
  "transformers_version": "4.42.3"
}
"""


def hub_repo(cache, repo_id, main, snapshots):
    """`models--ORG--NAME` with `refs/main`, content-addressed `blobs/` and `snapshots/<rev>/`
    entries that are relative symlinks into `blobs/`; `snapshots` maps revision -> {name: bytes}."""
    folder = cache / ("models--" + repo_id.replace("/", "--"))
    write(folder / "refs" / "main", main.encode())  # huggingface_hub writes no newline
    for revision, files in snapshots.items():
        for name, data in files.items():
            blob = git_blob_sha1(data)
            write(folder / "blobs" / blob, data)
            link = folder / "snapshots" / revision / name
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink("../../blobs/" + blob, link)
            lock = cache / ".locks" / folder.name / (blob + ".lock")
            write(lock, b"")


def write_hf_cache():
    cache = HERE / "hf-cache"
    qwen_rev = "a09a35458c702b33eeacc393d103063234e8bc28"
    hub_repo(
        cache,
        "Qwen/Qwen2.5-7B-Instruct",
        qwen_rev,
        {
            qwen_rev: {
                "README.md": fixture("cards/qwen2.5-7b-instruct/README.md"),
                "config.json": QWEN_CONFIG.encode(),
                "generation_config.json": QWEN_GENERATION_CONFIG.encode(),
                "tokenizer_config.json": QWEN_TOKENIZER_CONFIG.encode(),
            }
        },
    )
    llama_main = "0e9e39f249a16976918f6564b8830bc894c89659"
    llama_old = "5206a32e0bd3067aef1ce90f5528ade7d866253f"
    config = fixture("models/llama-3.1-8b-instruct/config.json")
    hub_repo(
        cache,
        "meta-llama/Llama-3.1-8B-Instruct",
        llama_main,
        {
            # The older revision was fetched config-only; its config.json is the same blob.
            llama_old: {"config.json": config},
            llama_main: {
                "README.md": fixture("cards/llama-3.1-8b-instruct/README.md"),
                "config.json": config,
                "generation_config.json": LLAMA_GENERATION_CONFIG.encode(),
                "tokenizer_config.json": fixture("models/llama-3.1-8b-instruct/tokenizer_config.json"),
            },
        },
    )


# MARK: Ollama store (3.2)

MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json"


def go_json(value):
    """JSON as Go's encoding/json writes it: compact, and <, >, & escaped as \\u003c etc."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()


def ollama_model(store, host, namespace, model, tag, layers, config):
    """Writes each layer's blob as `blobs/sha256-<hex>` and the manifest at
    `manifests/<host>/<namespace>/<model>/<tag>`; `layers` is [(media type, bytes)]."""
    entries = []
    for media_type, data in layers:
        digest = hashlib.sha256(data).hexdigest()
        write(store / "blobs" / ("sha256-" + digest), data)
        entries.append({"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)})
    config = dict(config, rootfs={"type": "layers", "diff_ids": [e["digest"] for e in entries]})
    config_bytes = go_json(config)
    config_digest = hashlib.sha256(config_bytes).hexdigest()
    write(store / "blobs" / ("sha256-" + config_digest), config_bytes)
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": "sha256:" + config_digest, "size": len(config_bytes)},
        "layers": entries,
    }
    write(store / "manifests" / host / namespace / model / tag, go_json(manifest))


QWEN_TEMPLATE = """\
{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
"""

LLAMA_TEMPLATE = """\
{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>

{{ .Content }}<|eot_id|>
{{- end }}<|start_header_id|>assistant<|end_header_id|>

"""


def write_ollama():
    store = HERE / "ollama"
    ollama_model(
        store,
        "registry.ollama.ai",
        "library",
        "qwen2.5",
        "7b",
        [
            ("application/vnd.ollama.image.model", fixture("gguf/qwen2.5-7b-yarn.gguf")),
            ("application/vnd.ollama.image.template", QWEN_TEMPLATE.encode()),
            ("application/vnd.ollama.image.license", b"Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n"),
            ("application/vnd.ollama.image.params", go_json({"num_ctx": 131072, "stop": ["<|im_start|>", "<|im_end|>"]})),
        ],
        {"model_format": "gguf", "model_family": "qwen2", "model_families": ["qwen2"], "model_type": "7.6B",
         "file_type": "Q4_K_M", "architecture": "amd64", "os": "linux"},
    )
    ollama_model(
        store,
        "hf.co",
        "bartowski",
        "Meta-Llama-3.1-8B-Instruct-GGUF",
        "Q4_K_M",
        [
            ("application/vnd.ollama.image.model", fixture("gguf/llama3-8b-rope-freqs.gguf")),
            ("application/vnd.ollama.image.template", LLAMA_TEMPLATE.encode()),
            ("application/vnd.ollama.image.params",
             go_json({"stop": ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]})),
        ],
        {"model_format": "gguf", "model_family": "llama", "model_families": ["llama"], "model_type": "8.0B",
         "file_type": "Q4_K_M", "architecture": "amd64", "os": "linux"},
    )
    # `ollama create qwen2.5-256k` from a Modelfile with PARAMETER num_ctx 262144 and a GGUF
    # converted after max_position_embeddings was raised to 262144 next to Qwen's YaRN block
    # (factor 4 from 32768 reaches 131072). Created models live under the default host and
    # namespace with the tag `latest`.
    qwen_256k = with_uint32(fixture("gguf/qwen2.5-7b-yarn-ctx131072.gguf"), "qwen2.context_length", 262144)
    ollama_model(
        store,
        "registry.ollama.ai",
        "library",
        "qwen2.5-256k",
        "latest",
        [
            ("application/vnd.ollama.image.model", qwen_256k),
            ("application/vnd.ollama.image.template", QWEN_TEMPLATE.encode()),
            ("application/vnd.ollama.image.params", go_json({"num_ctx": 262144})),
        ],
        {"model_format": "gguf", "model_family": "qwen2", "model_families": ["qwen2"], "model_type": "7.6B",
         "file_type": "F32", "architecture": "amd64", "os": "linux"},
    )


def with_uint32(gguf, key, value):
    """A copy of a GGUF with the UINT32 value of `key` replaced; every offset stays the same."""
    name = key.encode()
    at = gguf.index(struct.pack("<Q", len(name)) + name) + 8 + len(name)
    assert struct.unpack_from("<I", gguf, at)[0] == 4, key + " is not a UINT32"
    return gguf[: at + 4] + struct.pack("<I", value) + gguf[at + 8 :]


# MARK: LM Studio models folder (3.3, 3.4)

FILE_TYPE_Q8_0 = 7
FILE_TYPE_Q4_K_M = 15


def with_file_type(gguf, file_type):
    """A copy of a GGUF with `general.file_type` set, as another quantisation of the same model
    would carry."""
    return with_uint32(gguf, "general.file_type", file_type)


def gguf_string(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def projector_gguf():
    """A GGUF v3 header of a llava-style vision projector (architecture `clip`, no tensors):
    no language-model context length, so never a unit of its own."""
    kvs = [
        ("general.architecture", 8, gguf_string("clip")),
        ("general.type", 8, gguf_string("mmproj")),
        ("clip.has_vision_encoder", 7, b"\x01"),
        ("clip.has_text_encoder", 7, b"\x00"),
        ("clip.projector_type", 8, gguf_string("mlp")),
        ("clip.vision.image_size", 4, struct.pack("<I", 336)),
        ("clip.vision.patch_size", 4, struct.pack("<I", 14)),
        ("general.file_type", 4, struct.pack("<I", 1)),
    ]
    out = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 0) + struct.pack("<Q", len(kvs))
    for key, value_type, value in kvs:
        out += gguf_string(key) + struct.pack("<I", value_type) + value
    return out + bytes(-len(out) % 32)


def write_lmstudio():
    models = HERE / "lmstudio" / "models"
    repo = models / "lmstudio-community" / "Meta-Llama-3.1-8B-Instruct-GGUF"
    llama = fixture("gguf/llama3-8b-rope-freqs.gguf")
    write(repo / "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", with_file_type(llama, FILE_TYPE_Q4_K_M))
    write(repo / "Meta-Llama-3.1-8B-Instruct-Q8_0.gguf", with_file_type(llama, FILE_TYPE_Q8_0))
    write(repo / "mmproj-model-f16.gguf", projector_gguf())
    split = models / "local" / "llama-2-7b-split"
    write(split / "llama-2-7b-f32-00001-of-00002.gguf", fixture("gguf/split-00001-of-00002.gguf"))
    write(split / "llama-2-7b-f32-00002-of-00002.gguf", fixture("gguf/split-00002-of-00002.gguf"))


def main():
    for name in ("hf-cache", "ollama", "lmstudio"):
        if (HERE / name).exists():
            shutil.rmtree(HERE / name)
    write_hf_cache()
    write_ollama()
    write_lmstudio()


if __name__ == "__main__":
    main()
