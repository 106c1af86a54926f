#!/usr/bin/env bash
# Package validation check: proves that EnablePackageValidation turns a breaking change into a build error once a
# baseline exists, and lets a compatible change through. No version of Aha.Client is published yet, so the baseline is
# the package build/consumer-check.sh just packed into artifacts/packages (or one packed here if there is none).
# In a private copy of the repository (the working tree stays untouched):
#   1. compatible: a public member is ADDED    -> pack against the baseline succeeds;
#   2. breaking:   a public member is REMOVED  -> pack against the baseline fails with CP0002 naming that member;
#   3. spec growth: openapi/aha.yaml gains an optional query parameter (Features_List) and a response property
#      (Feature) -> the regenerated client packs against the baseline: binary-compatible by the API's shape (query
#      parameters are properties of the operation's options type, never method parameters; CONTRIBUTING.md).
# Ends with "package-validation: N passed, N failed". .ci/run calls it after build/consumer-check.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
FEED=$ROOT/artifacts/packages
PREFIX=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props | head -1)
BASELINE=${AHA_BASELINE_VERSION:-$(cat artifacts/consumer-check/last-version 2>/dev/null || true)}
LOGS=$ROOT/artifacts/package-validation
mkdir -p "$FEED" "$LOGS"
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && tail -n 30 "$2" | sed 's/^/    /'; }

if [ -z "$BASELINE" ] || [ ! -f "$FEED/Aha.Client.$BASELINE.nupkg" ]; then
  BASELINE=$PREFIX-baseline.$(date -u +%Y%m%d%H%M%S)
  echo "=== No baseline packed yet: packing Aha.Client $BASELINE ==="
  if dotnet pack src/Aha.Client -c Release -o "$FEED" -p:VersionSuffix="${BASELINE#"$PREFIX"-}" > "$LOGS/baseline.log" 2>&1; then pass pack-baseline; else fail pack-baseline "$LOGS/baseline.log"; fi
fi
echo "=== Package validation against the baseline Aha.Client $BASELINE ==="

COPY=$(mktemp -d /tmp/aha-package-validation.XXXXXX)
trap 'rm -rf "$COPY"' EXIT
# The files a pack of Aha.Client needs (tracked files only, no bin/obj/node_modules).
git ls-files -z -- src openapi build nswag.json global.json Directory.Build.props Directory.Build.targets Directory.Packages.props \
  | (cd "$ROOT" && xargs -0 tar cf -) | (cd "$COPY" && tar xf -)

# pack_copy NAME VERSION: packs the copy's Aha.Client against the baseline; the output goes to $LOGS/NAME.log.
pack_copy() {
  dotnet pack "$COPY/src/Aha.Client" -c Release -o "$COPY/out" -p:VersionSuffix="$2" \
    -p:PackageValidationBaselineVersion="$BASELINE" -p:RestoreAdditionalProjectSources="$FEED" > "$LOGS/$1.log" 2>&1
}

# 1. Compatible: a new public member.
cat > "$COPY/src/Aha.Client/ValidationProbe.cs" <<'CS'
namespace Aha.Client
{
    /// <summary>Added by build/package-validation-check.sh: a new public type is a compatible change.</summary>
    public static class ValidationProbe
    {
        /// <summary>A new member.</summary>
        public const int Added = 1;
    }
}
CS
if pack_copy compatible "ci.validation-added"; then pass "member-added-is-accepted"; else fail "member-added-is-accepted" "$LOGS/compatible.log"; fi

# 2. Breaking: AhaClient.WithRequestOptions disappears from the public surface (made internal).
rm "$COPY/src/Aha.Client/ValidationProbe.cs"
sed -i 's/public \(virtual \)\?IDisposable WithRequestOptions(/internal IDisposable WithRequestOptions(/' "$COPY/src/Aha.Client/AhaClient.Pipeline.cs"
if ! grep -q 'internal IDisposable WithRequestOptions(' "$COPY/src/Aha.Client/AhaClient.Pipeline.cs"; then
  fail "member-removed-is-an-error (the member to remove was not found)"
elif pack_copy breaking "ci.validation-removed"; then
  fail "member-removed-is-an-error (the pack succeeded)" "$LOGS/breaking.log"
elif grep -q "CP0002" "$LOGS/breaking.log" && grep -q "WithRequestOptions" "$LOGS/breaking.log"; then
  pass "member-removed-is-an-error"; grep -m1 "CP0002" "$LOGS/breaking.log" | sed 's/^ *//; s/^/    /'
else
  fail "member-removed-is-an-error (failed, but not with CP0002 for WithRequestOptions)" "$LOGS/breaking.log"
fi

# 3. Spec growth: a new optional filter and a new attribute, as Aha! documents them, regenerate a compatible client.
git -C "$ROOT" show HEAD:src/Aha.Client/AhaClient.Pipeline.cs > "$COPY/src/Aha.Client/AhaClient.Pipeline.cs"
python3 - "$COPY/openapi/aha.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
anchor = "      operationId: Features_List\n      parameters:\n"
added = anchor + ("      - name: project_status\n        in: query\n        required: false\n"
                  "        description: Added by build/package-validation-check.sh (a new optional filter).\n"
                  "        schema:\n          type: string\n")
prop_anchor = "\n    Feature:\n"   # the schema; its members (x-decision, type, description) may come in any order
assert anchor in text
text = text.replace(anchor, added, 1)
# positions after the insertion above, which moves everything below Features_List
start = text.index(prop_anchor)
props = text.index("      properties:\n", start) + len("      properties:\n")
text = text[:props] + "        validation_probe:\n          type: string\n          description: Added by build/package-validation-check.sh (a new attribute).\n" + text[props:]
open(path, "w", encoding="utf-8").write(text)
PY
if ! grep -q "name: project_status" "$COPY/openapi/aha.yaml"; then
  fail "spec-growth-is-compatible (the spec edit did not apply)"
elif pack_copy growth "ci.validation-growth" && grep -q "project_status" "$COPY/src/Aha.Client/obj/Generated/AhaClient.g.cs"; then
  pass "spec-growth-is-compatible (new query parameter + new response property)"
else
  fail "spec-growth-is-compatible" "$LOGS/growth.log"
fi

echo "package-validation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
