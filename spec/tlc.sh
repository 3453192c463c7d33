#!/usr/bin/env bash
# spec/tlc.sh: model-check the eventspec TLA+ specifications with TLC.
#
#   bash spec/tlc.sh             every configuration in expected-states.txt
#                                marked "tlc", then every mutant in mutants/
#   bash spec/tlc.sh deep        the configurations marked "deep"
#   bash spec/tlc.sh coverage    the "tlc" configurations with -coverage,
#                                listing any action that never fired
#   bash spec/tlc.sh distributed the "deep" configurations with distributed
#                                TLC: one TLCServer and TLCWorkers (see below)
#   bash spec/tlc.sh mutants [NAME...]
#                                the spec mutants NAME.cfg and NAME.*.cfg of
#                                mutants/ (all without NAME); mutants/run.sh
#                                uses it for its TLC column
#   bash spec/tlc.sh one DIR CONFIG MODULE EXPECT [PROPERTY] [TLC options...]
#                                TLC on CONFIG and MODULE in DIR (the
#                                caller's files), held to EXPECT as a spec
#                                mutant is (spec/trace.sh uses it, EXPECT 12
#                                TraceUnmatched); exit 0 iff it held
#   bash spec/tlc.sh --compat [tlc|deep|coverage|mutants|one ...]
#                                the same with the compatibility jar (v1.7.4)
#   bash spec/tlc.sh --ready     exit 0 iff Java 11+ and a jar are available
#                                (downloading the pinned release if need be);
#                                else print one line saying what is missing
#   bash spec/tlc.sh --jar       print the jar's path (no download), or exit 1
#   bash spec/tlc.sh --compat-jar  print the compatibility jar's path, or exit 1
#   bash spec/tlc.sh --have-jar  exit 0 iff a jar is available locally
#   bash spec/tlc.sh --get-jar   exit 0 iff a jar is available locally or the
#                                pinned release could be downloaded, else 1
#
# This is the one place that finds and runs TLC; the Makefile, .ci/run,
# mutants/run.sh and spec/trace.sh ask it.  The jar is the first of
#   $TLA2TOOLS_JAR                        (if set, it must exist)
#   ~/.cache/tla/tla2tools.jar
#   <project root>/../shared/tla/tla2tools.jar
#   the pinned release v1.7.4, downloaded (network permitting) into
#   ~/.cache/tla/tla2tools.jar and checked against its SHA-256.
# The compatibility jar (TLA+ tools v1.7.4, the release users download; used
# by --compat and by distributed mode) is the first of $TLA2TOOLS_JAR_COMPAT,
# ~/.cache/tla/tla2tools-1.7.4.jar and <project root>/../shared/tla/
# tla2tools-1.7.4.jar.  Needs Java 11+.
#
# expected-states.txt pins one distinct-state count per configuration for
# every TLC version; a row may add VERSION=COUNT words (VERSION as printed in
# the "TLC v..." line, e.g. v1.7.4=1234) where a version differs.  None does
# today: v1.7.4 and v1.8.0 give the same counts and mutant exit codes.
#
# A spec mutant (and a run of "one") is rejected when TLC exits with the
# code its "\* expect: CODE [PROPERTY]" header names and reports that kind
# of violation: 11 a deadlock, 12 an invariant (PROPERTY, when named), 13 a
# temporal or action property.  Mutants and "one" print one row each:
# CONFIG EXPECTED GOT SECONDS RESULT (RESULT "ok" or "FAIL: why").
#
# Environment:
#   TLC_SUMMARY=FILE   append one tab-separated line per result to FILE:
#                      tlc VERSION CONFIG DISTINCT DEPTH SECONDS ok|FAIL
#                      mutants VERSION REJECTED TOTAL SECONDS
#                      (make verify and .ci/run turn them into a table)
#   TLC_TIMEOUT=SECS   stop each single-machine TLC run after SECS
#   TLC_LOG=FILE       the log of TLC's output ("one"; default: temporary)
#   Distributed mode (the jar must be v1.7.4: distributed TLC is broken in
#   v1.8.0; the compatibility jar is used, else TLA2TOOLS_JAR if it is 1.7.4).
#   Distributed TLC checks invariants and action properties (Refinement) but
#   skips liveness, and exits with 0 even after a violation, so the run fails
#   on an "Error:" line of the server's output or a distinct-state count
#   other than the pinned one:
#   TLC_DIST_WORKERS=2       TLCWorkers started on this machine
#   TLC_DIST_THREADS=1       threads per local worker
#   TLC_DIST_HOST=127.0.0.1  the server's address as workers see it; with the
#                            default, server and workers run in a private
#                            network namespace holding only loopback (when
#                            unshare -rn works), so nothing is reachable from
#                            outside; set it to this machine's address to
#                            let workers on other hosts join (each runs
#                            java -Dtlc2.tool.distributed.TLCServer.port=PORT
#                               -cp tla2tools-1.7.4.jar
#                               tlc2.tool.distributed.TLCWorker HOST
#                            as printed when the server is ready)
#   TLC_DIST_PORT=10997      the server's RMI registry port
#   TLC_DIST_TIMEOUT=3600    seconds before the run is abandoned
#   TLC_DIST_CONFIGS="A B"   these configurations of expected-states.txt
#                            instead of the "deep" ones (e.g. MCFeedShared,
#                            a one-minute check of a new setup; distributed
#                            TLC checks no liveness, so not MCFeed)
# Exit status: 0 all good, 1 a check failed, 2 TLC or Java missing.
set -u

