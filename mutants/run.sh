#!/usr/bin/env bash
# mutants/run.sh — the seeded-defect mutation suite (`make mutants`).
#
# For every mutants/patches/NAME.patch: take a copy of the repository made
# once at the start (working tree, without .git), restore its pristine event/,
# apply the patch, and run each suite against the copy:
#
#   unit      go test -race -count=1 ./event/...
#   proptest  go test -race -count=1 ./model/... ./proptest/...
#   stress    go test -race -count=1 ./stress/...
#   TLC       spec/mutants/NAME.cfg and NAME.*.cfg (the spec mutants of the
#             same name) model-checked by TLC: killed when TLC reports the
#             violation that the configuration's "\* expect:" header names
#   trace     spec/trace.sh on the mutated copy, for a mutant that patches a
#             file of an engine listed in spec/trace-engines.txt ("-" for
#             the others): killed when TLC rejects one of the traces of the
#             engine's seeded runs ("driver failed" when the driver's test
#             failed and every trace it wrote was accepted)
#
# A suite first runs once on the unmutated copy (the baseline row). A suite
# with no test package yet shows "-"; one whose baseline hangs or fails twice is
# skipped ("broken"), since it could not tell a mutant from the original.
# Each Go suite gets a timeout of max(MUTANT_MIN_TIMEOUT, 4 x its baseline
# time); a suite that hits it counts as killed, marked "hang".
#
# Prints the table, writes it to mutants/REPORT.md (full runs only) and
# exits non-zero if a mutant survives every suite, a patch does not apply,
# or a mutated copy does not build.
#
# `bash mutants/run.sh check` only applies each patch to a fresh copy of
# event/ and runs go build and go vet on it (a minute): run it after changing
# event/, and refresh a patch that no longer applies by making the same edit
# in a copy of the new event/ and taking `diff -u` of it (paths a/event/...,
# b/event/...; the first line of the file says what the defect is).
#
# Environment:
#   MUTANTS="a b"          run only these mutants (no REPORT.md update)
#   MUTANT_MIN_TIMEOUT=60  lower bound of the per-suite timeout, seconds
#   MUTANT_BASELINE_TIMEOUT=300  timeout of a baseline suite run, seconds
#   MUTANT_TLC=0           skip the TLC column
#   MUTANT_TRACE=0         skip the trace column
#   MUTANT_KEEP=1          keep the temporary copy (its path is printed)
# Logs of every suite run go to mutants/work/logs/ (ignored by git).
set -uo pipefail

