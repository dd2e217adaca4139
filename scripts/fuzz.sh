#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (Sources/Fuzz*), one at a time.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     fuzz each target for SECONDS (default 60)
#   scripts/fuzz.sh TARGET --repro FILE...     run a target once over saved inputs (a crash file)
#
# TARGET is FuzzJSON, FuzzGGUF, FuzzYAML, FuzzArchive, FuzzRuleExpr or FuzzAudit (the "Fuzz" may
# be left out: `json`, `gguf`, `yaml`, `archive`, `ruleexpr`, `audit`). Each run starts from a temporary copy of
# Fuzz/corpus/<target>/, so the committed corpus never grows; set FUZZ_WORK=DIR to keep the
# working corpora in DIR/<target>/ across runs instead. Crash, timeout and out-of-memory inputs
# are written to Fuzz/crashes/<target>/ (gitignored). Extra libFuzzer flags can be passed in
# FUZZ_FLAGS (e.g. FUZZ_FLAGS="-seed=1 -max_len=8192"). FUZZ_CONFIG=release builds the targets
# optimised (in .build-fuzz-release): about 3.5x the executions per second of the default debug
# build, which builds faster and keeps more coverage points; use it for long runs.
#
# Limits per input: -timeout=10 (seconds), -rss_limit_mb=2048. Exit status: 0 when every
# target ran clean, 1 when any target found a crash, timeout or OOM, 2 on a build failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
# Swift's own backtracer races ASan's report on a crash; libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
# Shorter allocation stacks (the crash stack itself is unaffected): about 15% more exec/s.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=8}

all_targets=(FuzzJSON FuzzGGUF FuzzYAML FuzzArchive FuzzRuleExpr FuzzAudit)
config=${FUZZ_CONFIG:-debug}
case "$config" in
  debug) scratch=.build-fuzz ;;
  release) scratch=.build-fuzz-release ;;
  *) echo "FUZZ_CONFIG must be debug or release, got '$config'" >&2; exit 64 ;;
esac

canonical() {
  case "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" in
    fuzzjson | json) echo FuzzJSON ;;
    fuzzgguf | gguf) echo FuzzGGUF ;;
    fuzzyaml | yaml) echo FuzzYAML ;;
    fuzzarchive | archive) echo FuzzArchive ;;
    fuzzruleexpr | ruleexpr | rules | rule) echo FuzzRuleExpr ;;
    fuzzaudit | audit) echo FuzzAudit ;;
    *) echo "unknown fuzz target '$1' (expected one of: ${all_targets[*]} or all)" >&2; return 1 ;;
  esac
}

dictionary() {
  case "$1" in
    FuzzJSON) echo Fuzz/dict/json.dict ;;
    FuzzGGUF) echo Fuzz/dict/gguf.dict ;;
    FuzzYAML) echo Fuzz/dict/yaml.dict ;;
    FuzzArchive) echo Fuzz/dict/archive.dict ;;
    FuzzRuleExpr) echo Fuzz/dict/rules.dict ;;
    FuzzAudit) echo Fuzz/dict/audit.dict ;;
  esac
}

build() {
  local target=$1 log
  log=$(mktemp)
  echo "== build $target"
  # One combined -sanitize flag: swiftc keeps only the last -sanitize= it is given, so
  # SwiftPM's `--sanitize=fuzzer --sanitize=address` alone builds ASan without coverage
  # counters. SwiftPM still needs its own --sanitize=fuzzer to leave main to libFuzzer.
  if ! swift build -c "$config" --scratch-path "$scratch" --product "$target" \
      --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build of $target failed" >&2
    exit 2
  fi
  grep -E "warning:|error:" "$log" >&2 || true
  rm -f "$log"
}

# Flags one target needs beyond the common ones. FuzzAudit keeps the rule catalog in a global,
# which LeakSanitizer misreads as leaked (Sources/FuzzAudit/FuzzAudit.swift says why), so both
# libFuzzer's per-input check and ASan's check at exit are off for it.
target_flags() {
  case "$1" in
    FuzzAudit) echo "-detect_leaks=0" ;;
  esac
}
target_asan_options() {
  case "$1" in
    FuzzAudit) echo "$ASAN_OPTIONS:detect_leaks=0" ;;
    *) echo "$ASAN_OPTIONS" ;;
  esac
}

binary() { echo "$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/$1"; }

# --- reproduce ---------------------------------------------------------------------------
if [[ ${2:-} == --repro ]]; then
  target=$(canonical "${1:-}")
  shift 2
  build "$target"
  # shellcheck disable=SC2046
  ASAN_OPTIONS=$(target_asan_options "$target") exec "$(binary "$target")" -rss_limit_mb=2048 -timeout=10 $(target_flags "$target") "$@"
fi

# --- fuzz --------------------------------------------------------------------------------
selection=${1:-all}
seconds=${2:-60}
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "SECONDS must be a positive integer, got '$seconds'" >&2; exit 64; }
if [[ $selection == all ]]; then
  targets=("${all_targets[@]}")
else
  targets=("$(canonical "$selection")")
fi

for target in "${targets[@]}"; do build "$target"; done

status=0
summary=()
tmp_root=$(mktemp -d)
trap 'rm -rf "$tmp_root"' EXIT

for target in "${targets[@]}"; do
  crashes="Fuzz/crashes/$target"
  mkdir -p "$crashes"
  if [[ -n ${FUZZ_WORK:-} ]]; then
    work="$FUZZ_WORK/$target"
    mkdir -p "$work"
  else
    work="$tmp_root/$target"
    mkdir -p "$work"
  fi
  cp -n Fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
  log="$tmp_root/$target.log"
  before=$(find "$crashes" -type f | wc -l)
  echo "== fuzz $target for ${seconds}s (corpus $(ls "$work" | wc -l) files, crashes to $crashes/)"
  start=$(date +%s)
  set +e
  # An outer timeout guards against a fuzzer that stops answering (a hang inside a C library).
  # shellcheck disable=SC2086
  ASAN_OPTIONS=$(target_asan_options "$target") timeout --signal=INT --kill-after=30 $((seconds + 120)) \
    "$(binary "$target")" "$work" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -dict="$(dictionary "$target")" -artifact_prefix="$crashes/" $(target_flags "$target") \
    -print_final_stats=1 -close_fd_mask=1 ${FUZZ_FLAGS:-} >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(($(date +%s) - start))
  after=$(find "$crashes" -type f | wc -l)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  found=$((after - before))
  verdict=ok
  if [[ $rc -ne 0 || $found -gt 0 ]]; then
    verdict="FAILED (exit $rc, $found new file(s) in $crashes/)"
    status=1
    grep -E "^==[0-9]+==ERROR|^SUMMARY|fuzz invariant failed|Fatal error|deadly signal|ALARM|out-of-memory|Test unit written" "$log" | head -20 >&2 || true
    cp "$log" "$crashes/last-run.log"
  fi
  line="$target: ${execs:-?} execs in ${elapsed}s, ${rate:-?} exec/s, ${cov:-cov: ?}, peak RSS ${rss:-?} MB, corpus $(ls "$work" | wc -l) files: $verdict"
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
