#!/usr/bin/env bash
# mutants/gremlins.sh — automated mutation testing of event/ with go-gremlins
# (`make gremlins`).
#
# Installs gremlins into GOBIN (outside the repository) when it is missing,
# copies the repository (working tree, without .git) to a temporary
# directory, and runs `gremlins unleash ./event` there with every mutator
# enabled, so the repository itself is never rewritten. Gremlins runs the
# event package's own tests (go test ./event, no race detector) against each
# mutant. Prints the summary and the LIVED mutants with their source lines,
# and writes them to the generated gremlins section of mutants/REPORT.md. The
# reasoning about each survivor lives in REPORT.md, outside that section.
#
# Environment:
#   GREMLINS_VERSION=v0.6.0        version to install when missing
#   GREMLINS_WORKERS=1             parallel mutant runs (2 cores: keep 1)
#   GREMLINS_TIMEOUT_COEFFICIENT=5 test timeout = coverage run time x this
#   GREMLINS_THRESHOLD_EFFICACY=N  fail when the efficacy is below N percent
#   GREMLINS_REPORT=0              do not touch mutants/REPORT.md
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=copytree.sh
. "$here/copytree.sh"
version=${GREMLINS_VERSION:-v0.6.0}

gobin=$(go env GOBIN)
[[ -n $gobin ]] || gobin="$(go env GOPATH)/bin"
gremlins=$(command -v gremlins || true)
[[ -n $gremlins ]] || { [[ -x $gobin/gremlins ]] && gremlins=$gobin/gremlins; }
if [[ -z $gremlins ]]; then
	echo "installing gremlins $version into $gobin"
	(cd "${TMPDIR:-/tmp}" && GOFLAGS= go install "github.com/go-gremlins/gremlins/cmd/gremlins@$version") || exit 1
	gremlins=$gobin/gremlins
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eventspec-gremlins.XXXXXX")
child=""
cleanup() {
	if [[ -n $child ]]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

work="$tmp/repo"
copy_tree "$root" "$work"

args=(unleash --workers "${GREMLINS_WORKERS:-1}"
	--timeout-coefficient "${GREMLINS_TIMEOUT_COEFFICIENT:-5}"
	--invert-logical --invert-loopctrl --remove-self-assignments
	--invert-assignments --invert-bwassign --invert-bitwise)
[[ -n "${GREMLINS_THRESHOLD_EFFICACY:-}" ]] &&
	args+=(--threshold-efficacy "$GREMLINS_THRESHOLD_EFFICACY")

mkdir -p "$here/work"
out="$here/work/gremlins.log"
start=$(date +%s)
(cd "$work" && exec "$gremlins" "${args[@]}" ./event) >"$out" 2>&1 &
child=$!
wait "$child"
rc=$?
child=""
secs=$(($(date +%s) - start))

# Lines look like "      LIVED CONDITIONALS_NEGATION at feed.go:86:20".
summary=$(grep -E 'Killed:|Timed out:|Test efficacy|Mutator coverage' "$out" | sed 's/^ *//')
lived=$(grep -E '^ *LIVED ' "$out" | sed 's/^ *//' | sort -t' ' -k4 -V)
echo "$summary"
echo "gremlins exit status $rc, ${secs}s"
survivors=""
while read -r _ kind _ pos; do
	[[ -n $pos ]] || continue
	file=${pos%%:*} rest=${pos#*:} line=${rest%%:*}
	src=$(sed -n "${line}p" "$root/event/$file" | sed 's/^[[:space:]]*//')
	survivors+="- \`$kind\` at event/$pos: \`$src\`"$'\n'
done <<<"$lived"
if [[ -n $survivors ]]; then
	echo "LIVED:"
	printf '%s' "$survivors"
fi

if [[ "${GREMLINS_REPORT:-1}" == 1 ]]; then
	commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
	section=$(
		echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'), gremlins $("$gremlins" --version 2>/dev/null | grep -oE 'v[0-9.]+' | head -1), $(go version | awk '{print $3}'), commit $commit, ${secs}s, all mutators enabled, \`go test ./event\` per mutant:"
		echo
		echo '```'
		echo "$summary"
		echo '```'
		echo
		if [[ -n $survivors ]]; then
			echo "LIVED mutants:"
			echo
			printf '%s' "$survivors"
		else
			echo "No LIVED mutants."
		fi
	)
	bash "$here/section.sh" "$here/REPORT.md" gremlins "$section"
	echo "wrote mutants/REPORT.md"
fi
exit $rc
