#!/usr/bin/env bash
# spec/tlc.sh: model-check the eventspec TLA+ specifications with TLC.
#
#   bash spec/tlc.sh             every configuration in expected-states.txt
#                                marked "tlc", then every mutant in mutants/
#   bash spec/tlc.sh deep        the configurations marked "deep"
#   bash spec/tlc.sh coverage    the "tlc" configurations with -coverage,
#                                listing any action that never fired
#   bash spec/tlc.sh --have-jar  exit 0 iff a tla2tools.jar is available
#                                locally (no download), else exit 1
#   bash spec/tlc.sh --get-jar   exit 0 iff a jar is available locally or the
#                                pinned release could be downloaded, else 1
#
# Jar lookup: $TLA2TOOLS_JAR, else $HOME/.cache/tla/tla2tools.jar, else (if
# the network is reachable) the pinned release below, downloaded into
# $HOME/.cache/tla and checked against its SHA-256.  Needs Java 11+.
# Exit status: 0 all good, 1 a check failed, 2 TLC or Java missing.
set -u

case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
pin_version=v1.7.4
pin_url="https://github.com/tlaplus/tlaplus/releases/download/${pin_version}/tla2tools.jar"
pin_sha256=936a262061c914694dfd669a543be24573c45d5aa0ff20a8b96b23d01e050e88
cache_dir="${HOME:-.}/.cache/tla"

die() { echo "spec/tlc.sh: $*" >&2; exit 2; }

local_jar() {
	if [ -n "${TLA2TOOLS_JAR:-}" ]; then
		[ -f "$TLA2TOOLS_JAR" ] && { echo "$TLA2TOOLS_JAR"; return 0; }
		return 1
	fi
	[ -f "$cache_dir/tla2tools.jar" ] && { echo "$cache_dir/tla2tools.jar"; return 0; }
	return 1
}

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
esac

if [ -n "${TLA2TOOLS_JAR:-}" ] && [ ! -f "$TLA2TOOLS_JAR" ]; then
	die "TLA2TOOLS_JAR=$TLA2TOOLS_JAR is not a file: point it at a tla2tools.jar or unset it"
fi
jar=$(local_jar) || { download_jar && jar=$(local_jar); } ||
	die "no tla2tools.jar: set TLA2TOOLS_JAR or put one in $cache_dir/tla2tools.jar (${pin_url})"

command -v java >/dev/null 2>&1 || die "java not found: install a Java 11+ runtime (e.g. apt-get install default-jre-headless)"
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.\([0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -n1)
case "$java_major" in
	"1 "*) java_major=${java_major#1 } ;;
	*) java_major=${java_major%% *} ;;
esac
[ -n "$java_major" ] && [ "$java_major" -ge 11 ] 2>/dev/null ||
	die "TLC needs Java 11 or newer (java -version says: $(java -version 2>&1 | head -n1))"

mode=${1:-tlc}
case "$mode" in
	tlc|deep|coverage) ;;
	*) die "unknown argument '$mode' (use: tlc.sh [deep|coverage|--have-jar])" ;;
esac

work=$(mktemp -d 2>/dev/null) && [ -d "$work" ] || die "cannot create a temporary directory (mktemp -d failed)"
trap 'rm -rf "$work"' EXIT
# TLC writes trace and metadata files next to the spec: run it on a copy.
cp "$here"/*.tla "$here"/*.cfg "$work"/ || die "cannot copy the specs"
cp "$here"/mutants/*.tla "$here"/mutants/*.cfg "$work"/ 2>/dev/null

tlc_version=$(cd "$work" && java -cp "$jar" tlc2.TLC -help 2>/dev/null | sed -n 's/.*Version \([^ ]*\).*/\1/p' | head -n1)
echo "TLC ${tlc_version:-unknown} ($jar)"

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

