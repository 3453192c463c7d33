#!/usr/bin/env bash
# mutants/section.sh FILE NAME TEXT — replaces the generated part of FILE
# between the lines "<!-- NAME:begin -->" and "<!-- NAME:end -->" with TEXT,
# appending the markers if FILE lacks them. Text outside the markers is kept.
set -euo pipefail
file=$1 name=$2 text=$3
begin="<!-- $name:begin -->" end="<!-- $name:end -->"
[[ -f $file ]] || : >"$file"
if ! grep -qxF "$begin" "$file"; then
	printf '\n%s\n%s\n' "$begin" "$end" >>"$file"
fi
tmp=$(mktemp)
TEXT="$text" awk -v b="$begin" -v e="$end" '
	$0 == b { print; print ENVIRON["TEXT"]; skip = 1; next }
	$0 == e { skip = 0 }
	!skip { print }
' "$file" >"$tmp"
cat "$tmp" >"$file"
rm -f "$tmp"