# The whole script is one function, read by bash before it runs: editing this
# file during a run cannot change the run.
main() {
mode=${1:-run}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=copytree.sh
. "$here/copytree.sh"
min_timeout=${MUTANT_MIN_TIMEOUT:-60}
base_timeout=${MUTANT_BASELINE_TIMEOUT:-300}
start_all=$(date +%s)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eventspec-mutants.XXXXXX")
# Logs are private to this run and replace mutants/work/logs when it ends, so
# two runs at once do not mix their logs.
logs="$tmp/logs"
shown="mutants/work/logs"
mkdir -p "$logs"
child=""
cleanup() {
	if [[ -n $child ]]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	if [[ $mode != check ]]; then
		rm -rf "$here/work/logs"
		mkdir -p "$here/work"
		cp -r "$logs" "$here/work/logs"
	fi
	if [[ "${MUTANT_KEEP:-0}" == 1 ]]; then
		echo "kept copy: $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# The copy: the working tree as it is now, so suites that other people are
# still writing are included; TLC state and scratch directories are left out.
work="$tmp/repo"
copy_tree "$root" "$work"
cp -r "$work/event" "$tmp/event.orig"

suites=(unit proptest stress)
declare -A pkgs=(
	[unit]="./event/..."
	[proptest]="./model/... ./proptest/..."
	[stress]="./stress/..."
)

# present SUITE: the suite's test packages in the copy, if any.
present() {
	(cd "$work" && go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' \
		${pkgs[$1]} 2>/dev/null) | grep -q .
}

# The spec mutants are spec/mutants/NAME.cfg and NAME.VARIANT.cfg, each with
# the headers "\* module: MODULE" and "\* expect: EXITCODE [PROPERTY]".
# spec/tlc.sh of the copy checks them (`tlc.sh mutants NAME`) exactly as
# `make tlc` does, with the jar that the repository's `spec/tlc.sh --jar`
# names (its lookup of ../shared/tla is relative to the project root; it
# downloads nothing).
# The jar is looked up even with MUTANT_TLC=0: the trace column needs it.
tlc_jar=""
tlc_on=0
tlc_setup() {
	command -v java >/dev/null || return 1
	tlc_jar=$(bash "$root/spec/tlc.sh" --jar) || { tlc_jar=""; return 1; }
	[[ "${MUTANT_TLC:-1}" == 1 && -d "$work/spec/mutants" ]] || return 1
	tlc_on=1
}
# tlc_cfgs NAME: the spec mutant configurations of mutant NAME.
tlc_cfgs() {
	[[ $tlc_on == 1 ]] || return 0
	(cd "$work/spec/mutants" && ls -1 "$1.cfg" "$1".*.cfg 2>/dev/null)
}

# in_copy LOG COMMAND...: runs COMMAND in the copy, in the background so that
# cleanup can stop it, with its output in LOG; sets rc and secs.
in_copy() {
	local log=$1 s e; shift
	s=$(date +%s.%N)
	(cd "$work" && exec "$@") >"$log" 2>&1 </dev/null &
	child=$!
	wait "$child"
	rc=$?
	child=""
	e=$(date +%s.%N)
	secs=$(awk -v a="$s" -v b="$e" 'BEGIN{printf "%.1f", b-a}')
}

# The trace column: spec/trace.sh in the copy, with the jar TLC uses, for the
# engines (spec/trace-engines.txt) whose files the patch touches.
trace_ok=0
# trace_engines PATCH: the engines whose go-files the patch changes.
trace_engines() {
	[[ $trace_ok == 1 ]] || return 0
	local f
	for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$1"); do
		awk -v f="$f" '!/^#/ && NF >= 4 { for (i = 4; i <= NF; i++) if ($i == f) print $1 }' \
			"$work/spec/trace-engines.txt"
	done | sort -u | tr '\n' ' '
}
# run_trace TAG ENGINES...: sets cell, trace_rc (spec/trace.sh's exit code).
run_trace() {
	local tag=$1; shift
	in_copy "$logs/$tag.trace.log" env TLA2TOOLS_JAR="$tlc_jar" TRACE_JARS="" TRACE_GO_TIMEOUT=120s \
		timeout -k 10 600 bash spec/trace.sh "$@"
	trace_rc=$rc
	case $trace_rc in
	0) cell="survived ${secs}s" ;;
	1) cell="killed ${secs}s" ;;
	3) cell="driver failed ${secs}s" ;;
	*) cell="error (exit $trace_rc) ${secs}s" ;;
	esac
}

# run_go SUITE TAG TIMEOUT: runs the suite in the copy; sets verdict, secs.
# verdict: pass | fail | hang | builderr
run_go() {
	local suite=$1 t=$3 log="$logs/$2.$1.log"
	# shellcheck disable=SC2086
	in_copy "$log" timeout -k 10 $((t + 60)) go test -race -count=1 -timeout "${t}s" ${pkgs[$suite]}
	if [[ $rc == 0 ]]; then
		verdict=pass
	elif grep -qE '\[(build|setup) failed\]|^# ' "$log" && ! grep -qE '^(--- FAIL|FAIL	)' "$log"; then
		verdict=builderr
	elif [[ $rc == 124 || $rc == 137 ]] || grep -q 'panic: test timed out' "$log"; then
		verdict=hang
	else
		verdict=fail
	fi
}