# run_tlc NAME CFG MODULE [extra TLC args...]; sets rc, distinct, generated, depth, secs, log
run_tlc() {
	local name=$1 cfg=$2 module=$3; shift 3
	log="$work/$name.log"
	local t0 t1
	t0=$(now)
	(cd "$work" && java -XX:+UseParallelGC $jit -cp "$jar" tlc2.TLC -workers auto \
		-metadir "$work/meta.$name" -config "$cfg" "$@" "$module") >"$log" 2>&1 </dev/null
	rc=$?
	t1=$(now)
	if [ ${#t0} -gt 12 ]; then
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	else
		secs=$((t1 - t0))
	fi
	local last
	last=$(grep -E '[0-9,]+ states generated, [0-9,]+ distinct states found' "$log" | tail -n1 | tr -d ',')
	generated=$(echo "$last" | sed -n 's/^\([0-9]*\) states generated.*/\1/p')
	distinct=$(echo "$last" | sed -n 's/.* \([0-9]*\) distinct states found.*/\1/p')
	depth=$(sed -n 's/.*depth of the complete state graph search is \([0-9]*\).*/\1/p' "$log" | tail -n1)
	ran=$((ran + 1))
}

check_configs() {
	local want_mode=$1; shift
	printf '%-22s %10s %10s %6s %8s  %s\n' config distinct generated depth seconds result
	while read -r m cfg module expected rest; do
		case "$m" in ''|'#'*) continue ;; esac
		[ "$m" = "$want_mode" ] || continue
		run_tlc "${cfg%.cfg}" "$cfg" "$module" "$@"
		local result=ok
		if [ "$rc" -ne 0 ]; then
			result="FAIL: TLC exit code $rc (see below)"
		elif [ "${distinct:-x}" != "$expected" ]; then
			result="FAIL: distinct states $distinct, pinned $expected (update expected-states.txt on purpose)"
		fi
		printf '%-22s %10s %10s %6s %8s  %s\n' "${cfg%.cfg}" "${distinct:-?}" "${generated:-?}" "${depth:-?}" "$secs" "$result"
		if [ "$result" != ok ]; then
			failures=$((failures + 1))
			[ "$rc" -ne 0 ] && grep -v -E '^(Parsing|Semantic|Linting|Starting|Progress|Computing|Finished computing)' "$log" | tail -n 40 | sed 's/^/    | /'
		fi
		if [ "${coverage:-}" = 1 ]; then
			# Action coverage lines: "<Name line L, col C to ... of module M>: DISTINCT:GENERATED".
			sed -n 's/^<\([A-Za-z0-9_]*\) line .* of module \([A-Za-z0-9_]*\)[^>]*>: \([0-9]*\):\([0-9]*\)$/\2.\1 \4/p' "$log" >>"$work/coverage.all"
			echo "    coverage: $(grep -cE '^<[A-Za-z0-9_]+ line .*>: [0-9]+:[0-9]+$' "$log") actions, $(grep -cE '^<[A-Za-z0-9_]+ line .*>: [0-9]+:0$' "$log") never enabled here, $(grep -cE ': 0$' "$log") subexpressions never evaluated"
		fi
	done <"$here/expected-states.txt"
}

check_mutants() {
	printf '%-40s %8s %8s %8s  %s\n' mutant expected got seconds result
	local cfg name module expect prop result
	for cfg in "$here"/mutants/*.cfg; do
		[ -f "$cfg" ] || continue
		name=$(basename "$cfg" .cfg)
		module=$(sed -n 's/^\\\* module: *\([A-Za-z0-9_]*\).*/\1/p' "$cfg" | head -n1)
		expect=$(sed -n 's/^\\\* expect: *\([0-9]*\).*/\1/p' "$cfg" | head -n1)
		prop=$(sed -n 's/^\\\* expect: *[0-9]* *\([A-Za-z0-9_]*\).*/\1/p' "$cfg" | head -n1)
		if [ -z "$module" ] || [ -z "$expect" ]; then
			printf '%-40s %8s %8s %8s  %s\n' "$name" '?' '-' '-' 'FAIL: missing "\* module:" or "\* expect:" header'
			failures=$((failures + 1)); continue
		fi
		run_tlc "mut.$name" "$name.cfg" "$module"
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
		printf '%-40s %8s %8s %8s  %s\n' "$name" "$expect" "$rc" "$secs" "$result"
		if [ "$result" != ok ]; then
			failures=$((failures + 1))
			grep -v -E '^(Parsing|Semantic|Linting|Starting|Progress|Computing|Finished computing)' "$log" | tail -n 20 | sed 's/^/    | /'
		fi
	done
}

start=$(date +%s)
# event.tla instantiates every module: parsing it checks them all together.
if (cd "$work" && java -cp "$jar" tla2sany.SANY event.tla) >"$work/sany.log" 2>&1 &&
	! grep -qiE '\*\*\* ?errors|parse error|fatal error|could not find|was expecting' "$work/sany.log"; then
	echo "parse: event.tla and every module it instantiates: ok"
else
	echo "parse: event.tla: FAIL"
	tail -n 20 "$work/sany.log" | sed 's/^/    | /'
	failures=$((failures + 1))
fi
case "$mode" in
	tlc)
		check_configs tlc
		nconf=$ran
		check_mutants
		nmut=$((ran - nconf))
		summary="$nconf configurations, $nmut mutants" ;;
	deep)
		check_configs deep
		summary="$ran deep configurations" ;;
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
		summary="$ran configurations with coverage" ;;
esac
elapsed=$(( $(date +%s) - start ))
if [ "$failures" -ne 0 ]; then
	echo "tlc: FAIL: $failures check(s) failed; $summary; ${elapsed}s"
	exit 1
fi
echo "tlc: PASS: $summary; ${elapsed}s"
