#!/usr/bin/env bash
# Checks one part of the spec in isolation while the spec is written in parallel parts:
# merges 00-common + the given part into a private copy of the repository, lints it with Redocly and builds the
# generated client there (so several authors can check at once without sharing obj/).
# Usage: tools/check_spec_part.sh openapi/parts/20-features.yaml
set -euo pipefail
part=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$part" .yaml)
work=/tmp/aha-spec-check-$name
mkdir -p "$work"
rsync -a --delete --exclude obj --exclude bin --exclude node_modules --exclude .git --exclude 'openapi/parts' "$repo/" "$work/"
mkdir -p "$work/openapi/parts"
cp "$repo/openapi/parts/00-common.yaml" "$part" "$work/openapi/parts/"
cd "$work"
python3 tools/merge_spec_parts.py
echo "--- redocly lint (errors only shown in full; unused-component warnings expected for a part) ---"
REDOCLY_TELEMETRY=off node "$repo/build/openapi-tools/node_modules/.bin/redocly" lint openapi/aha.yaml --config openapi/redocly.yaml --format=codeframe 2>/dev/null | grep -v "no-unused-components" | grep -B2 -A12 "Error was generated\|error" | head -150 || true
REDOCLY_TELEMETRY=off node "$repo/build/openapi-tools/node_modules/.bin/redocly" lint openapi/aha.yaml --config openapi/redocly.yaml --format=summary 2>/dev/null | grep -E "^(error|warning)|Validation|valid" || true
echo "--- dotnet build (regenerates the client) ---"
dotnet build src/Aha.Client -nologo -v q 2>&1 | grep -E "error|warn|Warn|Error" | sort -u | head -40
echo "generated: $work/src/Aha.Client/obj/Generated/AhaClient.g.cs"
grep -E "public virtual async .*Async\(" "$work/src/Aha.Client/obj/Generated/AhaClient.g.cs" | sed -E 's/^ *public virtual async System.Threading.Tasks.Task(<[A-Za-z]+>)? //' | cut -c1-200