case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
root=$(cd "$here/.." && pwd)
pin_version=v1.7.4
pin_url="https://github.com/tlaplus/tlaplus/releases/download/${pin_version}/tla2tools.jar"
pin_sha256=936a262061c914694dfd669a543be24573c45d5aa0ff20a8b96b23d01e050e88
cache_dir="${HOME:-.}/.cache/tla"
shared_dir="$(cd "$root/.." && pwd)/shared/tla"

die() { echo "spec/tlc.sh: $*" >&2; exit 2; }

# first_file VAR CANDIDATES...: the value of VAR if set (it must be a file),
# else the first existing candidate.
first_file() {
	local var=$1; shift
	if [ -n "${!var:-}" ]; then
		[ -f "${!var}" ] && { echo "${!var}"; return 0; }
		return 1
	fi
	local f
	for f in "$@"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
local_jar() { first_file TLA2TOOLS_JAR "$cache_dir/tla2tools.jar" "$shared_dir/tla2tools.jar"; }
compat_jar() { first_file TLA2TOOLS_JAR_COMPAT "$cache_dir/tla2tools-1.7.4.jar" "$shared_dir/tla2tools-1.7.4.jar"; }

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
	else echo none; fi
}

download_jar() {
	command -v curl >/dev/null 2>&1 || return 1
	# Stay silent (one error line from the caller) when the network is out of reach.
	curl -fsSIL --connect-timeout 5 --max-time 20 -o /dev/null "$pin_url" 2>/dev/null || return 1
	mkdir -p "$cache_dir" || return 1
	local tmp="$cache_dir/tla2tools.jar.part.$$"
	echo "spec/tlc.sh: downloading TLC ${pin_version} to $cache_dir/tla2tools.jar" >&2
	if ! curl -fsSL --connect-timeout 10 --max-time 120 -o "$tmp" "$pin_url" 2>/dev/null; then
		rm -f "$tmp"; return 1
	fi
	local got; got=$(sha256_of "$tmp")
	if [ "$got" != "$pin_sha256" ]; then
		rm -f "$tmp"
		die "downloaded tla2tools.jar has SHA-256 $got, expected $pin_sha256: refusing it"
	fi
	mv "$tmp" "$cache_dir/tla2tools.jar"
}

