#!/usr/bin/env bash
# The whole MesFast test suite, from a fresh clone. Installs what it needs, builds with zero warnings
# allowed, runs every test project, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

# b3sum is the reference for the BLAKE3 differential test; NativeAOT links with clang (or gcc) and zlib.
need=()
command -v b3sum >/dev/null 2>&1 || need+=(b3sum)
{ command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; } || need+=(clang)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build MesFast.sln -c Release -warnaserror -nologo -v q

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test MesFast.sln -c Release --no-build --nologo -v q --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

# NativeAOT: publish mesd and mes (zero warnings allowed) and run the process tests again against the binaries,
# so FASTER's checkpoint/recovery paths, Kestrel and libsodium are exercised in the AOT build itself.
aot=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$aot"' EXIT
dotnet publish src/MesFast.Node -c Release -warnaserror -nologo -v q -o "$aot/mesd"
dotnet publish src/MesFast.Cli -c Release -warnaserror -nologo -v q -o "$aot/mes"
MESFAST_MESD="$aot/mesd/mesd" MESFAST_MES="$aot/mes/mes" \
  dotnet test tests/MesFast.Node.Tests -c Release --no-build --nologo -v q --logger "console;verbosity=minimal" --filter "FullyQualifiedName~Process" 2>&1 | tee -a "$log" || status=$?

passed=0; failed=0
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\),.*/\1 \2/p' "$log")
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
