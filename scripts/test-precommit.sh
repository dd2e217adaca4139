#!/usr/bin/env bash
# End-to-end test of the pre-commit hook (.pre-commit-hooks.yaml) with the real `pre-commit`
# from PyPI, the way a model repository uses it:
#
#   1. a temporary git repository holds a model directory (Fixtures/models/llama-2-7b-hf, native
#      4096, no RoPE scaling) plus a vLLM config serving it at 8192: the hook must FAIL (exit 1)
#      with model-served-past-native-unscaled at vllm.yaml:2:16;
#   2. the manifest is fixed to 4096: the hook must PASS (exit 0).
#
# Each step runs `pre-commit try-repo <this repo> ctxaudit --all-files`, which clones this
# repository at HEAD (plus uncommitted changes to tracked files; untracked files are NOT seen)
# and builds it with `swift build -c release` in a fresh store, about 25 s per step on 2 cores.
#
# Usage: scripts/test-precommit.sh            (from anywhere; exit 0 when both outcomes hold)
# Needs: swift on PATH (or /opt/swift), libyaml-dev, libarchive-dev, pkg-config, python3-venv;
#        installs pre-commit into .venv when missing.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
command -v swift >/dev/null || { echo "test-precommit: swift is not on PATH" >&2; exit 2; }
if [ ! -x "$repo/.venv/bin/pre-commit" ]; then
  [ -x "$repo/.venv/bin/pip" ] || python3 -m venv "$repo/.venv"
  "$repo/.venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
fi
precommit="$repo/.venv/bin/pre-commit"

# try-repo only sees committed files and changes to tracked ones; warn about what it will miss.
untracked="$(git -C "$repo" ls-files --others --exclude-standard -- Sources Rules Package.swift .pre-commit-hooks.yaml)"
if [ -n "$untracked" ]; then
  echo "test-precommit: warning: untracked files are not part of what pre-commit builds:" >&2
  echo "$untracked" | sed 's/^/  /' >&2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ctxaudit-precommit.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home"   # keep pre-commit's log and cache out of ~/.cache
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid

work="$tmp/model-repo"
mkdir -p "$work/models/llama-2-7b-hf" "$work/.github/workflows"
cp "$repo"/Fixtures/models/llama-2-7b-hf/*.json "$work/models/llama-2-7b-hf/"
printf '# vllm serve --config vllm.yaml\nmax-model-len: 8192\nmodel: meta-llama/Llama-2-7b-hf\n' \
  >"$work/models/llama-2-7b-hf/vllm.yaml"
# Files the hook must ignore: not model files, and a hidden CI config.
printf 'notes, not a model file\n' >"$work/NOTES.txt"
printf 'on: push\njobs: {}\n' >"$work/.github/workflows/ci.yaml"
git -C "$work" init -q
git -C "$work" add -A
git -C "$work" commit -qm "model with a vLLM config serving past the native window"

failures=0
# run_hook NAME EXPECTED_EXIT PATTERN...: runs try-repo in the model repo; every PATTERN
# (a fixed string) must appear in its output.
run_hook() {
  local name="$1" expected="$2"
  shift 2
  local start end status=0
  start=$(date +%s%N)
  (cd "$work" && "$precommit" try-repo "$repo" ctxaudit --all-files --color never) >"$tmp/$name.out" 2>&1 || status=$?
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  printf 'test-precommit: %s: exit %d (expected %d) in %d.%d s\n' "$name" "$status" "$expected" $((ms / 1000)) $((ms % 1000 / 100))
  local ok=1
  [ "$status" -eq "$expected" ] || ok=0
  for pattern in "$@"; do
    grep -qF -- "$pattern" "$tmp/$name.out" || { echo "test-precommit: $name: missing in output: $pattern"; ok=0; }
  done
  if [ "$ok" -eq 0 ]; then
    failures=$((failures + 1))
    echo "----- pre-commit output ($name) -----"
    cat "$tmp/$name.out"
    echo "-------------------------------------"
  fi
}

run_hook served-past-native 1 \
  "ctxaudit (context windows of model files)" "Failed" \
  "error    model-served-past-native-unscaled  vllm.yaml:2:16" \
  "models/llama-2-7b-hf (llama): native, 4096 native (no scaling)" \
  "1 model, 1 error, 0 warnings, 0 notes"

sed -i 's/^max-model-len: 8192$/max-model-len: 4096/' "$work/models/llama-2-7b-hf/vllm.yaml"
git -C "$work" commit -qam "serve at the native window"

run_hook fixed 0 "ctxaudit (context windows of model files)" "Passed"

if [ "$failures" -ne 0 ]; then
  echo "test-precommit: FAILED ($failures of 2 checks)"
  exit 1
fi
echo "test-precommit: OK (hook fails on the bad manifest, passes once it is fixed)"
