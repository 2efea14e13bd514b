#!/bin/sh
# Builds a libFuzzer corpus for fuzz_feed from the seed documents, in OUTDIR
# (a temporary directory: seed files are never copied into the repository).
# Each entry is 3 control bytes (see tl_fuzz_one in tests/c/pb_testlib.h)
# followed by a document: every seed whole, and 3.5 KB slices of every seed,
# in UTF-8, GB18030 and UTF-16LE, with assorted chunk plans and paddings; the
# same for the seeds rendered as HTML tables and tight space-aligned text.
# Usage: seed_corpus.sh SEEDS_DIR OUTDIR [REGRESSIONS_DIR]
set -eu
seeds=$1
out=$2
regs=${3:-}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
entry() { # flags byte1 file
    i=$((i + 1))
    { printf "\\$(printf %03o "$1")\\$(printf %03o "$2")\\001"; cat "$3"; } > "$out/seed_$i"
}
# the seeds as HTML table rows and as tight space-aligned text, when Python is at hand
python3 "$(dirname "$0")/render_seeds.py" "$seeds" "$tmp" 2>/dev/null || true
for f in "$seeds"/*.txt "$tmp"/*.html.txt "$tmp"/*.tight.txt; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .txt)
    iconv -f UTF-8 -t GB18030 "$f" > "$tmp/$b.gb" 2>/dev/null || continue
    iconv -f UTF-8 -t UTF-16LE "$f" > "$tmp/$b.u16"
    entry 0 0 "$f"          # whole, decided by the probe
    entry 1 1 "$f"          # one cut, streamed UTF-8
    entry 71 1 "$f"         # gzip, pseudo-random chunks
    entry 3 2 "$tmp/$b.gb"  # GB18030 streamed, chunks of 2
    entry 5 3 "$tmp/$b.u16" # UTF-16LE streamed, chunks of 7
    split -b 3500 "$f" "$tmp/$b.slice."
done
k=0
for s in "$tmp"/*.slice.*; do
    k=$((k + 1))
    entry $(( (k * 37) % 256 )) $(( k % 2 )) "$s"
    iconv -f UTF-8 -t GB18030 -c "$s" > "$s.gb" 2>/dev/null || true
    entry $(( (k * 53) % 64 )) 2 "$s.gb"
done
if [ -n "$regs" ] && [ -d "$regs" ]; then
    for r in "$regs"/*; do [ -f "$r" ] && cp "$r" "$out/"; done
fi
echo "$i corpus entries in $out"
