#!/usr/bin/env bash
# tools/verify.sh — `make verify`, and with --ci the body of .ci/run: every
# check below, then one summary table.  Every step runs even when an earlier
# one failed; the exit status is 1 when any step failed.
#
#   TLC             make tlc with the jar spec/tlc.sh finds (v1.8.0 from
#                   ../shared/tla on the project's machines).  Without Java or
#                   a jar: a SKIP line, except under CI=true, where the run
#                   stops at once with one FAIL line saying what to do.
#   TLC v1.7.4      make tlc-compat, when spec/tlc.sh finds the v1.7.4 jar
#                   (else a SKIP row, also under CI=true).
#   trace           make trace (spec/trace.sh: seeded runs of the engines
#                   replayed by TLC), when TLC is there.
#   staticcheck     make lint (the main module and bench/).
#   gofmt, go vet   make fmt-check, make vet.
#   go test         make gotest with GOTEST_FLAGS plus -json, piped through
#                   internal/testreport, which prints what plain go test
#                   prints (ok/FAIL per package, failing tests' output).
#   --ci only:      make apicheck (go-ethereum drop-in check, bench/) and
#                   make bench-smoke.
#
# The table is built from tab-separated lines that the steps append to the
# file named by $VERIFY_SUMMARY (spec/tlc.sh gets the same file as
# $TLC_SUMMARY):
#   tlc VERSION CONFIG DISTINCT DEPTH SECONDS ok|FAIL       (spec/tlc.sh)
#   mutants VERSION REJECTED TOTAL SECONDS                 (spec/tlc.sh)
#   gotest PKG RUN PASSED FAILED SKIPPED SUBTESTS SECONDS RESULT (testreport)
#   stress PKG TEST OPS OPS_PER_SECOND                     (testreport)
#   trace NAME ok|FAIL DETAIL                              (a trace checker)
#   step NAME ok|FAIL|SKIP DETAIL                          (this script)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

ci=0
[ "${1:-}" = --ci ] && ci=1
strict=0
[ "${CI:-}" = true ] && strict=1
MAKE=${MAKE:-make}
mk() { "$MAKE" --no-print-directory "$@"; }

summary=$(mktemp "${TMPDIR:-/tmp}/eventspec-verify.XXXXXX") || exit 2
log=$(mktemp "${TMPDIR:-/tmp}/eventspec-verify-log.XXXXXX") || exit 2
trap 'rm -f "$summary" "$log"' EXIT
export VERIFY_SUMMARY=$summary TLC_SUMMARY=$summary
status=0
start=$(date +%s)

row() {
	local IFS=$'\t'
	echo "$*" >>"$summary"
}

# run TITLE CMD...: run CMD with its output shown and kept in $log; sets rc
# and secs.
run() {
	local t0
	echo
	echo "== $1: ${*:2}"
	t0=$(date +%s)
	"${@:2}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - t0))
}

# record NAME DETAIL_IF_OK DETAIL_IF_FAILED: a step row from $rc.
record() {
	if [ "$rc" = 0 ]; then
		row step "$1" ok "$2"
	else
		row step "$1" FAIL "$3"
		status=1
	fi
}

# step NAME CMD...: run and record with the seconds taken.
step() {
	run "$@"
	record "$1" "$secs s" "exit status $rc, $secs s"
}

go version
if command -v java >/dev/null 2>&1; then
	java -version 2>&1 | head -n 1
else
	echo "java: not installed"
fi

# TLC, the v1.8.0 jar (or whichever spec/tlc.sh finds first).
tlc_ready=0
if reason=$(bash spec/tlc.sh --ready); then
	tlc_ready=1
	step "make tlc" mk tlc
else
	if [ "$strict" = 1 ]; then
		echo "FAIL: TLC is required when CI=true: $reason"
		exit 1
	fi
	echo "SKIP: TLC ($reason)"
	row step "make tlc" SKIP "${reason%%:*}"
fi

# TLC, the v1.7.4 jar, when present and not the jar above.
if [ "$tlc_ready" = 1 ] && cjar=$(bash spec/tlc.sh --compat-jar); then
	if pjar=$(bash spec/tlc.sh --jar) && cmp -s "$pjar" "$cjar"; then
		echo
		echo "SKIP: TLC v1.7.4 (the jar above is the v1.7.4 one)"
	else
		step "make tlc-compat" mk tlc-compat
	fi
else
	echo
	echo "SKIP: TLC v1.7.4 (no Java or no v1.7.4 jar: see TLA2TOOLS_JAR_COMPAT in spec/tlc.sh)"
	row step "make tlc-compat" SKIP "no Java or no v1.7.4 jar (TLA2TOOLS_JAR_COMPAT)"
fi

# Trace validation: seeded runs of the engines replayed by TLC (spec/trace.sh).
if [ "$tlc_ready" = 1 ]; then
	step "make trace" mk trace
else
	row step "make trace" SKIP "no TLC (see TLA2TOOLS_JAR in spec/tlc.sh)"
fi

run "staticcheck" mk lint
sc=$(sed -n 's/^\(staticcheck [0-9][^ ]*\) .*/\1/p' "$log" | head -n 1)
record "${sc:-staticcheck}" "no findings, $secs s" \
	"$(grep -cE '[.]go:[0-9]+:[0-9]+: .* [(][A-Z]+[0-9]+[)]$' "$log") findings (or exit status $rc)"
step "gofmt" mk fmt-check
step "go vet" mk vet

