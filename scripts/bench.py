#!/usr/bin/env python3
"""ctxaudit benchmark: builds a release binary, generates its inputs, and prints each figure
beside its peer measured in the same run (issue: speed and memory targets).

Usage:  python3 scripts/bench.py [--work DIR] [--quick]

Needs: the Swift toolchain, python3 with venv, /usr/bin/time, tar, gzip. Installs the `gguf`
package (llama.cpp's own writer and reader, PyPI) into DIR/venv. Big inputs live in DIR
(default .build-bench/, gitignored): about 2.2 GiB of real disk plus a 4 GiB sparse file.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, repeat=5, stdout=subprocess.DEVNULL, env=None):
    """Median wall seconds and max peak RSS (KiB) of `cmd` over `repeat` runs."""
    times, peaks = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=stdout,
                           stderr=subprocess.PIPE, text=True, env=env)
        times.append(time.perf_counter() - t0)
        if p.returncode not in (0, 1):
            sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
        peaks.append(int(p.stderr.strip().splitlines()[-1]))
    return statistics.median(times), max(peaks)


def ensure_venv(work):
    venv = os.path.join(work, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        run([sys.executable, "-m", "venv", venv])
        run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "gguf"])
    return py


def build():
    run(["swift", "build", "-c", "release", "--product", "ctxaudit"], cwd=ROOT, stdout=subprocess.DEVNULL)
    run(["swift", "build", "-c", "release", "--product", "BenchGGUF"], cwd=ROOT, stdout=subprocess.DEVNULL)
    out = run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
              capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "ctxaudit")


GEN_VOCAB = r'''
import sys, numpy as np, gguf
path, n = sys.argv[1], int(sys.argv[2])
w = gguf.GGUFWriter(path, arch="qwen2")
w.add_name("bench-150k-vocab")
w.add_context_length(32768); w.add_embedding_length(64); w.add_block_count(1)
w.add_head_count(4); w.add_rope_freq_base(1000000.0)
w.add_rope_scaling_type(gguf.RopeScalingType.YARN); w.add_rope_scaling_factor(4.0)
w.add_rope_scaling_orig_ctx_len(32768)
w.add_tokenizer_model("gpt2")
w.add_token_list([f"\u0120tok_{i:06d}" for i in range(n)])
w.add_token_scores([float(-i) for i in range(n)])
w.add_token_types([1] * n)
w.add_tensor("token_embd.weight", np.zeros((4, 4), dtype=np.float32))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
'''

PEER_READER = r'''
import sys, time, gguf
path, repeat = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(repeat):
    t0 = time.perf_counter(); r = gguf.GGUFReader(path); times.append(time.perf_counter() - t0)
    assert "qwen2.context_length" in r.fields
times.sort(); print(times[len(times) // 2])
'''


def bench_vocab(work, py, binary, quick):
    n = 150_000
    path = os.path.join(work, "vocab-150k.gguf")
    if not os.path.exists(path):
        run([py, "-c", GEN_VOCAB, path, str(n)])
    size = os.path.getsize(path)
    ours, rss = timed([binary, "inspect", "--format", "json", path])
    peer = float(run([py, "-c", PEER_READER, path, "1" if quick else "3"], capture_output=True, text=True).stdout)
    rows = [("GGUF header, 150,000-token vocabulary (%.1f MB)" % (size / 1e6),
             "%.4f s" % ours, "gguf.GGUFReader %.3f s" % peer, "%.0fx faster" % (peer / ours), ">= 100x", rss)]
    # The header read alone, in process (best of 10), without start-up, rules and JSON output.
    bench = os.path.join(os.path.dirname(binary), "BenchGGUF")
    line = run([bench, path], capture_output=True, text=True).stdout.split()
    fields = dict(item.split("=", 1) for item in line)
    print("in-process header read: %.2f ms best of 10, %s bytes read of %d, vocab_size %s"
          % (float(fields["best_ms"]), fields["bytes_read"], size, fields["vocab_size"]))
    # Same file padded to 4 GiB (sparse): only the header may be read.
    sparse = os.path.join(work, "vocab-150k-4GiB.gguf")
    shutil.copyfile(path, sparse)
    os.truncate(sparse, 4 << 30)
    big, rss2 = timed([binary, "inspect", "--format", "json", sparse])
    rows.append(("Same GGUF padded to 4 GiB (sparse)", "%.4f s" % big, "original %.4f s" % ours,
                 "%+.0f%%" % ((big / ours - 1) * 100), "within 20%", rss2))
    return rows


def bench_tree(work, binary, quick):
    count = 2_000 if quick else 10_000
    tree = os.path.join(work, f"tree-{count}")
    if not os.path.exists(tree):
        cfg = json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama",
                          "max_position_embeddings": 131072, "rope_theta": 500000.0, "hidden_size": 4096,
                          "num_attention_heads": 32, "num_key_value_heads": 8, "num_hidden_layers": 32,
                          "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                           "original_max_position_embeddings": 8192, "rope_type": "llama3"}},
                         indent=2)
        gen = json.dumps({"bos_token_id": 128000, "eos_token_id": 128001, "max_length": 131072}, indent=2)
        card = "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n\n# Model\n\nContext length: 128K tokens.\n"
        for i in range(count):
            d = os.path.join(tree, f"org{i // 100:03d}", f"model-{i:05d}")
            os.makedirs(d)
            for name, text in (("config.json", cfg), ("generation_config.json", gen), ("README.md", card)):
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
    env = dict(os.environ)
    ours, rss = timed(["taskset", "-c", "0,1", binary, "scan", "--format", "jsonl", "--no-progress",
                       "--fail-on", "never", tree], repeat=3, env=env)
    cat_cmd = ["sh", "-c", f"find '{tree}' -type f -print0 | xargs -0 cat > /dev/null"]
    cat_t, _ = timed(cat_cmd, repeat=3)
    rate = count / ours
    return [(f"Tree of {count:,} model directories (2 cores)", "%.2f s (%.0f models/s)" % (ours, rate),
             "cat %.2f s" % cat_t, "%.1fx cat" % (ours / cat_t), ">= 5,000/s and <= 3x cat", rss)]


def bench_archives(work, py, binary, quick):
    size = (256 << 20) if quick else (2 << 30)
    big = os.path.join(work, "payload.gguf")
    vocab = os.path.join(work, "vocab-150k.gguf")
    tar_path = os.path.join(work, "model.tar")
    tgz_path = tar_path + ".gz"
    if not os.path.exists(tar_path) or os.path.getsize(tar_path) < size:
        shutil.copyfile(vocab, big)
        with open(big, "r+b") as f:
            f.truncate(size)
        cfg = os.path.join(work, "config.json")
        with open(cfg, "w") as f:
            json.dump({"model_type": "qwen2", "max_position_embeddings": 32768, "rope_theta": 1000000.0}, f)
        with tarfile.open(tar_path, "w") as t:  # GGUF first, then config.json
            t.add(big, arcname="qwen/model.gguf")
            t.add(cfg, arcname="qwen/config.json")
        run(["sh", "-c", f"gzip -1 -c '{tar_path}' > '{tgz_path}'"])
        os.remove(big)
    rows = []
    t_tar, rss = timed([binary, "scan", "--format", "json", "--fail-on", "never", tar_path], repeat=3)
    read_t, _ = timed(["sh", "-c", f"cat '{tar_path}' > /dev/null"], repeat=3)
    rows.append((f"{size >> 20} MiB .tar, GGUF before config.json", "%.3f s" % t_tar,
                 "cat %.3f s" % read_t, "%.2fx cat" % (t_tar / read_t), "seek past payload", rss))
    t_tgz, rss2 = timed([binary, "scan", "--format", "json", "--fail-on", "never", tgz_path], repeat=3)
    gz_t, _ = timed(["sh", "-c", f"gzip -dc '{tgz_path}' > /dev/null"], repeat=3)
    rows.append((f"Same as .tar.gz", "%.3f s" % t_tgz, "gzip -dc %.3f s" % gz_t, "%.2fx gzip" % (t_tgz / gz_t),
                 "bounded by decompression", rss2))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=os.path.join(ROOT, ".build-bench"))
    ap.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    ap.add_argument("--only", choices=["gguf", "tree", "archive"], help="run one group of cases")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    py = ensure_venv(args.work)
    binary = build()
    rows = []
    if args.only in (None, "gguf", "archive"):
        vocab = bench_vocab(args.work, py, binary, args.quick)  # the archive cases reuse its file
        rows += vocab if args.only in (None, "gguf") else []
    if args.only in (None, "tree"):
        rows += bench_tree(args.work, binary, args.quick)
    if args.only in (None, "archive"):
        rows += bench_archives(args.work, py, binary, args.quick)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at the end; ctxaudit {os.path.relpath(binary, ROOT)}")
    print("| case | ctxaudit | peer (same run) | ratio | target | peak RSS |")
    print("|---|---|---|---|---|---|")
    for case, ours, peer, ratio, target, rss in rows:
        print(f"| {case} | {ours} | {peer} | {ratio} | {target} | {rss / 1024:.1f} MiB |")


if __name__ == "__main__":
    main()
