#!/usr/bin/env bash
# A/B of two builds of the library in one process (see Host/Program.cs): the working tree against BASE, a commit.
# Usage: benchmarks/NnSimd.AB/run.sh BASE [host options: --mnist IMAGES --rounds N --batches 1,100]
set -euo pipefail
base="${1:?usage: run.sh BASE [--mnist IMAGES] [--rounds N] [--batches 1,100]}"
shift
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null
runner="$root/benchmarks/NnSimd.AB/Runner/NnSimd.AB.Runner.csproj"
dotnet build "$runner" -c Release -o "$work/old" -p:NnSimdProject="$work/base/src/NnSimd/NnSimd.csproj" >/dev/null
dotnet build "$runner" -c Release -o "$work/new" >/dev/null
dotnet build "$root/benchmarks/NnSimd.AB/Host/NnSimd.AB.csproj" -c Release -o "$work/host" >/dev/null
dotnet "$work/host/NnSimd.AB.dll" "$work/old" "$work/new" "$@"
