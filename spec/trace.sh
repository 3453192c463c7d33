#!/usr/bin/env bash
# spec/trace.sh: trace validation. Runs the event package's engines, built
# with the tag eventtrace, through seeded scenarios (tracecheck/), writes
# each run's trace as a TLA+ module, and has TLC replay every trace inside
# the spec (spec/Trace<Engine>.tla). See spec/README.md, "Trace validation".
#
#   bash spec/trace.sh [ENGINE...]      the no-hooks check, then for each
#                                       engine of trace-engines.txt (default:
#                                       all) its seeds and the TLC check
#   bash spec/trace.sh --check DIR [ENGINE...]
#                                       only the TLC check, of the traces
#                                       already in DIR/ENGINE/*.tla
#   bash spec/trace.sh --no-hooks       only the no-hooks check: a normal
#                                       test binary of event/ has no trace
#                                       symbol, a tagged one has
#
# Environment:
#   TRACE_SEEDS=N      seeds per engine (default: the engine's line in
#                      trace-engines.txt); TRACE_SEED0=S the first (default 1)
#   TRACE_JARS="A B"   check with each of these tla2tools.jar files (default:
#                      the jar spec/tlc.sh --jar finds, and the v1.7.4 jar
#                      spec/tlc.sh --compat-jar finds, when there is one)
#   TRACE_DIR=DIR      keep the traces in DIR (default: a temporary directory,
#                      removed at the end unless a trace was rejected)
#   TRACE_GO_TIMEOUT   go test -timeout of the driver (default 300s)
#   TRACE_CHUNK=N      traces per TLC run (default: about 2500 events per
#                      run, at most 1000 traces; SANY v1.8.0's linter takes
#                      time quadratic in the records of a module)
#   TRACE_GO_FLAGS     go test flags of the driver (default -race: it also
#                      shuffles the scheduler, so runs interleave more
#                      ways; GOMAXPROCS=N in the environment varies them too)
#
# A trace set is accepted only when TLC exits with code 12 reporting the
# invariant TraceUnmatched violated: every event of every trace was matched
# by a step of the spec. Exit code 0 (the invariant held: some event matched
# no step) is a rejection; anything else is an error.
#
# Exit status: 0 every trace accepted; 1 a trace was rejected (or the
# no-hooks check failed); 2 setup or TLC error (no jar, no Java, no trace);
# 3 the driver failed (its test failed, panicked or hung) and every trace it
# wrote was accepted.
set -u

case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
root=$(cd "$here/.." && pwd)

die() { echo "spec/trace.sh: $*" >&2; exit 2; }

now() {
	local t; t=$(date +%s%N 2>/dev/null)
	case "$t" in ''|*[!0-9]*) echo "$(date +%s)000000000" ;; *) echo "$t" ;; esac
}
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# no_hooks: the hooks cost nothing in a normal build. The event package's
# trace code (names with "trace"/"Trace", tests aside) must be absent from a
# normal test binary and present in a tagged one (so the grep can see it).
no_hooks() {
	local tmp rc=0 pat='eventspec/event\.[^ ]*[tT]race'
	tmp=$(mktemp -d) || die "mktemp failed"
	if ! (cd "$root" && go test -c -o "$tmp/plain.test" ./event && go test -c -tags eventtrace -o "$tmp/tagged.test" ./event) >"$tmp/build.log" 2>&1; then
		echo "no-hooks: FAIL: cannot build the test binaries of event/"; sed 's/^/    | /' "$tmp/build.log"
		rm -rf "$tmp"; return 1
	fi
	local plain tagged
	plain=$(go tool nm "$tmp/plain.test" | grep -E "$pat" | grep -v 'event\.Test')
	tagged=$(go tool nm "$tmp/tagged.test" | grep -E "$pat" | grep -v 'event\.Test')
	if [ -n "$plain" ]; then
		echo "no-hooks: FAIL: a normal build of event/ has trace symbols:"; echo "$plain" | sed 's/^/    | /'; rc=1
	elif [ -z "$tagged" ]; then
		echo "no-hooks: FAIL: the tagged build has no trace symbol either: the check sees nothing"; rc=1
	else
		echo "no-hooks: ok: no trace symbol in a normal test binary of event/ ($(echo "$tagged" | wc -l | tr -d ' ') in the tagged one)"
	fi
	rm -rf "$tmp"
	return $rc
}

mode=run
case "${1:-}" in
--no-hooks) no_hooks; exit $? ;;
--check) [ $# -ge 2 ] || die "--check needs a directory"; mode=check; check_dir=$2; shift 2 ;;
--*) die "unknown option $1" ;;
esac