# java_problem: prints why Java cannot run TLC, or nothing.
java_problem() {
	command -v java >/dev/null 2>&1 || {
		echo "java not found: install a Java 11+ runtime (e.g. apt-get install default-jre-headless)"
		return
	}
	local v
	v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.\([0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -n1)
	case "$v" in
		"1 "*) v=${v#1 } ;;
		*) v=${v%% *} ;;
	esac
	[ -n "$v" ] && [ "$v" -ge 11 ] 2>/dev/null ||
		echo "TLC needs Java 11 or newer (java -version says: $(java -version 2>&1 | head -n1))"
}

no_jar_line="no tla2tools.jar at \$TLA2TOOLS_JAR, ~/.cache/tla/tla2tools.jar or ../shared/tla/tla2tools.jar (from the project root), and the pinned ${pin_version} could not be downloaded: set TLA2TOOLS_JAR to a tla2tools.jar (${pin_url})"

# version_of JAR: the "TLC2 Version ..." line TLC prints first.
version_of() {
	(cd "${TMPDIR:-/tmp}" && java -cp "$1" tlc2.TLC -version 2>&1) | grep -m1 '^TLC2 Version'
}
# label_of LINE: the release a version line belongs to (v1.7.4, v1.8.0), else
# the TLC2 version number.
label_of() {
	case "$1" in
		*'(rev: 5a47802)'*) echo v1.7.4 ;;
		*'(rev: cc6b616)'*) echo v1.8.0 ;;
		*) echo "$1" | sed -n 's/^TLC2 Version \([^ ]*\).*/TLC2-\1/p' ;;
	esac
}

case "${1:-}" in
--have-jar)
	local_jar >/dev/null && exit 0
	exit 1
	;;
--get-jar)
	local_jar >/dev/null && exit 0
	download_jar && local_jar >/dev/null && exit 0
	exit 1
	;;
--jar)
	local_jar && exit 0
	exit 1
	;;
--compat-jar)
	compat_jar && exit 0
	exit 1
	;;
--ready)
	problem=$(java_problem)
	[ -n "$problem" ] && { echo "$problem"; exit 1; }
	if [ -n "${TLA2TOOLS_JAR:-}" ] && [ ! -f "$TLA2TOOLS_JAR" ]; then
		echo "TLA2TOOLS_JAR=$TLA2TOOLS_JAR is not a file: point it at a tla2tools.jar or unset it"
		exit 1
	fi
	local_jar >/dev/null && exit 0
	download_jar && local_jar >/dev/null && exit 0
	echo "$no_jar_line"
	exit 1
	;;
esac

compat=0
if [ "${1:-}" = --compat ]; then
	compat=1
	shift
fi
mode=${1:-tlc}
[ $# -gt 0 ] && shift
case "$mode" in
	tlc|deep|coverage|mutants) ;;
	one) [ $# -ge 4 ] || die "one needs DIR CONFIG MODULE EXPECT [PROPERTY] [TLC options...]" ;;
	distributed) [ "$compat" = 0 ] || die "distributed mode always uses the v1.7.4 jar: drop --compat" ;;
	*) die "unknown argument '$mode' (use: tlc.sh [--compat] [tlc|deep|coverage|mutants [NAME...]|one DIR CONFIG MODULE EXPECT ...] | distributed | --ready | --jar | --compat-jar)" ;;
esac

# Distributed mode with every worker on this machine: run server and workers
# in a private network namespace that holds only loopback, so that nothing
# outside can reach them and parallel runs never share a port.
if [ "$mode" = distributed ] && [ "${TLC_DIST_HOST:-127.0.0.1}" = 127.0.0.1 ] &&
	[ "${TLC_DIST_NETNS:-1}" = 1 ] && [ -z "${_TLC_IN_NETNS:-}" ] &&
	unshare -rn sh -c 'ip link set lo up' >/dev/null 2>&1; then
	_TLC_IN_NETNS=1 exec unshare -rn sh -c 'ip link set lo up && exec bash "$0" distributed' "$here/tlc.sh"
