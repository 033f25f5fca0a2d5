#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS: one AFL++ campaign over one parser (targets: fuzz/NnSimd.Fuzz/FuzzTargets.cs).
# Builds the harness, instruments NnSimd (and the ONNX reader) with SharpFuzz, fuzzes from fuzz/corpus/TARGET,
# then copies any crash to fuzz/crashes/TARGET, where the replay test runs it, and prints the campaign's figures.
# A crash is any exception but NnSimd's format exception, a run over 1 s, or more than 512 MB of managed heap.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: fuzz/run.sh TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
cd "$(dirname "$0")"
fuzz=$(pwd)

if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++
fi

# Built and instrumented afresh each time, so a campaign always runs the code as it is now.
bin="$fuzz/build/bin-$target"
rm -rf "$bin"
dotnet tool restore
dotnet publish NnSimd.Fuzz/NnSimd.Fuzz.csproj -c Release -o "$bin"
for assembly in NnSimd.dll NnSimd.Onnx.dll Google.Protobuf.dll; do
  dotnet tool run sharpfuzz "$bin/$assembly"
done

findings="$fuzz/build/findings/$target"
rm -rf "$findings"
mkdir -p "$findings" "$fuzz/build/scratch"
# The managed heap is capped, so that a size taken on trust from a header shows as a crash, not as a machine
# out of memory; AFL's own memory limit would count the runtime's address-space reservations instead.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
DOTNET_GCHeapHardLimit=0x20000000 NNSIMD_FUZZ_SCRATCH="$fuzz/build/scratch" \
  afl-fuzz -i "corpus/$target" -o "$findings" -t 1000 -m none -V "$seconds" -- dotnet "$bin/NnSimd.Fuzz.dll" "$target" >"$findings.log" 2>&1 || {
    tail -n 30 "$findings.log" >&2
    exit 1
  }

stats="$findings/default/fuzzer_stats"
crashes=$(find "$findings/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -name 'id:*' 2>/dev/null | wc -l)
if [ "$crashes" -gt 0 ]; then
  mkdir -p "crashes/$target"
  for f in "$findings"/default/crashes/id:*; do
    cp "$f" "crashes/$target/$(sha1sum "$f" | cut -c1-16)"
  done
fi
# What the campaign kept (AFL keeps an input only for coverage no earlier one had) joins the committed corpus,
# named by content so that reruns add nothing twice (inputs over 64 KB stay out of git); afl-cmin then keeps
# the fewest inputs with the same coverage; make_corpus.py's seeds (the names with an extension) always stay.
for f in "$findings"/default/queue/id:*; do
  # orig: entries are the corpus's own files, linked into the queue by AFL.
  if [[ "$f" != *,orig:* ]] && [ "$(stat -c %s "$f")" -le 65536 ]; then
    cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
  fi
done
rm -rf "$findings.cmin"
AFL_SKIP_BIN_CHECK=1 DOTNET_GCHeapHardLimit=0x20000000 NNSIMD_FUZZ_SCRATCH="$fuzz/build/scratch" \
  afl-cmin -i "corpus/$target" -o "$findings.cmin" -t 2000 -m none -- "$(readlink -f "$(command -v dotnet)")" "$bin/NnSimd.Fuzz.dll" "$target" >"$findings.cmin.log" 2>&1
if [ -n "$(ls -A "$findings.cmin")" ]; then
  for seed in "corpus/$target"/*.*; do
    # afl-cmin links the inputs it keeps, so a kept seed is already there.
    if [ ! -e "$findings.cmin/$(basename "$seed")" ]; then
      cp "$seed" "$findings.cmin/"
    fi
  done
  rm -rf "corpus/$target"
  cp -r "$findings.cmin" "corpus/$target"
fi
field() { sed -nE "s/^$1 *: *(.*)$/\1/p" "$stats"; }
echo "$target: $(field execs_done) executions in $(field run_time) s, $(field corpus_count) inputs kept, coverage $(field bitmap_cvg), $crashes crashes, $hangs hangs"