# run_tlc NAME: spec/tlc.sh on every spec mutant configuration of NAME;
# sets cell ("killed", "survived", or "error" with counts) and tlc_killed (1
# when every configuration reported its expected violation).
run_tlc() {
	local name=$1 log="$logs/$1.tlc.log" n k sv
	in_copy "$log" env TLA2TOOLS_JAR="$tlc_jar" TLC_TIMEOUT="${MUTANT_TLC_TIMEOUT:-600}" \
		bash spec/tlc.sh mutants "$name"
	# tlc.sh prints one row per configuration: CONFIG EXPECTED GOT SECONDS
	# RESULT; RESULT "ok" is a kill, GOT 0 a survival, anything else an error.
	read -r n k sv < <(awk -v m="$name" '($1 == m || index($1, m ".") == 1) && NF >= 5 {
		n++; if ($5 == "ok") k++; else if ($3 == "0") sv++ } END { print n + 0, k + 0, sv + 0 }' "$log")
	local of=""
	[[ $n -gt 1 ]] && of=" $k/$n"
	tlc_killed=0
	if [[ $n -gt 0 && $k == "$n" ]]; then
		cell="killed$of ${secs}s"
		tlc_killed=1
	elif [[ $n -gt 0 && $sv == $((n - k)) ]]; then
		cell="survived$of ${secs}s"
	else
		cell="error (killed $k, survived $sv, error $((n - k - sv)) of $n) ${secs}s"
	fi
}

# first_fail LOG: the first failing test or panic of a log, for the details.
first_fail() {
	local f
	f=$(grep -m1 -oE -- '--- FAIL: [^ ]+' "$1" | sed 's/--- FAIL: //')
	if [[ -z "$f" ]]; then
		f=$(grep -m1 -oE 'panic: .{0,70}|fatal error: .{0,60}|WARNING: DATA RACE' "$1")
	fi
	if grep -q 'panic: test timed out' "$1"; then
		local r
		r=$(grep -m1 -A3 'running tests:' "$1" | sed -n 2p | awk '{print $1}')
		f="timeout${r:+ in $r}"
	fi
	if grep -q 'WARNING: DATA RACE' "$1" && [[ "$f" != *RACE* ]]; then
		f="$f (data race)"
	fi
	printf '%s' "${f:-?}"
}

restore_event() {
	rm -rf "$work/event"
	cp -r "$tmp/event.orig" "$work/event"
}