fi

problem=$(java_problem)
[ -z "$problem" ] || die "$problem"
if [ "$compat" = 1 ]; then
	if [ -n "${TLA2TOOLS_JAR_COMPAT:-}" ] && [ ! -f "$TLA2TOOLS_JAR_COMPAT" ]; then
		die "TLA2TOOLS_JAR_COMPAT=$TLA2TOOLS_JAR_COMPAT is not a file: point it at the v1.7.4 tla2tools.jar or unset it"
	fi
	jar=$(compat_jar) || die "no compatibility jar (v1.7.4): set TLA2TOOLS_JAR_COMPAT or put it at ~/.cache/tla/tla2tools-1.7.4.jar (${pin_url})"
elif [ "$mode" = distributed ]; then
	if jar=$(compat_jar); then :
	elif jar=$(local_jar) && [ "$(label_of "$(version_of "$jar")")" = v1.7.4 ]; then :
	else
		die "distributed TLC needs the v1.7.4 jar (it is broken in v1.8.0): set TLA2TOOLS_JAR_COMPAT or put it at ~/.cache/tla/tla2tools-1.7.4.jar (${pin_url})"
	fi
else
	if [ -n "${TLA2TOOLS_JAR:-}" ] && [ ! -f "$TLA2TOOLS_JAR" ]; then
		die "TLA2TOOLS_JAR=$TLA2TOOLS_JAR is not a file: point it at a tla2tools.jar or unset it"
	fi
	jar=$(local_jar) || { download_jar && jar=$(local_jar); } || die "$no_jar_line"
fi
version_line=$(version_of "$jar")
[ -n "$version_line" ] || die "$jar does not run as TLC (java -cp $jar tlc2.TLC -version printed no version)"
label=$(label_of "$version_line")

work=$(mktemp -d 2>/dev/null) && [ -d "$work" ] || die "cannot create a temporary directory (mktemp -d failed)"
# stop_tlc: stop every TLC process (single-machine run, distributed server
# and workers) this script started.
stop_tlc() {
	local p
	for p in $tlc_pids; do kill "$p" 2>/dev/null; done
	for p in $tlc_pids; do wait "$p" 2>/dev/null; done
	tlc_pids=""
}

tlc_pids=""
trap 'stop_tlc; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
if [ "$mode" = one ]; then
	# The caller's directory holds the specification: run TLC there.
	rundir=$(cd "$1" && pwd) || die "no directory $1"
else
	# TLC writes trace and metadata files next to the spec: run it on a copy.
	rundir=$work
	cp "$here"/*.tla "$here"/*.cfg "$work"/ || die "cannot copy the specs"
	cp "$here"/mutants/*.tla "$here"/mutants/*.cfg "$work"/ 2>/dev/null
	echo "TLC $label: $version_line ($jar)"
fi

# summary KIND FIELDS...: one line for $TLC_SUMMARY.
summary() {
	[ -n "${TLC_SUMMARY:-}" ] || return 0
	local IFS=$'\t'
	echo "$*" >>"$TLC_SUMMARY"
}

failures=0
ran=0
# The default runs are short: the C1 compiler alone halves their CPU time.
# The deep run keeps the optimizing compiler.
jit=-XX:TieredStopAtLevel=1
[ "$mode" = deep ] && jit=
# now: nanoseconds where date supports %N, else seconds.
now() {
	local t; t=$(date +%s%N 2>/dev/null)
	case "$t" in ''|*[!0-9]*) date +%s ;; *) echo "$t" ;; esac
}
# seconds_between T0 T1: sets secs, the time between two now readings.
seconds_between() {
	if [ ${#1} -gt 12 ]; then
		secs=$(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	else
		secs=$(($2 - $1))
	fi
}
# read_stats LOG: sets generated, distinct and depth from TLC's last lines.
read_stats() {
	local last
	last=$(grep -E '[0-9,]+ states generated, [0-9,]+ distinct states found' "$1" | tail -n1 | tr -d ',')
	generated=$(echo "$last" | sed -n 's/^\([0-9]*\) states generated.*/\1/p')
	distinct=$(echo "$last" | sed -n 's/.* \([0-9]*\) distinct states found.*/\1/p')
	depth=$(sed -n 's/.*depth of the complete state graph search is \([0-9]*\).*/\1/p' "$1" | tail -n1)
}
# show_log LOG LINES: the end of a log, without TLC's progress lines.
show_log() {
	grep -v -E '^(Parsing|Semantic|Linting|Starting|Progress|Computing|Finished computing)' "$1" | tail -n "$2" | sed 's/^/    | /'
}