# The engines: trace-engines.txt, or those named.
declare -A spec_of seeds_of
engines=()
while read -r e s n _; do
	case "$e" in ''|'#'*) continue ;; esac
	spec_of[$e]=$s; seeds_of[$e]=$n; engines+=("$e")
done <"$here/trace-engines.txt"
if [ $# -gt 0 ]; then
	for e in "$@"; do [ -n "${spec_of[$e]:-}" ] || die "no engine $e in spec/trace-engines.txt"; done
	engines=("$@")
fi

# The jars.
if [ -n "${TRACE_JARS:-}" ]; then
	read -ra jars <<<"$TRACE_JARS"
else
	# spec/tlc.sh's lookup: the jar make tlc uses, then the v1.7.4 one when
	# there is one and it is another file, so traces are read by both.
	jar=$(bash "$here/tlc.sh" --jar) || die "no tla2tools.jar (set TLA2TOOLS_JAR or TRACE_JARS; see spec/tlc.sh)"
	jars=("$jar")
	if cjar=$(bash "$here/tlc.sh" --compat-jar 2>/dev/null) && ! cmp -s "$jar" "$cjar"; then
		jars+=("$cjar")
	fi
fi
for j in "${jars[@]}"; do [ -f "$j" ] || die "no tla2tools.jar at $j (set TLA2TOOLS_JAR or TRACE_JARS)"; done
command -v java >/dev/null 2>&1 || die "java not found: TLC needs a Java 11+ runtime"

work=$(mktemp -d) || die "mktemp failed"
keep=""
cleanup() {
	rm -rf "$work"
	if [ -z "${TRACE_DIR:-}" ] && [ "$mode" = run ] && [ -n "${trace_dir:-}" ]; then
		if [ -n "$keep" ]; then echo "traces kept in $trace_dir"; else rm -rf "$trace_dir"; fi
	fi
}
trap cleanup EXIT

status=0
driver_failed=0
if [ "$mode" = run ]; then
	no_hooks || status=1
	if (cd "$root" && go test -tags eventtrace -count=1 -run '^TestRecorder' ./tracecheck) >"$work/recorder.log" 2>&1; then
		echo "recorder: ok (tracecheck's tests of the recorder)"
	else
		echo "recorder: FAIL:"; tail -n 15 "$work/recorder.log" | sed 's/^/    | /'; status=2
	fi
	trace_dir=${TRACE_DIR:-$(mktemp -d)}
	mkdir -p "$trace_dir"
	for e in "${engines[@]}"; do
		n=${TRACE_SEEDS:-${seeds_of[$e]}}
		s0=${TRACE_SEED0:-1}
		rm -rf "${trace_dir:?}/$e"
		t0=$(now)
		# A seed whose run panics ends the test binary: the driver resumes
		# after it (up to 50 times; not after a timeout, a hang), so that
		# the later seeds still leave traces.
		s=$s0 end=$((s0 + n - 1)) resumes=0
		: >"$work/driver.$e.log"
		while :; do
			# shellcheck disable=SC2086
			(cd "$root" && go test -tags eventtrace -count=1 -v -timeout "${TRACE_GO_TIMEOUT:-300s}" ${TRACE_GO_FLAGS--race} \
				-run "^TestTrace$e\$" ./tracecheck -args -tracecheck.dir="$trace_dir" \
				-tracecheck.seeds="$((end - s + 1))" -tracecheck.seed0="$s") >"$work/driver.$e.run" 2>&1
			rc=$?
			cat "$work/driver.$e.run" >>"$work/driver.$e.log"
			[ $rc -eq 0 ] && break
			if [ $driver_failed -eq 0 ] || [ $resumes -eq 0 ]; then
				echo "$e: driver FAILED (go test exit $rc, seeds $s..$end):"
				grep -E -- '--- FAIL|panic:|fatal error|^FAIL|Error|error' "$work/driver.$e.run" | grep -v -E '^\s+record.go' | head -n 15 | sed 's/^/    | /'
			fi
			driver_failed=1
			last=$(grep -o "^=== RUN   TestTrace$e/seed=[0-9]*" "$work/driver.$e.run" | tail -n1 | sed 's/.*=//')
			if [ -z "$last" ] || [ "$last" -ge "$end" ] || [ $resumes -ge 50 ] || grep -q 'test timed out' "$work/driver.$e.run"; then
				break
			fi
			resumes=$((resumes + 1)) s=$((last + 1))
		done
		[ $resumes -gt 0 ] && echo "$e: the driver resumed $resumes time(s) after a seed that ended the test binary"
		echo "$e: driver ran seeds $s0..$end in $(secs_since "$t0")s"
	done
else
	trace_dir=$check_dir
fi

# check ENGINE JAR: TLC on every trace of ENGINE, in chunks of TRACE_CHUNK
# traces (one TLC run each); sets verdict.
check() {
	local e=$1 jar=$2 files=() c n
	local total_events=0 total_distinct=0 total_secs=0 ver=""
	mapfile -t files < <(ls -1 "$trace_dir/$e/${e}"_s*.tla 2>/dev/null |
		sed 's/.*_s\([0-9]*\)\.tla$/\1 &/' | sort -n | cut -d' ' -f2-)
	if [ ${#files[@]} -eq 0 ]; then
		echo "$e: FAIL: no trace in $trace_dir/$e"; verdict=error; return
	fi
	# Default chunk: about 2500 events per TLC run (at most 1000 traces).
	n=${TRACE_CHUNK:-$(cat "${files[@]}" | grep -c '^    \[seq |-> ' |
		awk -v f=${#files[@]} '{ c = int(2500 * f / ($1 > 0 ? $1 : 1)); print (c < 1 ? 1 : (c > 1000 ? 1000 : c)) }')}
	verdict=accepted
	for ((c = 0; c < ${#files[@]}; c += n)); do
		check_chunk "$e" "$jar" "$c" "${files[@]:c:n}"
		total_events=$((total_events + chunk_events))
		total_distinct=$((total_distinct + ${chunk_distinct:-0}))
		total_secs=$(awk -v a="$total_secs" -v b="$chunk_secs" 'BEGIN { printf "%.1f", a + b }')
		ver=$chunk_ver
		[ "$verdict" = accepted ] || return
	done
	local runs=$(( (${#files[@]} + n - 1) / n ))
	echo "$e: ok: ${#files[@]} traces, $total_events events; TLC ${ver:-?}: $total_distinct distinct states, ${total_secs}s ($runs run$([ $runs -gt 1 ] && echo s)): every trace accepted"
}

# check_chunk ENGINE JAR OFFSET FILES...: one TLC run on these traces; sets
# verdict (unless accepted), chunk_events, chunk_distinct, chunk_secs,
# chunk_ver. Chunks keep SANY's time linear: v1.8.0's linter compares every
# two record constructors of a module.
check_chunk() {
	local e=$1 jar=$2 off=$3; shift 3
	local files=("$@") spec=${spec_of[$e]} f i=0
	local d; d="$work/tlc.$e.$(basename "$jar" .jar).$off"
	mkdir -p "$d"
	cp "$here"/*.tla "$d"/ && cp "$here/$spec.cfg" "$d"/ || { verdict=error; return; }
	# The traces are copied into one module as literals: TLC evaluates the
	# constant definition Tr (= Traces) once, but its time per state grows
	# with the number of INSTANCEs in the root module, so one INSTANCE per
	# trace file would make the check quadratic.
	{
		echo "---- MODULE Run$spec ----"
		echo "\\* Generated by spec/trace.sh: traces of $e, in the order of their seeds."
		echo "EXTENDS $spec"
		echo "RunTraces == <<"
		for f in "${files[@]}"; do
			i=$((i + 1))
			[ $i -gt 1 ] && echo ","
			echo "\\* trace $i: $(basename "$f")"
			sed -n '/^Trace == <<$/,/^>>$/p' "$f" | sed '1s/^Trace == //'
		done
		echo ">>"
		printf 'RunParams == <<'
		i=0
		for f in "${files[@]}"; do
			i=$((i + 1))
			[ $i -gt 1 ] && printf ', '
			sed -n 's/^Params == \(.*\)$/\1/p' "$f" | tr -d '\n'
		done
		echo ">>"
		echo "===="
	} >"$d/Run$spec.tla"
	chunk_events=$(cat "${files[@]}" | grep -c '^    \[seq |-> ')
	local rc accepted log="$d/tlc.log"
	# spec/tlc.sh runs TLC and holds it to the exit code of acceptance; its
	# row is CONFIG EXPECTED GOT SECONDS RESULT.
	TLA2TOOLS_JAR=$jar TLC_LOG=$log bash "$here/tlc.sh" one "$d" "$spec.cfg" "Run$spec" 12 TraceUnmatched -deadlock \
		>"$d/verdict" 2>&1
	accepted=$?
	rc=$(awk 'NF >= 5 { r = $3 } END { print r }' "$d/verdict")
	chunk_secs=$(awk 'NF >= 5 { s = $4 } END { print s + 0 }' "$d/verdict")
	chunk_distinct=$(grep -E '[0-9,]+ states generated, [0-9,]+ distinct states found' "$log" | tail -n1 | tr -d ',' | sed -n 's/.* \([0-9]*\) distinct states found.*/\1/p')
	chunk_ver=$(sed -n 's/^TLC2 Version \([^ ]*\).*/\1/p' "$log" | head -n1)
	local what="traces $((off + 1))..$((off + ${#files[@]})), $chunk_events events; TLC ${chunk_ver:-?}: ${chunk_distinct:-?} distinct states, ${chunk_secs}s"
	if [ $accepted -eq 0 ]; then
		:
	elif [ "$rc" = 0 ]; then
		echo "$e: REJECTED: $what"
		diagnose "$e" "$jar" "$d" "${files[@]}"
		verdict=rejected
	else
		echo "$e: ERROR: TLC exit code ${rc:-?} ($what):"
		sed 's/^/    | /' "$d/verdict"
		grep -v -E '^(Parsing|Semantic|Linting|Starting|Progress|Computing|Finished computing)' "$log" |
			sed -n '/Error/,$p' | head -n 30 | sed 's/^/    | /'
		verdict=error
	fi
}

# diagnose ENGINE JAR DIR FILES...: TLC again, dumping every state it
# reached; the largest (t, l) is the first event of the first trace that no
# behaviour matched. Prints its file, index and text, and the spec states
# reached just before it.
diagnose() {
	local e=$1 jar=$2 d=$3; shift 3
	local files=("$@") spec=${spec_of[$e]}
	TLA2TOOLS_JAR=$jar TLC_LOG=$d/tlc.dump.log bash "$here/tlc.sh" one "$d" "$spec.cfg" "Run$spec" 0 \
		-workers 1 -deadlock -dump "$d/states" >/dev/null 2>&1
	if [ ! -f "$d/states.dump" ]; then
		echo "    (no state dump: $(tail -n 3 "$d/tlc.dump.log" | tr '\n' ' '))"; return
	fi
	# Blocks "State N:" ... blank line; t and l are lines "/\ t = 3".
	local tl; tl=$(awk '/^\/\\ t = /{t=$4} /^\/\\ l = /{l=$4} /^$/{ if (t != "" && (t+0 > bt || (t+0 == bt && l+0 > bl))) { bt=t+0; bl=l+0 }; t=""; l="" }
		END { if (t != "" && (t+0 > bt || (t+0 == bt && l+0 > bl))) { bt=t+0; bl=l+0 }; print bt, bl }' "$d/states.dump")
	local bt=${tl% *} bl=${tl#* }
	local file=${files[$((bt - 1))]}
	local len; len=$(grep -c '^    \[seq |-> ' "$file")
	echo "    trace file: $file"
	echo "    first unmatched event: $bl of $len:"
	grep -E "\\\\\* $bl\$" "$file" | sed 's/^ */    | /'
	local n; n=$(awk -v T="$bt" -v L="$bl" 'BEGIN{RS=""} $0 ~ "\n/\\\\ t = " T "\n" && $0 ~ "\n/\\\\ l = " L "(\n|$)" {c++} END{print c+0}' "$d/states.dump")
	echo "    the spec state before it (t and l left out; $n such states were reached, the first is shown):"
	awk -v T="$bt" -v L="$bl" 'BEGIN{RS=""; ORS="\n"} $0 ~ "\n/\\\\ t = " T "\n" && $0 ~ "\n/\\\\ l = " L "(\n|$)" { if (++c == 1) print }' "$d/states.dump" |
		grep -v -E '^(/\\ [tl] = |State [0-9]+:)' |
		awk '/^\/\\ /{ if (v != "") print v; v = $0; next } { sub(/^ +/, " "); v = v $0 } END { if (v != "") print v }' |
		sed 's/^/    | /'
	keep=1
}

for e in "${engines[@]}"; do
	for jar in "${jars[@]}"; do
		check "$e" "$jar"
		case $verdict in
		accepted) ;;
		rejected) status=1 ;;
		*) [ $status -eq 0 ] && status=2 ;;
		esac
	done
	echo "$e: events by action: $(cat "$trace_dir/$e"/*.tla 2>/dev/null | sed -n 's/.*act |-> "\([A-Za-z0-9]*\)".*/\1/p' | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"
done

if [ $status -eq 0 ] && [ $driver_failed -eq 1 ]; then
	status=3
fi
case $status in
0) echo "trace: PASS: every trace of ${engines[*]} accepted" ;;
1) echo "trace: FAIL: a trace was rejected (or the no-hooks check failed)" ;;
2) echo "trace: ERROR: see above" ;;
3) echo "trace: FAIL: the driver failed; every trace it wrote was accepted" ;;
esac
exit $status
