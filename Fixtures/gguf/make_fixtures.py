#!/usr/bin/env python3
"""Writes the GGUF fixtures in this folder with llama.cpp's own writer (PyPI `gguf`).

Run from the repository root (see README.md in this folder):

    python3 -m venv .venv && .venv/bin/pip install gguf
    .venv/bin/python Fixtures/gguf/make_fixtures.py            # small fixtures + expected/*.json
    .venv/bin/python Fixtures/gguf/make_fixtures.py --bench DIR # also big timing files in DIR

Metadata is shaped as llama.cpp's convert_hf_to_gguf.py writes it for each family
(rope-methods.md §6.4-6.6); tensors are tiny (4x4 token_embd) except the RoPE factor
tensors, which carry the real values. `expected/<name>.json` records what gguf-py's own
GGUFReader sees in each good file, so the Swift tests compare the two readers.
"""
import argparse
import json
import math
import os
import struct
import sys
from pathlib import Path

import numpy as np
import gguf

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"


# ---------------------------------------------------------------- real values

def llama3_rope_factors(theta=500000.0, dim=128, factor=8.0, low=1.0, high=4.0, old_ctx=8192):
    """convert_hf_to_gguf.py LlamaModel.generate_extra_tensors for rope_type llama3 (float64)."""
    freqs = [1.0 / (theta ** (i / dim)) for i in range(0, dim, 2)]
    low_wavelen, high_wavelen = old_ctx / low, old_ctx / high
    out = []
    for freq in freqs:
        wavelen = 2 * math.pi / freq
        if wavelen < high_wavelen:
            out.append(1.0)
        elif wavelen > low_wavelen:
            out.append(factor)
        else:
            smooth = (old_ctx / wavelen - low) / (high - low)
            out.append(1.0 / ((1 - smooth) / factor + smooth))
    return out


# microsoft/Phi-3-mini-128k-instruct config.json, rope_scaling (type "su"), first release
# (also torchtune's phi3_mini_128k LONG_FACTORS / SHORT_FACTORS).
PHI3_LONG = [
    1.0299999713897705, 1.0499999523162842, 1.0499999523162842, 1.0799999237060547,
    1.2299998998641968, 1.2299998998641968, 1.2999999523162842, 1.4499999284744263,
    1.5999999046325684, 1.6499998569488525, 1.8999998569488525, 2.859999895095825,
    3.68999981880188, 5.419999599456787, 5.489999771118164, 5.489999771118164,
    9.09000015258789, 11.579999923706055, 15.65999984741211, 15.769999504089355,
    15.789999961853027, 18.360000610351562, 21.989999771118164, 23.079999923706055,
    30.009998321533203, 32.35000228881836, 32.590003967285156, 35.56000518798828,
    39.95000457763672, 53.840003967285156, 56.20000457763672, 57.95000457763672,
    59.29000473022461, 59.77000427246094, 59.920005798339844, 61.190006256103516,
    61.96000671386719, 62.50000762939453, 63.3700065612793, 63.48000717163086,
    63.48000717163086, 63.66000747680664, 63.850006103515625, 64.08000946044922,
    64.760009765625, 64.80001068115234, 64.81001281738281, 64.81001281738281,
]
PHI3_SHORT = [
    1.05, 1.05, 1.05, 1.1, 1.1, 1.1500000000000001, 1.2000000000000002, 1.2500000000000002,
    1.3000000000000003, 1.3500000000000003, 1.5000000000000004, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.0500000000000007, 2.0500000000000007, 2.0500000000000007, 2.1000000000000005,
    2.1000000000000005, 2.1000000000000005, 2.1500000000000004, 2.1500000000000004,
    2.3499999999999996, 2.549999999999999, 2.5999999999999988, 2.5999999999999988,
    2.7499999999999982, 2.849999999999998, 2.849999999999998, 2.9499999999999975,
]


# ---------------------------------------------------------------- helpers

def tiny_embd():
    return np.arange(16, dtype=np.float32).reshape(4, 4)