# run_tlc NAME CFG MODULE [extra TLC args...]: TLC on CFG in $rundir, log
# $TLC_LOG or $work/NAME.log, at most $TLC_TIMEOUT seconds when set; sets
# rc, distinct, generated, depth, secs, log.
run_tlc() {
	local name=$1 cfg=$2 module=$3; shift 3
	log=${TLC_LOG:-$work/$name.log}
	local t0 t1 a workers=(-workers auto) limit=()
	for a in "$@"; do [ "$a" = -workers ] && workers=(); done
	[ -n "${TLC_TIMEOUT:-}" ] && limit=(timeout -k 10 "$TLC_TIMEOUT")
	t0=$(now)
	# In the background, so that a signal stops TLC at once (stop_tlc).
	(cd "$rundir" && exec "${limit[@]}" java -XX:+UseParallelGC $jit -cp "$jar" tlc2.TLC "${workers[@]}" \
		-metadir "$work/meta.$name" -config "$cfg" "$@" "$module") >"$log" 2>&1 </dev/null &
	tlc_pids=$!
	wait "$tlc_pids"
	rc=$?
	tlc_pids=""
	t1=$(now)
	seconds_between "$t0" "$t1"
	read_stats "$log"
	ran=$((ran + 1))
}

# expect_verdict EXPECT PROPERTY: sets result to "ok" when TLC's exit code
# ($rc) is EXPECT and $log reports the violation that code stands for (of
# PROPERTY, for an invariant, when given), else to "FAIL: why".
expect_verdict() {
	local expect=$1 prop=$2
	result=ok
	if [ "$rc" -ne "$expect" ]; then
		result="FAIL: TLC exit code $rc, expected $expect"
	elif [ "$expect" = 12 ] && [ -n "$prop" ] && ! grep -q "Invariant $prop is violated" "$log"; then
		result="FAIL: exit 12 but not from invariant $prop"
	elif [ "$expect" = 11 ] && ! grep -q "Deadlock reached" "$log"; then
		result="FAIL: exit 11 without a deadlock report"
	elif [ "$expect" = 13 ] && ! grep -qE "Temporal propert(y|ies) .*violated|Action property .* is violated" "$log"; then
		result="FAIL: exit 13 without a temporal or action property violation"
	fi
}

# count_verdict EXPECTED WHAT: sets result from $rc and $distinct against
# the pinned count.
count_verdict() {
	result=ok
	if [ "$rc" -ne 0 ]; then
		result="FAIL: $2 exit code $rc$([ "$rc" = 124 ] && echo " (timed out)")"
	elif grep -q '^Error:' "$log"; then
		# Distributed TLC exits with 0 even when it found a violation.
		result="FAIL: $2 reported an error (see below)"
	elif [ "${distinct:-x}" != "$1" ]; then
		result="FAIL: distinct states ${distinct:-?}, pinned $1 (update expected-states.txt on purpose)"
	fi
}

