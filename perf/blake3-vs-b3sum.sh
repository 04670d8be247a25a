#!/usr/bin/env bash
# Single-thread BLAKE3 throughput: MesFast (bench --hash-file, memory-mapped, hashing time only) vs Debian b3sum
# (--num-threads 1, wall time of the process, which memory-maps the file too) on one random file.
# Usage: perf/blake3-vs-b3sum.sh [MiB=256] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-256}
RUNS=${2:-5}
command -v b3sum >/dev/null || { echo "b3sum missing: apt-get install b3sum" >&2; exit 1; }

dotnet build bench/MesFast.Bench -c Release -v q -nologo >/dev/null
DLL=bench/MesFast.Bench/bin/Release/net10.0/MesFast.Bench.dll

DIR=$(mktemp -d /dev/shm/blake3-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$DIR"' EXIT
FILE=$DIR/input.bin
head -c $((MIB * 1024 * 1024)) /dev/urandom >"$FILE"
BYTES=$(stat -c %s "$FILE")

ours=(); theirs=(); warm=()
expected=$(b3sum --num-threads 1 --no-names "$FILE")
for ((i = 0; i < RUNS; i++)); do
  start=$(date +%s%N)
  got=$(b3sum --num-threads 1 --no-names "$FILE")
  end=$(date +%s%N)
  [[ "$got" == "$expected" ]] || { echo "b3sum unstable?" >&2; exit 1; }
  theirs+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.6f", ns / 1e9 }')")

  # Two passes in one process: the first maps the file cold (page faults, like each b3sum run), the second is warm.
  mapfile -t lines < <(DOTNET_TieredCompilation=0 dotnet "$DLL" --hash-file "$FILE" --runs 2)
  read -r hash seconds <<<"${lines[0]}"; read -r hash2 warm_seconds <<<"${lines[1]}"
  [[ "$hash" == "$expected" && "$hash2" == "$expected" ]] || { echo "HASH MISMATCH: ours $hash, b3sum $expected" >&2; exit 1; }
  ours+=("$seconds"); warm+=("$warm_seconds")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
m_ours=$(median "${ours[@]}"); m_theirs=$(median "${theirs[@]}")
gibs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.2f", b / s / 1073741824 }'; }
echo "file: $MIB MiB, $RUNS runs each (alternated), hashes equal: $expected"
echo "b3sum  seconds: ${theirs[*]}"
echo "ours   seconds: ${ours[*]}"
echo "b3sum  median: $(gibs "$m_theirs") GiB/s"
echo "ours   median: $(gibs "$m_ours") GiB/s (cold mapping, comparable to b3sum)"
echo "ours   median: $(gibs "$(median "${warm[@]}")") GiB/s (second pass over the warm mapping: hashing only)"
awk -v o="$m_ours" -v t="$m_theirs" 'BEGIN { printf "ratio ours/b3sum: %.2f\n", t / o }'