def gpt2_vocab(writer, n_tokens, n_merges, pre):
    """BPE vocabulary the way the converter writes it (tokens + token_type + merges)."""
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list([f"\u0120tok_{i:06d}" for i in range(n_tokens)])
    writer.add_token_types([1] * n_tokens)
    writer.add_token_merges([f"\u0120 t{i}" for i in range(n_merges)])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)


def spm_vocab(writer, n_tokens):
    """SentencePiece vocabulary (llama 2, phi3): tokens + scores + token_type."""
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(["<unk>", "<s>", "</s>"] + [f"\u2581t{i}" for i in range(n_tokens - 3)])
    writer.add_token_scores([-float(i) for i in range(n_tokens)])
    writer.add_token_types([2, 3, 3] + [1] * (n_tokens - 3))
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)


def general(writer, name, size_label, file_type=0):
    writer.add_type("model")
    writer.add_name(name)
    writer.add_size_label(size_label)
    writer.add_file_type(file_type)


def finish(writer):
    writer.add_quantization_version(2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


# ---------------------------------------------------------------- good fixtures

def llama3_lost_scaling(path):
    """Llama-3.1-8B converted by a tool that dropped the llama3 scaling: same keys, no rope_freqs."""
    llama3(path, with_rope_freqs=False)


def llama3(path, endian=gguf.GGUFEndian.LITTLE, with_rope_freqs=True):
    """Llama-3.1-8B: context 131072, theta 500000, rope_freqs tensor (llama3 8/1/4, L0 8192)."""
    w = gguf.GGUFWriter(str(path), arch="llama", endianess=endian)
    general(w, "Meta Llama 3.1 8B Instruct", "8B")
    w.add_vocab_size(128256)
    w.add_context_length(131072)
    w.add_embedding_length(4096)
    w.add_block_count(32)
    w.add_feed_forward_length(14336)
    w.add_rope_dimension_count(128)
    w.add_head_count(32)
    w.add_head_count_kv(8)
    w.add_layer_norm_rms_eps(1e-05)
    w.add_rope_freq_base(500000.0)
    gpt2_vocab(w, 300, 100, "llama-bpe")
    if with_rope_freqs:
        w.add_tensor("rope_freqs.weight", np.array(llama3_rope_factors(), dtype=np.float32))
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def phi3(path):
    """Phi-3-mini-128k-instruct (LongRoPE, "su"): no scaling type, attn_factor, long/short tensors."""
    w = gguf.GGUFWriter(str(path), arch="phi3")
    general(w, "Phi 3 Mini 128k Instruct", "mini", file_type=1)
    w.add_context_length(131072)
    w.add_rope_scaling_orig_ctx_len(4096)
    w.add_embedding_length(3072)
    w.add_feed_forward_length(8192)
    w.add_block_count(32)
    w.add_head_count(32)
    w.add_head_count_kv(32)
    w.add_layer_norm_rms_eps(1e-05)
    w.add_rope_dimension_count(96)
    w.add_rope_freq_base(10000.0)
    w.add_rope_scaling_attn_factors(math.sqrt(1 + math.log(131072 / 4096) / math.log(4096)))
    spm_vocab(w, 200)
    w.add_tensor("rope_factors_long.weight", np.array(PHI3_LONG, dtype=np.float32))
    w.add_tensor("rope_factors_short.weight", np.array(PHI3_SHORT, dtype=np.float32))
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def qwen2_yarn(path, context_length):
    """Qwen2.5-7B-Instruct with the documented YaRN recipe added to config.json."""
    w = gguf.GGUFWriter(str(path), arch="qwen2")
    general(w, "Qwen2.5 7B Instruct", "7B")
    w.add_block_count(28)
    w.add_context_length(context_length)
    w.add_embedding_length(3584)
    w.add_feed_forward_length(18944)
    w.add_head_count(28)
    w.add_head_count_kv(4)
    w.add_rope_freq_base(1000000.0)
    w.add_layer_norm_rms_eps(1e-06)
    w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    w.add_rope_scaling_factor(4.0)
    w.add_rope_scaling_orig_ctx_len(32768)
    gpt2_vocab(w, 300, 100, "qwen2")
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def deepseek2(path):
    """DeepSeek-V3: YaRN s=40, L0 4096, yarn_log_multiplier 0.1 (= 0.1 x mscale_all_dim 1.0)."""
    w = gguf.GGUFWriter(str(path), arch="deepseek2")
    general(w, "DeepSeek V3", "671B")
    w.add_block_count(61)
    w.add_context_length(163840)
    w.add_embedding_length(7168)
    w.add_feed_forward_length(18432)
    w.add_head_count(128)
    w.add_head_count_kv(128)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-06)
    w.add_key_length(192)
    w.add_value_length(128)
    w.add_rope_dimension_count(64)
    w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    w.add_rope_scaling_factor(40.0)
    w.add_rope_scaling_orig_ctx_len(4096)
    w.add_rope_scaling_yarn_log_mul(0.1 * 1.0)
    gpt2_vocab(w, 300, 100, "deepseek-v3")
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def legacy_scale_linear(path):
    """A 2023-era linear-scaled llama (SuperHOT-style 8k): `llama.rope.scale_linear` 4.0."""
    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_name("llama-13b-superhot-8k")
    w.add_context_length(8192)
    w.add_embedding_length(5120)
    w.add_block_count(40)
    w.add_feed_forward_length(13824)
    w.add_rope_dimension_count(128)
    w.add_head_count(40)
    w.add_head_count_kv(40)
    w.add_layer_norm_rms_eps(1e-06)
    w.add_float32("llama.rope.scale_linear", 4.0)
    spm_vocab(w, 200)
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def llama2_native(path):
    """Llama-2-7B: context 4096, theta 10000, no scaling keys or tensors."""
    w = gguf.GGUFWriter(str(path), arch="llama")
    general(w, "Llama 2 7b Hf", "7B")
    w.add_vocab_size(32000)
    w.add_context_length(4096)
    w.add_embedding_length(4096)
    w.add_block_count(32)
    w.add_feed_forward_length(11008)
    w.add_rope_dimension_count(128)
    w.add_head_count(32)
    w.add_head_count_kv(32)
    w.add_layer_norm_rms_eps(1e-05)
    w.add_rope_freq_base(10000.0)
    spm_vocab(w, 200)
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def finetuned(path):
    """Linear x2 with scaling.finetuned true (CodeLlama-style legacy key set)."""
    w = gguf.GGUFWriter(str(path), arch="llama")
    general(w, "Llama 2 7b 8k Linear Finetuned", "7B")
    w.add_context_length(8192)
    w.add_embedding_length(4096)
    w.add_block_count(32)
    w.add_feed_forward_length(11008)
    w.add_rope_dimension_count(128)
    w.add_head_count(32)
    w.add_head_count_kv(32)
    w.add_layer_norm_rms_eps(1e-05)
    w.add_rope_freq_base(10000.0)
    w.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
    w.add_rope_scaling_factor(2.0)
    w.add_rope_scaling_orig_ctx_len(4096)
    w.add_rope_scaling_finetuned(True)
    spm_vocab(w, 200)
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def split_shards(path):
    """Two shards written by the writer's own splitter (split_max_tensors=1)."""
    w = gguf.GGUFWriter(str(path), arch="llama", split_max_tensors=1)
    general(w, "Llama 2 7b Hf", "7B")
    w.add_context_length(4096)
    w.add_embedding_length(4096)
    w.add_block_count(32)
    w.add_head_count(32)
    w.add_rope_freq_base(10000.0)
    w.add_tensor("token_embd.weight", tiny_embd())
    w.add_tensor("output.weight", tiny_embd())
    finish(w)


