#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset, clang with ASan+UBSan) and
# runs each for SECONDS (default 60), all at once: the rule loader, the
# workflow loader, the CSV importer, the command line's text and the workbook
# (XLSX/ODS) importer; all at once, so the CI minute stays one minute. CI runs
# `scripts/fuzz.sh 60` (scripts/test.sh); the longer run of fuzz/README.md is
# `FUZZ_SEQUENTIAL=1 scripts/fuzz.sh 600`.
#
# Seeds are assembled fresh into build-fuzz/fuzz-work/<target>/seeds from the
# example project, the broken-file corpus under tests/corpus and the committed
# extra seeds in fuzz/seeds/<target>/. What the fuzzer adds goes to
# build-fuzz/fuzz-work/<target>/corpus and is kept between local runs (delete
# it to start over). Crashes, timeouts and out-of-memory inputs are written to
# build-fuzz/findings/<target>/; fuzz/README.md says how one becomes a
# regression test. Exits non-zero when any target found one.
#
# Environment: FUZZ_TARGETS="rule_loader csv_import" runs only those targets;
# FUZZ_SEQUENTIAL=1 runs them one after the other instead of at once.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS per target, default 60]" >&2
  exit 2
fi
read -r -a targets <<<"${FUZZ_TARGETS:-rule_loader workflow_loader csv_import cli_text xlsx_import}"

build="build-fuzz"
example=examples/me-aktiv-2025
# Must equal kNextFileMarker in fuzz/fuzz_entries.h: it splits one input into files.
marker='#--- next file'

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# join FILE...: the files as one input, with a marker line between them.
join() {
  local first=1 file previous=""
  for file in "$@"; do
    if ((first)); then
      first=0
    else
      # The marker must start a line of its own.
      if [[ -s "$previous" && -n "$(tail -c 1 "$previous")" ]]; then printf '\n'; fi
      printf '%s\n' "$marker"
    fi
    cat "$file"
    previous="$file"
  done
}

# seeds TARGET DIR: writes TARGET's seed corpus into DIR.
seeds() {
  local target="$1" dir="$2" file
  case "$target" in
    rule_loader)
      cp "$example"/rules/*.yaml "$dir/"
      # Whole rule sets: mutations of a valid set reach the checks across files.
      join "$example"/rules/{agreement,metrics,goals}.yaml >"$dir/example-rule-set.yaml"
      local base=(tests/corpus/base/{agreement,metrics,goals}.yaml)
      join "${base[@]}" >"$dir/corpus-base.yaml"
      # Each broken file as tests/rules/corpus_test.cpp loads it: after the base set.
      for file in tests/corpus/rules/*.yaml; do
        join "${base[@]}" "$file" >"$dir/corpus-$(basename "$file")"
      done
      ;;
    workflow_loader)
      cp "$example"/workflows/*.yaml "$dir/"
      join "$example"/workflows/*.yaml >"$dir/example-workflows.yaml"
      ;;
    csv_import)
      cp "$example"/data/*.csv "$dir/"
      # One line over the reader's 64 KiB limit (observations/csv_reader.h).
      {
        printf 'metric,period,value,source\nelb_frauen,2025-01,1,'
        head -c 70000 /dev/zero | tr '\0' 'x'
        printf '\nelb_frauen,2025-02,2,ok\n'
      } >"$dir/line-too-long.csv"
      ;;
    cli_text)
      # The hostile and careless command lines of docs/reliability.md are the
      # committed seeds (fuzz/seeds/cli_text/).
      ;;
    xlsx_import)
      # Small workbooks of tests/fixtures/make_spreadsheets.py, stored without
      # compression so mutations reach the XML (fuzz/seeds/xlsx_import/).
      ;;
  esac
  if compgen -G "fuzz/seeds/$target/*" >/dev/null; then cp fuzz/seeds/"$target"/* "$dir/"; fi
}

max_len() {
  case "$1" in
    # Room for a line over the 64 KiB limit plus a few rows.
    csv_import) echo 131072 ;;
    # A command line: the kernel allows 128 KiB per argument, people type less.
    cli_text) echo 4096 ;;
    # The example's whole rule set is about 14 KiB.
    *) echo 65536 ;;
  esac
}

# libFuzzer's own defaults apply where these say nothing; the sanitizers abort
# on the first report so every finding is a crash with a saved input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# run TARGET: fuzzes TARGET for $seconds; its exit status goes to its work dir.
run() {
  local target="$1" work="$build/fuzz-work/$1" findings="$build/findings/$1" status=0
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$(max_len "$target")" -print_final_stats=1 -dict="fuzz/dict/$target.dict" \
    -artifact_prefix="$findings/" "$work/corpus" "$work/seeds" >"$work/fuzz.log" 2>&1 || status=$?
  echo "$status" >"$work/status"
}

for target in "${targets[@]}"; do
  work="$build/fuzz-work/$target"
  rm -rf "$work/seeds" "$work/status"
  mkdir -p "$work/seeds" "$work/corpus" "$build/findings/$target"
  seeds "$target" "$work/seeds"
  touch "$work/started"
done

# All targets at once by default: each still gets SECONDS of wall time, and CI
# waits one period instead of three. FUZZ_SEQUENTIAL=1 runs one after the
# other, each with the machine to itself (for the longer runs' figures).
if [[ "${FUZZ_SEQUENTIAL:-0}" == 1 ]]; then
  for target in "${targets[@]}"; do
    echo "fuzz: $target for ${seconds}s (log $build/fuzz-work/$target/fuzz.log)" >&2
    run "$target"
  done
else
  echo "fuzz: ${targets[*]} at once for ${seconds}s (logs in $build/fuzz-work/)" >&2
  for target in "${targets[@]}"; do run "$target" & done
  wait
fi

failed=()
summary=()
for target in "${targets[@]}"; do
  work="$build/fuzz-work/$target"
  findings="$build/findings/$target"
  log="$work/fuzz.log"
  status=$(cat "$work/status" 2>/dev/null || echo "?")
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  # The last status line: "#N DONE cov: C ft: F corp: UNITS/SIZE ..."
  corpus=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1 | cut -d' ' -f2)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  artifacts=$(find "$findings" -type f -newer "$work/started" | sort)
  summary+=("$(printf '%-16s %12s %8s %12s %6s  %s' "$target" "${executions:-?}" \
    "${per_second:-?}" "${corpus:-?}" "${coverage:-?}" \
    "$([[ $status == 0 ]] && echo ok || echo "FAILED (exit $status)")")")
  if [[ $status != 0 || -n "$artifacts" ]]; then
    failed+=("$target")
    echo "fuzz: $target failed; the end of its log:" >&2
    tail -n 60 "$log" >&2
    echo "fuzz: inputs saved:" >&2
    echo "${artifacts:-  (none)}" >&2
  fi
done

printf '%-16s %12s %8s %12s %6s  %s\n' target executions exec/s corpus cov result
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]} (see $build/findings/; fuzz/README.md says what to do)" >&2
  exit 1
fi