# config_row NAME SUMMARY_LABEL: prints the result row of a configuration,
# adds its summary line, and on failure counts it and shows the log's end.
config_row() {
	printf '%-22s %10s %10s %6s %8s  %s\n' "$1" "${distinct:-?}" "${generated:-?}" "${depth:-?}" "$secs" "$result"
	summary tlc "$2" "$1" "${distinct:--}" "${depth:--}" "$secs" "$( [ "$result" = ok ] && echo ok || echo FAIL)"
	[ "$result" = ok ] && return 0
	failures=$((failures + 1))
	show_log "$log" 40
	return 1
}

# pinned_configs MODE: the rows "CONFIG MODULE EXPECTED" of
# expected-states.txt marked MODE ("" for every row named in
# $TLC_DIST_CONFIGS), with this TLC version's count.
pinned_configs() {
	local m cfg module expected rest word
	while read -r m cfg module expected rest; do
		case "$m" in ''|'#'*) continue ;; esac
		if [ -n "$1" ]; then
			[ "$m" = "$1" ] || continue
		else
			case " $TLC_DIST_CONFIGS " in *" ${cfg%.cfg} "*) ;; *) continue ;; esac
		fi
		for word in $rest; do
			case "$word" in "$label="*) expected=${word#*=} ;; esac
		done
		echo "$cfg $module $expected"
	done <"$here/expected-states.txt"
}

config_header() { printf '%-22s %10s %10s %6s %8s  %s\n' config distinct generated depth seconds result; }

check_configs() {
	local want_mode=$1; shift
	config_header
	local cfg module expected
	while read -r cfg module expected; do
		run_tlc "${cfg%.cfg}" "$cfg" "$module" "$@"
		count_verdict "$expected" TLC
		config_row "${cfg%.cfg}" "$label" || true
		if [ "${coverage:-}" = 1 ]; then
			# Action coverage lines: "<Name line L, col C to ... of module M>: DISTINCT:GENERATED".
			sed -n 's/^<\([A-Za-z0-9_]*\) line .* of module \([A-Za-z0-9_]*\)[^>]*>: \([0-9]*\):\([0-9]*\)$/\2.\1 \4/p' "$log" >>"$work/coverage.all"
			echo "    coverage: $(grep -cE '^<[A-Za-z0-9_]+ line .*>: [0-9]+:[0-9]+$' "$log") actions, $(grep -cE '^<[A-Za-z0-9_]+ line .*>: [0-9]+:0$' "$log") never enabled here, $(grep -cE ': 0$' "$log") subexpressions never evaluated"
		fi
	done < <(pinned_configs "$want_mode")
}

mutant_row() { printf '%-40s %8s %8s %8s  %s\n' "$@"; }