def custom_alignment(path):
    """general.alignment 64 moves the data section to the next multiple of 64."""
    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_custom_alignment(64)
    w.add_context_length(4096)
    w.add_rope_freq_base(10000.0)
    w.add_tensor("rope_freqs.weight", np.ones(64, dtype=np.float32))
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def all_value_types(path):
    """One key of each of the 13 value types, and kept arrays of several types."""
    w = gguf.GGUFWriter(str(path), arch="test")
    T = gguf.GGUFValueType
    w.add_uint8("t.uint8", 200)
    w.add_int8("t.int8", -100)
    w.add_uint16("t.uint16", 60000)
    w.add_int16("t.int16", -30000)
    w.add_uint32("t.uint32", 4000000000)
    w.add_int32("t.int32", -2000000000)
    w.add_float32("t.float32", 0.1)
    w.add_bool("t.bool", True)
    w.add_string("t.string", "h\u00e9llo \u2581")
    w.add_uint64("t.uint64", 2**64 - 1)
    w.add_int64("t.int64", -(2**63))
    w.add_float64("t.float64", 1.1902380714238083)
    w.add_key_value("t.array_i32", [16, 24, 24, 0], T.ARRAY, sub_type=T.INT32)
    w.add_key_value("t.array_bool", [True, False, True], T.ARRAY, sub_type=T.BOOL)
    w.add_key_value("t.array_str", ["a", "bc", ""], T.ARRAY, sub_type=T.STRING)
    w.add_key_value("t.array_u8_big", list(range(256)) * 5, T.ARRAY, sub_type=T.UINT8)
    w.add_key_value("t.array_f64", [0.5, -2.25], T.ARRAY, sub_type=T.FLOAT64)
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


