#!/usr/bin/env bash
# Prints the JIT's final (tier-1) x64 code of methods of the woven benchmark subject, as the
# benchmarks run it. By default, Tracepoints.LoneDisabledCall: one disabled trace call alone,
#   static int LoneDisabledCall(string name, int n) { TraceOff(name, n); return n + 1; }
# Other methods, by name: benchmarks/disasm.sh Disabled EmptyLoop DisabledExpensiveArgument
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- LoneDisabledCall
dotnet build "$here/Tracing.Benchmarks" -c Release -nologo -v quiet >/dev/null
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
# DOTNET_JitDisasm prints every compilation of the named methods (tier 0, then tier 1) once the
# driver has called them often enough for the tiered JIT to optimize them.
DOTNET_JitDisasm="$*" DOTNET_JitStdOutFile="$listing" \
    dotnet "$here/Tracing.Benchmarks/bin/Release/net10.0/Tracing.Benchmarks.dll" --disasm-driver
# Keep each method's tier-1 listing only.
awk '/^; Assembly listing for method / { keep = ($0 ~ /\(Tier1\)$/) } keep' "$listing"