echo
echo "== go test: make gotest, go test ${GOTEST_FLAGS:=-race -count=1 -timeout 15m} -json ./..."
t0=$(date +%s)
# make fmt-check, make vet (above) and make gotest are `make test`, one row each.
"$MAKE" -s --no-print-directory gotest GOTEST_FLAGS="$GOTEST_FLAGS -json" | go run ./internal/testreport -summary "$summary"
rc=$?
if [ "$rc" != 0 ]; then
	row step "go test" FAIL "exit status $rc, $(($(date +%s) - t0)) s"
	status=1
fi

if [ "$ci" = 1 ]; then
	run "go-ethereum API" mk apicheck
	ver=$(sed -n 's/.*upstream: github.com\/ethereum\/go-ethereum\/event \(v[^ ]*\).*/\1/p' "$log" | head -n 1)
	counts=$(sed -n 's/.*apicheck_test.go:[0-9]*: \([0-9]* upstream identifiers identical here.*\)/\1/p' "$log" | tail -n 1)
	only=$(sed -n 's/.*only in eventspec: [a-z]* \([^:]*\):.*/\1/p' "$log" | tr '\n' ' ' | sed 's/ $//')
	record "go-ethereum ${ver:-?} API" "${counts:-?}${only:+; only here: $only}" "${counts:-exit status $rc}"
	step "bench smoke" mk bench-smoke
fi

echo
echo "== summary ($(($(date +%s) - start)) s)"
awk -F'\t' '
# Rows are printed by section: TLC, trace checks, static checks, go test,
# stress, then the CI-only steps.
function section(check) {
	if (check ~ /^(TLC|make tlc)/) return 1
	if (check ~ /^trace/) return 2
	if (check ~ /^(staticcheck|gofmt|go vet)/) return 3
	if (check ~ /^go test/) return 4
	if (check ~ /^stress/) return 5
	return 6
}
function add(check, result, detail) {
	n++; C[n] = check; R[n] = result; D[n] = detail; SEC[n] = section(check)
}
# TLC: one row per configuration, each version it ran with side by side.
$1 == "tlc" {
	if (!(($3) in T)) { add("TLC " $3, "ok", ""); T[$3] = n }
	i = T[$3]
	if ($7 != "ok") R[i] = "FAIL"
	k = ++nv[i]; V[i, k] = $2; DS[i, k] = $4; DP[i, k] = $5; T_S[i, k] = $6
	next
}
$1 == "mutants" {
	if (!("mutants" in T)) { add("TLC spec mutants", "ok", ""); T["mutants"] = n }
	i = T["mutants"]
	if ($3 != $4) R[i] = "FAIL"
	D[i] = D[i] (D[i] == "" ? "" : ", ") $3 "/" $4 " rejected (" $2 ", " $5 " s)"
	next
}
$1 == "trace" { add("trace check " $2, $3, $4); traced = 1; next }
$1 == "gotest" {
	pkg = $2; sub(/^github.com\/eventspec\/eventspec\//, "", pkg)
	if ($9 == "SKIP" && $3 == 0) { add("go test " pkg, "-", "no test files"); next }
	d = $4 "/" $3 " tests passed"
	if ($7 > 0) d = d " (+" $7 " subtests)"
	if ($5 > 0) d = d ", " $5 " failed"
	if ($6 > 0) d = d ", " $6 " skipped"
	add("go test " pkg, $9, d ", " $8 " s")
	next
}
$1 == "stress" { add("stress " $3, "-", $4 " ops, " $5 " ops/s"); ops += $4; runs++; next }
$1 == "step" { add($2, $3, $4); next }
END {
	# One distinct-state count for every version: one detail; the depth,
	# which TLC reports only approximately with several workers, may differ.
	for (i = 1; i <= n; i++) {
		if (!nv[i]) continue
		same = 1; depths = DP[i, 1]
		for (k = 2; k <= nv[i]; k++) {
			if (DS[i, k] != DS[i, 1]) same = 0
			if (index("/" depths "/", "/" DP[i, k] "/") == 0) depths = depths "/" DP[i, k]
		}
		if (same) {
			D[i] = DS[i, 1] " distinct states, depth " depths " ("
			for (k = 1; k <= nv[i]; k++) D[i] = D[i] (k > 1 ? ", " : "") V[i, k] " " T_S[i, k] " s"
			D[i] = D[i] ")"
		} else {
			for (k = 1; k <= nv[i]; k++)
				D[i] = D[i] (k > 1 ? "; " : "") V[i, k] ": " DS[i, k] " distinct states, depth " DP[i, k] ", " T_S[i, k] " s"
		}
	}
	if (!traced) {}
	if (runs > 0) add("stress (all)", "-", ops " ops in " runs " stress tests")
	w = 5
	for (i = 1; i <= n; i++) if (length(C[i]) > w) w = length(C[i])
	fmt = "%-" w "s  %-6s %s\n"
	printf fmt, "check", "result", "detail"
	for (sec = 1; sec <= 6; sec++)
		for (i = 1; i <= n; i++) {
			if (SEC[i] != sec) continue
			printf fmt, C[i], R[i], D[i]
			if (R[i] == "FAIL") failed = failed " [" C[i] "]"
		}
	if (failed != "") print "failed:" failed
}' "$summary"
if grep -q $'\tFAIL' "$summary"; then
	status=1
fi
if [ "$status" = 0 ]; then
	echo "verify: PASS"
else
	echo "verify: FAIL"
fi
exit "$status"
