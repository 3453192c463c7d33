#!/usr/bin/env bash
# Runs the side-by-side benchmarks (eventspec, go-ethereum, floor), prints the
# benchstat comparison and the ratio tables with the target checks of README.md.
#
# Environment:
#   BENCH_COUNT   samples per benchmark (default 6): the test binary is run
#                 this many times, every run measuring every selected
#                 benchmark once, so that the three implementations of a
#                 scenario are measured side by side in every run and load
#                 drift on a shared machine hits all three alike.
#   BENCH_FILTER  -bench regexp (default .)
#   BENCH_TIME    -benchtime per benchmark (default 200ms)
#   BENCH_CPU     one GOMAXPROCS value for -test.cpu (default: the number of
#                 CPUs); one value only, since the ratio table ignores the
#                 -N suffix of benchmark names
#   BENCH_OUT     directory for bench.test and raw.txt (default:
#                 results/<UTC time>, ignored by git)
set -euo pipefail
cd "$(dirname "$0")"

count=${BENCH_COUNT:-6}
filter=${BENCH_FILTER:-.}
btime=${BENCH_TIME:-200ms}
cpuflag=()
if [ -n "${BENCH_CPU:-}" ]; then
	case $BENCH_CPU in
	*[!0-9]* | 0*)
		echo "BENCH_CPU must be one positive number, got '$BENCH_CPU'" >&2
		exit 2
		;;
	esac
	cpuflag=(-test.cpu "$BENCH_CPU")
fi
out=${BENCH_OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
raw=$out/raw.txt
: >"$raw"

cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "CPU: ${cpu:-unknown}, $(nproc) logical CPUs"
go version
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "BENCH_COUNT=$count BENCH_FILTER=$filter BENCH_TIME=$btime BENCH_CPU=${BENCH_CPU:-} raw=$raw"

go test -c -o "$out/bench.test" .
for i in $(seq 1 "$count"); do
	echo "run $i/$count" >&2
	"$out/bench.test" -test.run '^$' -test.bench "$filter" -test.benchtime "$btime" \
		-test.benchmem -test.timeout 30m "${cpuflag[@]}" | tee -a "$raw" | grep -E '^(FAIL|panic|---)' >&2 || true
done
if grep -q '^FAIL' "$raw"; then
	echo "benchmarks failed, see $raw" >&2
	exit 1
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## benchstat (columns: impl)"
go tool benchstat -col /impl "$raw"
echo
echo "## ratios (medians)"
echo "CPU: ${cpu:-unknown}, $(nproc) logical CPUs; $(go version | cut -d' ' -f3-)"
echo
go run ./cmd/benchratio "$raw"