def bench(path, n_tokens=150_000):
    """A 150,000-token vocabulary (tokens + scores + token_type), for timing only."""
    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_context_length(131072)
    w.add_rope_freq_base(500000.0)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"\u0120tok_{i:06d}" for i in range(n_tokens)])
    w.add_token_scores([0.0] * n_tokens)
    w.add_token_types([1] * n_tokens)
    w.add_tensor("rope_freqs.weight", np.array(llama3_rope_factors(), dtype=np.float32))
    w.add_tensor("token_embd.weight", tiny_embd())
    finish(w)


# ---------------------------------------------------------------- broken files

def le_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def kv_string(key, value):
    return le_string(key) + struct.pack("<I", 8) + le_string(value)


def header(version=3, tensors=0, kvs=1):
    return b"GGUF" + struct.pack("<IQQ", version, tensors, kvs)


def broken_files():
    """Hand-made invalid files; each shows one error (offsets in README.md)."""
    arch = kv_string("general.architecture", "llama")  # 24 + 8 + 20 + 4 + 8 + 5 = 69 bytes
    files = {
        "bad-magic.gguf": b"GGML" + arch[4:],
        "version-1.gguf": header(version=1) + arch,
        "version-4.gguf": header(version=4) + arch,
        # value length says 5 ("llama"), file ends after "ll"
        "truncated-in-kv-string.gguf": (header() + arch)[:-3],
        "huge-string-length.gguf": header() + le_string("general.architecture") + struct.pack("<IQ", 8, 1 << 40) + b"llama",
        "huge-kv-count.gguf": header(kvs=1 << 62) + arch,
        "nested-array.gguf": header() + le_string("t.nested") + struct.pack("<IIQ", 9, 9, 1) + struct.pack("<IQ", 4, 1) + struct.pack("<I", 7),
        "unknown-value-type.gguf": header() + le_string("t.weird") + struct.pack("<I", 13) + struct.pack("<I", 0),
        "invalid-bool.gguf": header() + le_string("llama.rope.scaling.finetuned") + struct.pack("<I", 7) + b"\x02",
        "bad-alignment.gguf": header() + le_string("general.alignment") + struct.pack("<II", 4, 3),
        "config-json-named.gguf": b'{\n  "architectures": ["LlamaForCausalLM"],\n  "max_position_embeddings": 4096\n}\n',
        "empty.gguf": b"",
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


# ---------------------------------------------------------------- gguf-py's view

def reader_view(path):
    """What gguf-py's GGUFReader reads, for the Swift cross-check test."""
    r = gguf.GGUFReader(str(path))
    kvs = []
    for field in r.fields.values():
        if field.name.startswith("GGUF."):
            continue
        vtype = field.types[0]
        entry = {"key": field.name, "offset": int(field.offset), "type": vtype.name}
        if vtype == gguf.GGUFValueType.ARRAY:
            entry["element_type"] = field.types[-1].name
            entry["count"] = len(field.data)
            if len(field.data) <= 64:
                entry["value"] = [v if not isinstance(v, float) else float(np.float32(v)) if field.types[-1] == gguf.GGUFValueType.FLOAT32 else v
                                  for v in field.contents()]
        else:
            value = field.contents()
            if vtype == gguf.GGUFValueType.FLOAT32:
                value = float(np.float32(value))
            entry["value"] = value
        kvs.append(entry)
    tensors = []
    for t in r.tensors:
        item = {"name": t.name, "type": t.tensor_type.name, "dims": [int(d) for d in t.shape],
                "info_offset": int(t.field.offset), "data_offset": int(t.data_offset)}
        if t.name in ("rope_freqs.weight", "rope_factors_long.weight", "rope_factors_short.weight"):
            item["values"] = [float(v) for v in np.asarray(t.data, dtype=np.float32)]
        tensors.append(item)
    return {"byte_order": "big" if r.byte_order == "S" else "little",
            "alignment": int(r.alignment), "data_offset": int(r.data_offset),
            "file_size": os.path.getsize(path), "kvs": kvs, "tensors": tensors}


GOOD = {
    "llama3-8b-rope-freqs.gguf": llama3,
    "llama3-8b-rope-freqs.be.gguf": lambda p: llama3(p, gguf.GGUFEndian.BIG),
    "llama3-8b-no-rope-freqs.gguf": llama3_lost_scaling,
    "phi3-mini-128k-longrope.gguf": phi3,
    "qwen2.5-7b-yarn.gguf": lambda p: qwen2_yarn(p, 32768),
    "qwen2.5-7b-yarn-ctx131072.gguf": lambda p: qwen2_yarn(p, 131072),
    "deepseek-v3-yarn.gguf": deepseek2,
    "llama-superhot-8k-scale-linear.v2.gguf": legacy_scale_linear,
    "llama2-7b-native.gguf": llama2_native,
    "llama2-linear-finetuned.gguf": finetuned,
    "custom-alignment-64.gguf": custom_alignment,
    "all-value-types.gguf": all_value_types,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", metavar="DIR", help="also write big timing files into DIR (not committed)")
    args = parser.parse_args()

    EXPECTED.mkdir(exist_ok=True)
    for name, make in GOOD.items():
        make(HERE / name)
    # Older converters wrote GGUF v2 (same layout as v3): patch the version field.
    v2 = HERE / "llama-superhot-8k-scale-linear.v2.gguf"
    data = bytearray(v2.read_bytes())
    data[4:8] = struct.pack("<I", 2)
    v2.write_bytes(bytes(data))

    split_shards(HERE / "split.gguf")  # -> split-00001-of-00002.gguf, split-00002-of-00002.gguf
    good = sorted(GOOD) + ["split-00001-of-00002.gguf", "split-00002-of-00002.gguf"]
    for name in good:
        view = reader_view(HERE / name)
        (EXPECTED / (name + ".json")).write_text(json.dumps(view, indent=1, ensure_ascii=False) + "\n")
        assert (HERE / name).stat().st_size < 100_000, name
    broken_files()

    if args.bench:
        out = Path(args.bench)
        out.mkdir(parents=True, exist_ok=True)
        bench(out / "vocab-150k.gguf")
        print(f"wrote {out / 'vocab-150k.gguf'} ({(out / 'vocab-150k.gguf').stat().st_size} bytes)")
    print(f"wrote {len(good)} fixtures and {len(good)} expected views to {HERE}")


if __name__ == "__main__":
    sys.exit(main())