if [[ $mode == check ]]; then
	local failed=0 p n
	for p in "$here"/patches/*.patch; do
		n=$(basename "$p" .patch)
		restore_event
		if ! patch -p1 -s -f --no-backup-if-mismatch -d "$work" <"$p" >"$logs/$n.patch.log" 2>&1; then
			echo "$n: patch does not apply:"; sed 's/^/    /' "$logs/$n.patch.log"; failed=1; continue
		fi
		if ! (cd "$work" && go build ./event/ && go vet ./event/) >"$logs/$n.build.log" 2>&1; then
			echo "$n: does not build or vet:"; sed 's/^/    /' "$logs/$n.build.log"; failed=1; continue
		fi
		echo "$n: ok"
	done
	return $failed
fi

# ---- baseline ----
declare -A base_state timeout_of
echo "== baseline (unmutated copy)"
for s in "${suites[@]}"; do
	if ! present "$s"; then
		base_state[$s]=absent
		echo "   $s: no test package"
		continue
	fi
	run_go "$s" baseline "$base_timeout"
	blog=baseline
	if [[ $verdict == fail ]]; then
		echo "   $s: baseline failed ($secs s), retrying once"
		run_go "$s" baseline-retry "$base_timeout"
		blog=baseline-retry
	fi
	if [[ $verdict != pass ]]; then
		base_state[$s]=broken
		echo "   $s: baseline $verdict ($secs s): suite skipped, see $(first_fail "$logs/$blog.$s.log") in $shown/$blog.$s.log"
		continue
	fi
	base_state[$s]=ok
	t=$(awk -v x="$secs" -v m="$min_timeout" 'BEGIN{t=int(4*x)+1; if (t<m) t=m; print t}')
	timeout_of[$s]=$t
	echo "   $s: pass in $secs s; mutant timeout ${t}s"
done
if tlc_setup; then
	echo "   TLC: spec mutants: $(cd "$work/spec/mutants" && ls -1 *.cfg | sed 's/\.cfg$//' | tr '\n' ' ')"
	tlc_col="TLC"
else
	echo "   TLC: n/a (MUTANT_TLC=0, or no spec/mutants, java or tla2tools.jar)"
	tlc_col="TLC (n/a)"
fi
trace_col="trace (n/a)"
if [[ "${MUTANT_TRACE:-1}" == 1 && -n $tlc_jar && -f "$work/spec/trace.sh" ]]; then
	trace_ok=1
	run_trace baseline $(awk '!/^#/ && NF >= 4 { print $1 }' "$work/spec/trace-engines.txt")
	if [[ $trace_rc == 0 ]]; then
		echo "   trace: baseline accepted in $secs s"
		trace_col="trace"
	else
		trace_ok=0
		echo "   trace: baseline $cell: column skipped, see $shown/baseline.trace.log"
		trace_col="trace (broken)"
	fi
fi

# ---- mutants ----
mapfile -t all < <(cd "$here/patches" && ls -1 *.patch | sed 's/\.patch$//')
if [[ -n "${MUTANTS:-}" ]]; then
	read -ra all <<<"$MUTANTS"
fi

rows=()
details=()
total=0 killed_any=0 killed_ps=0 bad=0 survivors=()
declare -A kills=([unit]=0 [proptest]=0 [stress]=0 [TLC]=0 [trace]=0)
for name in "${all[@]}"; do
	patch="$here/patches/$name.patch"
	[[ -f $patch ]] || { echo "no such mutant: $name" >&2; exit 2; }
	total=$((total + 1))
	echo "== $name"
	restore_event
	m_start=$(date +%s)
	if ! patch -p1 -s -f --no-backup-if-mismatch -d "$work" <"$patch" >"$logs/$name.patch.log" 2>&1; then
		rows+=("| $name | patch failed | | | | | |")
		bad=1
		echo "   patch does not apply (see $shown/$name.patch.log)"
		continue
	fi
	if ! (cd "$work" && go build ./event/) >"$logs/$name.build.log" 2>&1; then
		rows+=("| $name | does not build | | | | | |")
		bad=1
		echo "   does not build (see $shown/$name.build.log)"
		continue
	fi
	row="| $name |"
	det="" spec=""
	any=0 ps=0
	for s in "${suites[@]}"; do
		case ${base_state[$s]} in
		absent) row+=" - |"; continue ;;
		broken) row+=" broken |"; continue ;;
		esac
		run_go "$s" "$name" "${timeout_of[$s]}"
		case $verdict in
		pass) cell="survived ${secs}s" ;;
		fail) cell="killed ${secs}s" ;;
		hang) cell="killed (hang) ${secs}s" ;;
		builderr) cell="build error ${secs}s"; bad=1 ;;
		esac
		echo "   $s: $cell"
		row+=" $cell |"
		if [[ $verdict == fail || $verdict == hang ]]; then
			any=1
			kills[$s]=$((kills[$s] + 1))
			[[ $s == proptest || $s == stress ]] && ps=1
			det+="${det:+; }$s: $(first_fail "$logs/$name.$s.log")"
		fi
	done
	if [[ -n "$(tlc_cfgs "$name")" ]]; then
		run_tlc "$name"
		if [[ $tlc_killed == 1 ]]; then
			any=1
			kills[TLC]=$((kills[TLC] + 1))
		fi
		echo "   TLC: $cell"
		row+=" $cell |"
		for c in $(tlc_cfgs "$name"); do
			spec+=" Spec mutant ${c%.cfg}: $(sed -n '/^\\\* /!q; s/^\\\* //; /^\(module\|expect\):/!p' "$work/spec/mutants/$c" | tr '\n' ' ' | sed 's/ *$//')"
		done
	else
		row+=" - |"
	fi
	engines=$(trace_engines "$patch" | sed 's/ *$//')
	if [[ -n $engines ]]; then
		# shellcheck disable=SC2086
		run_trace "$name" $engines
		echo "   trace ($engines): $cell"
		row+=" $cell |"
		if [[ $trace_rc == 1 ]]; then
			any=1
			kills[trace]=$((kills[trace] + 1))
			det+="${det:+; }trace: $(grep -m1 -E '^    trace file: ' "$logs/$name.trace.log" | sed 's|.*/||'), $(grep -m1 -A1 'first unmatched event' "$logs/$name.trace.log" | sed -n 's/^ *first unmatched event: \([0-9]* of [0-9]*\).*/event \1/p; s/^ *| *\(.*\), *\\\* [0-9]*$/\1/p; s/^ *| *\(.*\) *\\\* [0-9]*$/\1/p' | tr '\n' ' ' | sed 's/ $//') unmatched"
		fi
	else
		row+=" - |"
	fi
	m_secs=$(($(date +%s) - m_start))
	row+=" ${m_secs}s |"
	rows+=("$row")
	details+=("- **$name** — $(sed -n '1s/^Mutant [^:]*: //p' "$patch")${det:+ Killed by $det.}$spec")
	[[ $any == 1 ]] && killed_any=$((killed_any + 1)) || survivors+=("$name")
	[[ $ps == 1 ]] && killed_ps=$((killed_ps + 1))