# check_mutants [NAME...]: the spec mutants NAME.cfg and NAME.*.cfg (every
# mutant without a NAME), each held to the exit code and violation its
# headers name. One row each: CONFIG EXPECTED GOT SECONDS RESULT.
check_mutants() {
	mutant_row mutant expected got seconds result
	local cfg cfgs=() name module expect prop total=0 rejected=0 t0
	if [ $# -eq 0 ]; then
		cfgs=("$here"/mutants/*.cfg)
	else
		for name in "$@"; do
			cfgs+=("$here/mutants/$name.cfg" "$here/mutants/$name".*.cfg)
		done
	fi
	t0=$(date +%s)
	for cfg in "${cfgs[@]}"; do
		[ -f "$cfg" ] || continue
		name=$(basename "$cfg" .cfg)
		module=$(sed -n 's/^\\\* module: *\([A-Za-z0-9_]*\).*/\1/p' "$cfg" | head -n1)
		expect=$(sed -n 's/^\\\* expect: *\([0-9]*\).*/\1/p' "$cfg" | head -n1)
		prop=$(sed -n 's/^\\\* expect: *[0-9]* *\([A-Za-z0-9_]*\).*/\1/p' "$cfg" | head -n1)
		total=$((total + 1))
		if [ -z "$module" ] || [ -z "$expect" ]; then
			mutant_row "$name" '?' '-' '-' 'FAIL: missing "\* module:" or "\* expect:" header'
			failures=$((failures + 1)); continue
		fi
		run_tlc "mut.$name" "$name.cfg" "$module"
		expect_verdict "$expect" "$prop"
		mutant_row "$name" "$expect" "$rc" "$secs" "$result"
		if [ "$result" = ok ]; then
			rejected=$((rejected + 1))
		else
			failures=$((failures + 1))
			show_log "$log" 20
		fi
	done
	[ "$total" -gt 0 ] || { echo "no spec mutant named $*"; failures=$((failures + 1)); }
	summary mutants "$label" "$rejected" "$total" "$(( $(date +%s) - t0 ))"
}

# check_distributed: every "deep" configuration with one TLCServer and
# $TLC_DIST_WORKERS TLCWorkers on this machine (plus any started elsewhere),
# held to the same pinned distinct-state count as the single-machine run.
check_distributed() {
	local host=${TLC_DIST_HOST:-127.0.0.1} port=${TLC_DIST_PORT:-10997}
	local nw=${TLC_DIST_WORKERS:-2} threads=${TLC_DIST_THREADS:-1} limit=${TLC_DIST_TIMEOUT:-3600}
	local n
	for n in "$port" "$nw" "$threads" "$limit"; do
		case "$n" in ''|*[!0-9]*) die "TLC_DIST_PORT, TLC_DIST_WORKERS, TLC_DIST_THREADS and TLC_DIST_TIMEOUT must be numbers" ;; esac
	done
	local where="this machine's network"
	[ -n "${_TLC_IN_NETNS:-}" ] && where="a private network namespace (loopback only)"
	echo "distributed: TLCServer at $host:$port and $nw local TLCWorker(s) with $threads thread(s) each, in $where"
	local sprops=(-XX:+UseParallelGC -Djava.rmi.server.hostname="$host" -Dtlc2.tool.distributed.TLCServer.port="$port")
	local wprops=(-XX:+UseParallelGC -Djava.rmi.server.hostname=127.0.0.1 -Dtlc2.tool.distributed.TLCServer.port="$port"
		-Dtlc2.tool.distributed.TLCWorker.threadCount="$threads")
	config_header
	local cfg module expected name server i p t0 t1 k
	while read -r cfg module expected; do
		name="${cfg%.cfg}"
		log="$work/dist.$name.log"
		t0=$(now)
		(cd "$work" && exec timeout -k 10 "$limit" java "${sprops[@]}" -cp "$jar" tlc2.tool.distributed.TLCServer \
			-metadir "$work/meta.dist.$name" -config "$cfg" "$module") >"$log" 2>&1 </dev/null &
		server=$!
		tlc_pids=$server
		# The server parses the spec and computes the initial states, then waits for workers.
		while kill -0 "$server" 2>/dev/null && ! grep -q 'TLC server at .* is ready' "$log"; do sleep 0.2; done
		if grep -q 'TLC server at .* is ready' "$log"; then
			if [ "$nw" = 0 ] || [ "$host" != 127.0.0.1 ]; then
				echo "    server ready; on each other host run: java -Djava.rmi.server.hostname=THAT_HOST -Dtlc2.tool.distributed.TLCServer.port=$port -cp tla2tools-1.7.4.jar tlc2.tool.distributed.TLCWorker $host"
			fi
			for i in $(seq 1 "$nw"); do
				(cd "$work" && exec timeout -k 10 "$limit" java "${wprops[@]}" -cp "$jar" \
					tlc2.tool.distributed.TLCWorker 127.0.0.1) >"$work/dist.$name.worker$i.log" 2>&1 </dev/null &
				tlc_pids="$tlc_pids $!"
			done
		fi
		wait "$server"
		rc=$?
		t1=$(now)
		# Workers leave once the server is done; stop any that lingers after 30 s.
		for p in ${tlc_pids#"$server"}; do
			for k in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		done
		stop_tlc
		seconds_between "$t0" "$t1"
		read_stats "$log"
		ran=$((ran + 1))
		count_verdict "$expected" TLCServer
		config_row "$name" "$label distributed" && continue
		for i in $(seq 1 "$nw"); do
			tail -n 5 "$work/dist.$name.worker$i.log" 2>/dev/null | sed "s/^/    worker $i | /"
		done
	done < <(pinned_configs "$([ -n "${TLC_DIST_CONFIGS:-}" ] || echo deep)")
}

# check_one DIR CONFIG MODULE EXPECT [PROPERTY] [TLC options...]: TLC on
# CONFIG in the caller's DIR, held to EXPECT as a spec mutant is; one row.
check_one() {
	local cfg=$2 module=$3 expect=$4 prop=""; shift 4
	case "${1:-}" in ''|-*) ;; *) prop=$1; shift ;; esac
	case "$expect" in ''|*[!0-9]*) die "EXPECT must be a TLC exit code, not '$expect'" ;; esac
	run_tlc "$module" "$cfg" "$module" "$@"
	expect_verdict "$expect" "$prop"
	mutant_row "${cfg%.cfg}" "$expect" "$rc" "$secs" "$result"
	[ "$result" = ok ] || failures=$((failures + 1))
}

