#!/usr/bin/env bash
# End-to-end test of the pre-commit hook (.pre-commit-hooks.yaml) with the real `pre-commit`
# from PyPI, used the way a model repository uses it: a temporary git repository whose
# .pre-commit-config.yaml is the snippet from notes/README-hook.md, pointing at this checkout.
#
#   A  --all-files, model with a vLLM config serving Llama-2-7B (native 4096, no RoPE
#      scaling) at 8192                  -> Failed, exit 1, model-served-past-native-unscaled
#   B  manifest fixed to 4096, staged    -> Passed, exit 0 (only the staged vllm.yaml is passed)
#   C  config.json alone changed to 2048 -> Failed, exit 1: the hook audits the whole directory,
#                                           so the unchanged vllm.yaml now serves past it
#   D  only NOTES.txt changed            -> Skipped, exit 0 (not a model file)
#
# pre-commit builds the hook once (`swift build -c release`, about 25 s on 2 idle cores) and
# reuses it for B-D. What it builds is this checkout's working tree, committed into a scratch
# clone (tracked changes and untracked, non-ignored files included), so uncommitted work is
# tested too. `pre-commit try-repo` does the same install in a throwaway store and rebuilds every
# time; this script uses a config instead so one build serves all four runs.
#
# Usage: scripts/test-precommit.sh      (from anywhere; exit 0 when all four outcomes hold)
# Needs: swift on PATH (or /opt/swift), git, libyaml-dev, libarchive-dev, pkg-config,
#        python3-venv; installs pre-commit into .venv when missing.
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

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ctxaudit-precommit.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home"   # a fresh store: the hook is really built
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null   # no user hooks, signing or templates

# The hook repository: this checkout's HEAD plus its working-tree changes, as one commit.
hookrepo="$tmp/ctxaudit"
git clone -q "$repo" "$hookrepo"
git -C "$hookrepo" checkout -q --detach "$(git -C "$repo" rev-parse HEAD)"
(cd "$repo" && git ls-files -z --modified --others --exclude-standard) |
  while IFS= read -r -d '' f; do
    if [ -e "$repo/$f" ]; then
      mkdir -p "$hookrepo/$(dirname "$f")"
      cp -p "$repo/$f" "$hookrepo/$f"
    else
      rm -f "$hookrepo/$f"
    fi
  done
git -C "$hookrepo" add -A
git -C "$hookrepo" diff --cached --quiet || git -C "$hookrepo" commit -qm "working tree under test"
rev="$(git -C "$hookrepo" rev-parse HEAD)"

# The model repository.
work="$tmp/model-repo"
mkdir -p "$work/models/llama-2-7b-hf" "$work/.github/workflows"
cp "$repo"/Fixtures/models/llama-2-7b-hf/*.json "$work/models/llama-2-7b-hf/"
printf '# vllm serve --config vllm.yaml\nmax-model-len: 8192\nmodel: meta-llama/Llama-2-7b-hf\n' \
  >"$work/models/llama-2-7b-hf/vllm.yaml"
printf 'notes, not a model file\n' >"$work/NOTES.txt"
printf 'on: push\njobs: {}\n' >"$work/.github/workflows/ci.yaml"   # hidden: never a model file
cat >"$work/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $hookrepo
    rev: $rev
    hooks:
      - id: ctxaudit
EOF
git -C "$work" init -q
git -C "$work" add -A
git -C "$work" commit -qm "model with a vLLM config serving past the native window"

failures=0
# check NAME EXPECTED_EXIT PATTERN... -- PRE-COMMIT-ARGS...: every PATTERN (a fixed string)
# must appear in the output of `pre-commit run PRE-COMMIT-ARGS`.
check() {
  local name="$1" expected="$2"
  shift 2
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  local start end ms status=0
  start=$(date +%s%N)
  (cd "$work" && "$precommit" run --color never "$@") >"$tmp/$name.out" 2>&1 || status=$?
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  printf 'test-precommit: %s: exit %d (expected %d) in %d.%d s\n' "$name" "$status" "$expected" $((ms / 1000)) $((ms % 1000 / 100))
  local ok=1
  [ "$status" -eq "$expected" ] || ok=0
  for pattern in "${patterns[@]}"; do
    grep -qF -- "$pattern" "$tmp/$name.out" || { echo "test-precommit: $name: missing in output: $pattern"; ok=0; }
  done
  if [ "$ok" -eq 0 ]; then
    failures=$((failures + 1))
    echo "----- pre-commit output ($name) -----"
    cat "$tmp/$name.out"
    echo "-------------------------------------"
  fi
}

model=models/llama-2-7b-hf
check A-all-files-served-past-native 1 \
  "ctxaudit (context windows of model files)" "Failed" \
  "error    model-served-past-native-unscaled  vllm.yaml:2:16" \
  "$model (llama): native, 4096 native (no scaling)" \
  "1 model, 1 error, 0 warnings, 0 notes" -- --all-files

sed -i 's/^max-model-len: 8192$/max-model-len: 4096/' "$work/$model/vllm.yaml"
git -C "$work" add "$model/vllm.yaml"
check B-staged-manifest-fixed 0 "ctxaudit (context windows of model files)" "Passed" --
git -C "$work" commit -qm "serve at the native window"

sed -i 's/"max_position_embeddings": 4096/"max_position_embeddings": 2048/' "$work/$model/config.json"
git -C "$work" add "$model/config.json"
check C-staged-config-only 1 \
  "Failed" "served window 4096 is past the native window 2048" \
  "windows    native 2048, effective 2048, advertised unknown, served 4096" -- 
git -C "$work" reset -q --hard

printf 'more notes\n' >>"$work/NOTES.txt"
git -C "$work" add NOTES.txt
check D-staged-non-model 0 "ctxaudit (context windows of model files)" "(no files to check)Skipped" --

if [ "$failures" -ne 0 ]; then
  echo "test-precommit: FAILED ($failures of 4 checks)"
  exit 1
fi
echo "test-precommit: OK (fails on a manifest serving past the native window, passes once fixed)"