done

total_secs=$(($(date +%s) - start_all))
pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b==0) print "n/a"; else printf "%.0f%%", 100*a/b }'; }

header="| mutant | unit | proptest | stress | $tlc_col | $trace_col | time |"
sep="|---|---|---|---|---|---|---|"
table=$(printf '%s\n%s\n' "$header" "$sep"; printf '%s\n' "${rows[@]}")
totals="Killed by at least one suite: $killed_any/$total. Killed by proptest or stress: $killed_ps/$total ($(pct "$killed_ps" "$total")). Per suite: unit ${kills[unit]}, proptest ${kills[proptest]}, stress ${kills[stress]}, TLC ${kills[TLC]}, trace ${kills[trace]}. Total time of the run: ${total_secs}s."
[[ ${#survivors[@]} -gt 0 ]] && totals+=" Survived every suite: ${survivors[*]}."

echo
echo "$table"
echo
echo "$totals"

base_line="Baseline:"
for s in "${suites[@]}"; do
	case ${base_state[$s]} in
	absent) base_line+=" $s absent;" ;;
	broken) base_line+=" $s broken (baseline failed, skipped);" ;;
	ok) base_line+=" $s timeout ${timeout_of[$s]}s;" ;;
	esac
done
echo "$base_line"

if [[ -z "${MUTANTS:-}" ]]; then
	commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=""
	[[ -n "$(git -C "$root" status --porcelain -- event model proptest stress spec 2>/dev/null)" ]] &&
		dirty=" plus uncommitted changes in the suites"
	section=$(
		echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'), $(go version | awk '{print $3, $4}'), $(nproc) cores, commit $commit$dirty."
		echo
		echo "$table"
		echo
		echo "$totals"
		echo
		echo "$base_line"
		echo
		echo "What each mutant does, and the first failing test of each suite that killed it:"
		echo
		printf '%s\n' "${details[@]}"
	)
	bash "$here/section.sh" "$here/REPORT.md" mutants "$section"
	echo "wrote mutants/REPORT.md"
fi

if [[ ${#survivors[@]} -gt 0 || $bad != 0 ]]; then
	exit 1
fi
}

main "$@"
exit $?
