#!/usr/bin/env bash
# Consumer check: the packages as a user gets them.
#   1. packs Aha.Client and Aha.Sandbox with a version no NuGet cache has seen (0.1.0-ci.<UTC timestamp>) into the
#      local folder feed artifacts/packages, and checks the pack is warning-free;
#   2. inspects the packages: nuspec metadata and dependencies, lib/ folders, XML docs, README, symbols
#      (the test project tests/Aha.Packaging.Tests, not in Aha.Generated.sln, run with AHA_PACKAGE_DIR and
#      AHA_PACKAGE_VERSION; each of its NUnit tests counts as one test here);
#   3. restores samples/Aha.Client.Sample from that feed at exactly that version (asserted in its assets file), then
#      builds and runs it for net8.0 and net10.0 against the packed sandbox (both load the package's lib/net8.0, the
#      newest build it has), and checks its output;
#   4. runs the documented install command in a scratch project outside the repository and builds it;
#   5. installs the packed Aha.Client.Webhooks the same way into a scratch ASP.NET Core project, maps a webhook
#      endpoint with MapAhaWebhooks and runs it: Aha!'s audit event posted to the loopback server reaches the handler.
# Each other step counts as one test; the script ends with "consumer-check: N passed, N failed, N skipped" and exits
# non-zero on any failure. .ci/run calls it after the test command and adds its counts to the final line.
# Usage: build/consumer-check.sh            (AHA_PACKAGE_VERSION=... to choose the version)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PREFIX=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props | head -1)
STAMP=$(date -u +%Y%m%d%H%M%S)
VERSION=${AHA_PACKAGE_VERSION:-$PREFIX-ci.$STAMP}
SUFFIX=${VERSION#"$PREFIX"}; SUFFIX=${SUFFIX#-}
FEED=$ROOT/artifacts/packages
LOGS=$ROOT/artifacts/consumer-check/$VERSION
mkdir -p "$FEED" "$LOGS"
passed=0; failed=0; skipped=0

# step NAME COMMAND...: runs the command with its output in $LOGS/NAME.log and counts the result.
step() {
  local name=$1; shift
  local start=$SECONDS
  if "$@" > "$LOGS/$name.log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); echo "FAIL $name ($((SECONDS - start)) s); last lines of $LOGS/$name.log:"
    tail -n 40 "$LOGS/$name.log" | sed 's/^/    /'
  fi
}

echo "=== Consumer check: packages $VERSION into $FEED ==="
echo "$VERSION" > "$ROOT/artifacts/consumer-check/last-version"

pack() {   # pack PROJECT: Release, CI mode, the unique version; no warning allowed
  local log; log=$(mktemp)
  dotnet pack "$1" -c Release -o "$FEED" -p:VersionSuffix="$SUFFIX" -p:ContinuousIntegrationBuild=true 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if grep -E -q ': warning [A-Z]*[0-9]*|: warning :' "$log"; then echo "pack printed warnings"; rc=1; fi
  rm -f "$log"
  [ "$rc" -eq 0 ] && [ -f "$FEED/$(basename "$1").$VERSION.nupkg" ] && [ -f "$FEED/$(basename "$1").$VERSION.snupkg" ]
}
step pack-Aha.Client pack src/Aha.Client
step pack-Aha.Sandbox pack src/Aha.Sandbox
step pack-Aha.Client.Webhooks pack src/Aha.Client.Webhooks

# The package tests: every NUnit test of tests/Aha.Packaging.Tests joins the counts (read from dotnet test's
# "Passed!/Failed! - Failed: N, Passed: N, Skipped: N" summary); a build error or a run without a summary is a failure.
package_tests() {
  local log=$LOGS/package-tests.log start=$SECONDS rc tp tf ts
  AHA_PACKAGE_DIR="$FEED" AHA_PACKAGE_VERSION="$VERSION" \
    dotnet test tests/Aha.Packaging.Tests/Aha.Packaging.Tests.csproj > "$log" 2>&1
  rc=$?
  read -r tp tf ts < <(tr -d ',' < "$log" | awk '/^(Passed|Failed)!/ { for (i=1;i<=NF;i++) { if ($i=="Failed:") f+=$(i+1); if ($i=="Passed:") p+=$(i+1); if ($i=="Skipped:") s+=$(i+1) } }
       END { printf "%d %d %d\n", p, f, s }')
  if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; fi
  if [ "$tp" -eq 0 ] && [ "$tf" -eq 0 ]; then echo "no package test ran"; tf=1; fi
  passed=$((passed + tp)); failed=$((failed + tf)); skipped=$((skipped + ts))
  if [ "$tf" -eq 0 ]; then
    echo "PASS package-tests: $tp passed, $tf failed, $ts skipped ($((SECONDS - start)) s)"
  else
    echo "FAIL package-tests: $tp passed, $tf failed, $ts skipped ($((SECONDS - start)) s); from $log:"
    grep -E '^\s*(Failed [A-Za-z_]|Error Message:|error )' -A3 "$log" | head -n 60 | sed 's/^/    /'
    tail -n 15 "$log" | sed 's/^/    /'
  fi
}
package_tests

run_sample() {   # run_sample TFM
  local tfm=$1 out
  dotnet restore samples/Aha.Client.Sample -p:AhaPackageVersion="$VERSION" || return 1
  # The restore took the fresh package from the feed, at exactly this version.
  grep -q "\"Aha.Client/$VERSION\"" samples/Aha.Client.Sample/obj/project.assets.json || { echo "assets file does not resolve Aha.Client/$VERSION"; return 1; }
  grep -q "\"Aha.Sandbox/$VERSION\"" samples/Aha.Client.Sample/obj/project.assets.json || { echo "assets file does not resolve Aha.Sandbox/$VERSION"; return 1; }
  out=$(dotnet run --project samples/Aha.Client.Sample -c Release -f "$tfm" --no-restore -p:AhaPackageVersion="$VERSION" 2>&1); local rc=$?
  echo "$out"
  [ "$rc" -eq 0 ] || { echo "exit code $rc"; return 1; }
  echo "$out" | grep -q "^Aha.Client $VERSION+" || { echo "the sample did not run Aha.Client $VERSION"; return 1; }
  echo "$out" | grep -q "built for .NETCoreApp,Version=v${tfm#net}" || { echo "not the $tfm build"; return 1; }
  # The Aha.Client.dll that ran is the package's lib/net8.0 build, the newest it has, on .NET 8 and on .NET 10 (its own
  # TargetFramework attribute says so): not the netstandard2.0 one.
  echo "$out" | grep -q "^Aha.Client .*(library built for .NETCoreApp,Version=v8.0)" || { echo "not the package's lib/net8.0"; return 1; }
  for check in create-client first-calls paging custom-field 429-retried 429-exception; do
    echo "$out" | grep -q "^CHECK $check: ok" || { echo "check $check did not pass"; return 1; }
  done
  echo "$out" | grep -q "^SAMPLE PASSED$"
}
step sample-net8.0 run_sample net8.0
step sample-net10.0 run_sample net10.0

install_snippet() {   # the install command documented in the package README, in a project outside the repository
  local dir cmd
  cmd=$(awk '/<!-- snippet: install -->/ { f = 1; next } f && /^```/ { if (++n == 2) exit; next } f && n == 1 { print }' src/Aha.Client/PACKAGE.md)
  echo "documented install command: $cmd"
  [ "$cmd" = "dotnet add package Aha.Client" ] || { echo "unexpected install command"; return 1; }
  dir=$(mktemp -d)
  ( cd "$dir" && dotnet new console -n Scratch -o . -f net10.0 --no-restore \
    && printf '<configuration><packageSources><add key="aha-local-packages" value="%s" /></packageSources></configuration>\n' "$FEED" > nuget.config \
    && $cmd --version "$VERSION" \
    && grep -q "Include=\"Aha.Client\" Version=\"$VERSION\"" Scratch.csproj \
    && printf 'var aha = new Aha.Client.AhaClient(new Aha.Client.Configuration.AhaClientOptions { Account = "company", Token = "t" });\nSystem.Console.WriteLine(aha.Features.GetType().Name);\n' > Program.cs \
    && dotnet run )
  local rc=$?
  rm -rf "$dir"
  return $rc
}
step install-command install_snippet

webhooks_consumer() {   # a web app outside the repository that installs the packed Aha.Client.Webhooks and maps an endpoint
  local dir cmd out
  cmd=$(awk '/^```shell/ { f = 1; next } f && /^```/ { exit } f { print }' src/Aha.Client.Webhooks/PACKAGE.md)
  echo "documented install command: $cmd"
  [ "$cmd" = "dotnet add package Aha.Client.Webhooks" ] || { echo "unexpected install command"; return 1; }
  dir=$(mktemp -d)
  out=$( cd "$dir" && dotnet new web -n Hooks -o . -f net10.0 --no-restore \
    && printf '<configuration><packageSources><add key="aha-local-packages" value="%s" /></packageSources></configuration>\n' "$FEED" > nuget.config \
    && $cmd --version "$VERSION" \
    && grep -q "Include=\"Aha.Client.Webhooks\" Version=\"$VERSION\"" Hooks.csproj \
    && cat > Program.cs <<'CS'
using System.Text;
using Aha.Client;
using Aha.Client.Webhooks;

// A user's web app: the endpoint of the package README, then Aha!'s audit event posted to itself.
const string secret = "consumer-check-0123456789-abcdef";
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddAhaWebhooks();
var received = new TaskCompletionSource<AhaChange>(TaskCreationOptions.RunContinuationsAsynchronously);
var app = builder.Build();
app.MapAhaWebhooks("/hooks/aha", o => o.Secret = secret, (change, ct) => { received.TrySetResult(change); return Task.CompletedTask; });
await app.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
const string audit = """{"event":"audit","audit":{"id":"6776757454436663266","audit_action":"update","created_at":"2019-01-01T00:00:00.000Z","auditable_type":"feature","auditable_id":1007868956,"changes":[{"field_name":"Name","value":"Renamed"}]}}""";
using var refused = await http.PostAsync("/hooks/aha/not-the-secret-0123456789", new StringContent(audit, Encoding.UTF8, "application/json"));
Console.WriteLine($"wrong secret: {(int)refused.StatusCode}");
using var answer = await http.PostAsync("/hooks/aha/" + secret, new StringContent(audit, Encoding.UTF8, "application/json"));
Console.WriteLine($"with the secret: {(int)answer.StatusCode}");
var change = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"WEBHOOK {change.Action} {change.RecordType} {change.RecordId}");
await app.StopAsync();
CS
    dotnet run 2>&1 )
  local rc=$?
  echo "$out"
  rm -rf "$dir"
  [ "$rc" -eq 0 ] || { echo "exit code $rc"; return 1; }
  echo "$out" | grep -q "^wrong secret: 404$" || { echo "a wrong secret was not refused with 404"; return 1; }
  echo "$out" | grep -q "^with the secret: 200$" || { echo "the event was not acknowledged with 200"; return 1; }
  echo "$out" | grep -q "^WEBHOOK Update feature 1007868956$" || { echo "the handler did not get the change"; return 1; }
}
step webhooks-consumer webhooks_consumer

echo "consumer-check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
