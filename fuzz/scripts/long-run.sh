#!/usr/bin/env bash
# One long run of one target: `fuzz/scripts/long-run.sh <target> <executions> [seconds]`
# from the repository root. One process (the machine is shared); the growing corpus
# lives outside the repository, under /var/tmp/huibian-fuzz/corpus/<target>.
set -euo pipefail
target="$1"
runs="$2"
seconds="${3:-3600}"
corpus="/var/tmp/huibian-fuzz/corpus/$target"
mkdir -p "$corpus"
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run -s none --codegen-units 16 \
  --target-dir "${HUIBIAN_FUZZ_TARGET_DIR:-$PWD/fuzz/target}" \
  "$target" "$corpus" "fuzz/corpus/$target" -- \
  -runs="$runs" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=4096 -dict="fuzz/dict/$target.dict" -print_final_stats=1
