#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fuzz.sh - build the libFuzzer harnesses of tests/fuzz/ and run each for a given time.
#
#   tools/fuzz.sh SECONDS [NAME...]     e.g. tools/fuzz.sh 600
#                                            tools/fuzz.sh 60 score config
#                                            tools/fuzz.sh 300 store batch_stream
#
# NAME is a harness without its prefix (score for tests/fuzz/fuzz_score.c); default:
# every harness, one after the other (the fuzzers are single-process: run them
# sequentially on a shared machine). Documented in docs/fuzzing.md.
#
# Build: Debian's clang (CC=clang CXX=clang++) into build-fuzz with
# -DIDR_BUILD_FUZZERS=ON -DIDR_SANITIZE=address,undefined.
# Each run: libFuzzer on a scratch copy of tests/fuzz/corpus/NAME with the harness's
# dictionary (tests/fuzz/NAME.dict), -timeout=FUZZ_TIMEOUT (default 10 s: a hang; a
# slow input is caught by the 100 ms slow-unit check below, re-timed, so a loaded
# machine cannot stop a run with a false timeout), -rss_limit_mb=2048 (an
# out-of-memory) and -print_final_stats=1; the committed corpus is never written to
# unless FUZZ_MERGE=1, which merges the coverage-increasing inputs back into it with
# -merge=1. Inputs slower than FUZZ_SLOW_MS (default 100) are reported as slow units:
# libFuzzer's -report_slow_units takes whole seconds, so the script runs it with 0 (each
# new slowest input is saved) and re-times those inputs itself.
#
# Prints one line per harness: execs, execs/s, coverage (cov: edges and ft: features
# from libFuzzer's last status line), the corpus size, and every crash, leak, timeout,
# oom or slow-unit artifact. Exits 1 when any crash, leak, timeout or oom was found.
#
# Environment: FUZZ_BUILD (build-fuzz), FUZZ_OUT (FUZZ_BUILD/fuzz-runs/DATE: logs,
# scratch corpora, artifacts), FUZZ_MERGE, FUZZ_SLOW_MS, FUZZ_TIMEOUT, FUZZ_NO_BUILD=1 (use the
# binaries as built), IDRISK_TEST_DATA_DIR or IDRISK_DATA_DIR (fetched data for the
# score and batch_stream harnesses; default MaxMind's test databases). Extra libFuzzer
# flags: FUZZ_FLAGS.
# The batch_stream harness writes a SQLite store in a fresh /tmp/idrisk-fuzz-store-*
# directory, removed when it exits.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ $# -lt 1 ] || ! [ "$1" -gt 0 ] 2>/dev/null; then
    sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
SECONDS_EACH=$1
shift
if [ $# -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.c; do
        name=${src#tests/fuzz/fuzz_}
        set -- "$@" "${name%.c}"
    done
fi
for name in "$@"; do
    if [ ! -f "tests/fuzz/fuzz_$name.c" ]; then
        echo "fuzz.sh: no harness tests/fuzz/fuzz_$name.c" >&2
        exit 2
    fi
done

BUILD=${FUZZ_BUILD:-build-fuzz}
OUT=${FUZZ_OUT:-$BUILD/fuzz-runs/$(date +%Y%m%d-%H%M%S)}
SLOW_MS=${FUZZ_SLOW_MS:-100}
TIMEOUT=${FUZZ_TIMEOUT:-10}
mkdir -p "$OUT"

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
    CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DIDR_BUILD_FUZZERS=ON \
        -DIDR_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DIDR_BUILD_TESTS=OFF -DIDR_BUILD_BENCH=OFF -DIDR_BUILD_EXAMPLES=OFF \
        >"$OUT/configure.log" 2>&1 || {
        cat "$OUT/configure.log" >&2
        exit 1
    }
    targets=""
    for name in "$@"; do targets="$targets fuzz_$name"; done
    # shellcheck disable=SC2086
    cmake --build "$BUILD" -j2 --target $targets >"$OUT/build.log" 2>&1 || {
        tail -40 "$OUT/build.log" >&2
        exit 1
    }
fi

# libmaxminddb 1.7 leaks on some corrupt files (docs/geo.md); nothing of idrisk's.
export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan-libmaxminddb.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

status=0
summary="$OUT/summary.txt"
printf '%-14s %5s %10s %8s %6s %7s %7s  %s\n' harness secs execs exec/s cov ft corpus \
    artifacts >"$summary"
for name in "$@"; do
    bin="$BUILD/tests/fuzz/fuzz_$name"
    dir="$OUT/$name"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    if [ -d "tests/fuzz/corpus/$name" ]; then
        cp -R "tests/fuzz/corpus/$name/." "$dir/corpus/"
    fi
    dict=""
    if [ -f "tests/fuzz/$name.dict" ]; then
        dict="-dict=tests/fuzz/$name.dict"
    fi
    echo "== fuzz_$name for ${SECONDS_EACH}s (log: $dir/log)" >&2
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
        -report_slow_units=0 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
        $dict ${FUZZ_FLAGS:-} "$dir/corpus" >"$dir/log" 2>&1 || true

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
    ncorp=$(find "$dir/corpus" -type f | wc -l)

    # slow-unit-* are each new slowest input, however fast: keep those over SLOW_MS
    for f in "$dir"/artifacts/slow-unit-*; do
        [ -f "$f" ] || continue
        # libFuzzer prints the total of -runs=N runs, and the first run of a process may
        # initialise libraries: (3 runs - 1 run) / 2 is the time of a warm run
        t1=$("$bin" -runs=1 "$f" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
        t3=$("$bin" -runs=3 "$f" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
        ms=""
        if [ -n "$t1" ] && [ -n "$t3" ]; then
            ms=$(((t3 - t1) / 2))
        fi
        if [ -n "$ms" ] && [ "$ms" -gt "$SLOW_MS" ]; then
            mv "$f" "$f-${ms}ms"
        else
            rm -f "$f"
        fi
    done
    found=""
    for f in "$dir"/artifacts/*; do
        [ -f "$f" ] || continue
        found="$found ${f##*/}"
        case ${f##*/} in
        crash-* | leak-* | timeout-* | oom-*) status=1 ;;
        esac
    done
    if [ "${FUZZ_MERGE:-0}" = 1 ] && [ -d "tests/fuzz/corpus/$name" ]; then
        "$bin" -merge=1 -timeout="$TIMEOUT" -rss_limit_mb=2048 "tests/fuzz/corpus/$name" \
            "$dir/corpus" >"$dir/merge.log" 2>&1 || echo "fuzz.sh: merge of $name failed" >&2
    fi
    printf '%-14s %5s %10s %8s %6s %7s %7s  %s\n' "$name" "$SECONDS_EACH" \
        "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$ncorp" \
        "${found:- none}" >>"$summary"
done
cat "$summary"
echo "artifacts and logs: $OUT" >&2
exit $status