if [ "$mode" = one ]; then
	check_one "$@"
	[ "$failures" -eq 0 ]
	exit
fi

start=$(date +%s)
# SANY parses every module of spec/ and spec/mutants/ (also those no
# configuration runs). It exits with 0 even on errors: its log tells. (A
# run of chosen mutants leaves that to make tlc.)
if [ "$mode" != mutants ] || [ $# -eq 0 ]; then
	if (cd "$work" && java -cp "$jar" tla2sany.SANY ./*.tla) >"$work/sany.log" 2>&1 &&
		! grep -qiE '\*\*\* ?errors|parse error|fatal error|could not find|was expecting' "$work/sany.log"; then
		echo "parse: all $(cd "$work" && ls ./*.tla | wc -l | tr -d ' ') modules: ok"
	else
		echo "parse: FAIL"
		grep -iE -B2 -A8 '\*\*\* ?errors|parse error|fatal error|could not find|was expecting' "$work/sany.log" | head -n 30 | sed 's/^/    | /'
		summary tlc "$label" "parse" - - - FAIL
		failures=$((failures + 1))
	fi
fi
case "$mode" in
	tlc)
		check_configs tlc
		nconf=$ran
		check_mutants
		nmut=$((ran - nconf))
		what="$nconf configurations, $nmut mutants" ;;
	mutants)
		check_mutants "$@"
		what="$ran mutants" ;;
	deep)
		check_configs deep
		what="$ran deep configurations" ;;
	coverage)
		: >"$work/coverage.all"
		coverage=1 check_configs tlc -coverage 1
		# An action is dead if no configuration ever generated a state with it.
		dead=$(awk '{ g[$1] += $2 } END { for (a in g) if (g[a] == 0) print a }' "$work/coverage.all" | sort | tr '\n' ' ')
		nact=$(awk '{ print $1 }' "$work/coverage.all" | sort -u | wc -l | tr -d ' ')
		if [ -n "$dead" ]; then
			echo "coverage: dead actions (no state generated in any configuration): $dead"
			failures=$((failures + 1))
		else
			echo "coverage: all $nact actions generate states in at least one configuration"
		fi
		what="$ran configurations with coverage" ;;
	distributed)
		check_distributed
		what="$ran configurations, distributed" ;;
esac
elapsed=$(( $(date +%s) - start ))
if [ "$failures" -ne 0 ]; then
	echo "tlc: FAIL: $failures check(s) failed; $what; ${elapsed}s"
	exit 1
fi
echo "tlc: PASS: $what; ${elapsed}s"
