#!/usr/bin/env bash
# Runs the whole benchmark suite (docs/benchmarks.md) and prints, after BenchmarkDotNet's
# tables, each target against the numbers. About 10 minutes on 2 cores. Any BenchmarkDotNet
# option may be given instead of the default "--filter *", for example:
#   benchmarks/run.sh --filter '*CallSite*'
#   benchmarks/run.sh --filter '*Trace_*' '*StaticEvent*'
# Results: BenchmarkDotNet.Artifacts/results/ at the repository's root (*.md, and targets.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- --filter '*'
# BenchmarkDotNet builds each run's host project next to the benchmark project, which it finds
# from the current directory.
cd "$root"
exec dotnet run -c Release --project benchmarks/Tracing.Benchmarks -- "$@"
