#!/usr/bin/env bash
# Fuzzes the evaluator with cargo-fuzz (libFuzzer): builds the targets of fuzz/, writes their seed
# corpora from the fixtures, runs each target for a bounded time and prints how many inputs each
# one executed. Exits non-zero when any target crashed, hung, ran out of memory or did not build.
#
#   ./scripts/fuzz.sh [seconds-per-target] [target...]      (default: 60 s, every target)
#
# Corpora grow across runs in target/fuzz-corpus/<target>/ (seeds: target/fuzz-seeds/<target>/,
# rewritten each run); logs go to target/fuzz-logs/, crashing inputs to fuzz/artifacts/<target>/.
# Needs the nightly toolchain and cargo-fuzz (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(evaluate_design edit_batches snapshot_restore read_json)
fi
# A single input taking longer than this is reported as a hang; more memory than this as a blow-up.
timeout_seconds=${FUZZ_TIMEOUT:-10}
rss_limit_mb=${FUZZ_RSS_LIMIT_MB:-2048}
# read_json's inputs are kept small: every reader parses the whole text, and the readers' paths
# (limits, errors, round trips) are all reached by a few kilobytes; the large fixture designs are
# evaluate_design's and snapshot_restore's.
read_json_max_len=${FUZZ_READ_JSON_MAX_LEN:-8192}
# The crate has no unsafe code, so AddressSanitizer would find nothing that Rust does not already
# catch, at 1.4-3.5x the time per input (measured here); libFuzzer still reports panics, aborts,
# stack overflows, hangs and memory blow-ups. FUZZ_SANITIZER=address brings it back.
sanitizer=${FUZZ_SANITIZER:-none}
# FUZZ_SEED fixes libFuzzer's random seed, so a run explores the same inputs in the same order
# (how far it gets still depends on the machine's speed).
seed_option=()
if [ -n "${FUZZ_SEED:-}" ]; then
  seed_option=(-seed="$FUZZ_SEED")
fi

root=$(pwd)
seeds="$root/target/fuzz-seeds"
corpora="$root/target/fuzz-corpus"
logs="$root/target/fuzz-logs"
mkdir -p "$seeds" "$corpora" "$logs"

echo "fuzz: building ${targets[*]}"
for target in "${targets[@]}"; do
  cargo +nightly fuzz build --sanitizer "$sanitizer" "$target"
done

echo "fuzz: writing seed corpora from ../shared/fixtures"
cargo run --quiet --example fuzz_seeds -- "$seeds"
# read_json: the parts of evaluate_design's seeds (designs, definition lists, single definitions,
# options) and the fixture YAML designs, those up to read_json's input size (today none of the
# three fixture designs fits), and fuzz/seeds/read_json/ (hand-written: an edit batch with every
# op, every option, a small design in JSON and in YAML, odd numbers).
mkdir -p "$seeds/read_json"
for file in "$seeds/evaluate_design"/*; do
  while IFS= read -r -d '' part || [ -n "$part" ]; do
    if [ ${#part} -le "$read_json_max_len" ]; then
      printf '%s' "$part" >"$seeds/read_json/$(printf '%s' "$part" | sha1sum | cut -c1-16)"
    fi
  done <"$file"
done
for file in ../shared/fixtures/meshery/designs/*.yaml fuzz/seeds/read_json/*; do
  if [ "$(wc -c <"$file")" -le "$read_json_max_len" ]; then
    cp "$file" "$seeds/read_json/$(basename "$file")"
  fi
done

failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "$corpora/$target" "$seeds/$target"
  log="$logs/$target.log"
  echo "fuzz: $target for ${seconds}s (log: ${log#"$root"/})"
  # The first directory receives new inputs; the seeds are read only. Everything after `--` goes
  # to libFuzzer.
  target_options=()
  if [ "$target" = read_json ]; then
    target_options=(-max_len="$read_json_max_len")
  fi
  status=0
  cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "$corpora/$target" "$seeds/$target" -- \
    -max_total_time="$seconds" -timeout="$timeout_seconds" -rss_limit_mb="$rss_limit_mb" \
    -print_final_stats=1 "${seed_option[@]}" "${target_options[@]}" >"$log" 2>&1 || status=$?
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus_size=$(find "$corpora/$target" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status); the end of its log:"
    tail -n 60 "$log"
  fi
  summary+=("$(printf '%-18s %-6s executions=%-10s corpus=%s' "$target" \
    "$([ "$status" -eq 0 ] && echo ok || echo FAILED)" "${executed:-?}" "$corpus_size")")
done

echo "fuzz: summary (${seconds}s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: crashes in ${failed[*]}; reproduce with: cargo +nightly fuzz run --sanitizer $sanitizer <target> fuzz/artifacts/<target>/<file>"
  exit 1
fi
