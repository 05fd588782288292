#!/usr/bin/env bash
# Copies the small record of a finished run into docs/runs/<run-id>/ so that the numbers the docs quote can be opened:
# manifest.json, tables.md, the aggregated (tidy) and derived CSVs and the figures' data (no Parquet, no raw rows, no
# PNG);
# a CSV above ENGRAM_RECORD_MAX_KB (default 1024) is left out and named in omitted.txt with its size.
#   deploy/record-run.sh <run folder> [<name>]     e.g. deploy/record-run.sh results/rnn.reinforcement/20261205-…
set -euo pipefail
run="${1:?usage: deploy/record-run.sh <run folder> [<name>]}"
name="${2:-$(basename "$run")}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/docs/runs/$name"
[ -f "$run/manifest.json" ] || { echo "no manifest.json in $run" >&2; exit 2; }
rm -rf "$dest"
mkdir -p "$dest"
cp "$run/manifest.json" "$run/tables.md" "$dest/"
for sub in aggregated derived plots; do
  if [ -d "$run/$sub" ]; then
    mkdir -p "$dest/$sub"
    for f in "$run/$sub"/*.csv; do
      [ -e "$f" ] || continue
      case "$f" in *.wide.csv) continue ;; esac # the tidy table holds the same numbers
      kb=$(( $(stat -c %s "$f") / 1024 ))
      if [ "$kb" -gt "${ENGRAM_RECORD_MAX_KB:-1024}" ]; then
        echo "$sub/$(basename "$f") $kb KB" >> "$dest/omitted.txt"
      else
        cp "$f" "$dest/$sub/"
      fi
    done
  fi
done
# the machine's paths become placeholders: a record carries no absolute path of the machine it ran on
python3 - "$dest" "$run" "$root" <<'PY'
import os, sys
dest, run, root = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
output_root = os.path.dirname(os.path.dirname(run))
# the checkout the run ran from (its datasets' root is <checkout>/data), which need not be this one
import json
checkouts = set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "root" and isinstance(v, str) and v.startswith("/") and os.path.basename(v) == "data":
                checkouts.add(os.path.dirname(v))
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(json.load(open(os.path.join(dest, "manifest.json"), encoding="utf-8")))
for folder, _, files in os.walk(dest):
    for f in files:
        p = os.path.join(folder, f)
        text = open(p, encoding="utf-8").read()
        pairs = [(output_root, "<output>"), (root, "<repository>")] + [(c, "<repository>") for c in sorted(checkouts)]
        for path, stand_in in pairs + [(os.path.expanduser("~"), "<home>")]:
            text = text.replace("file:" + path, stand_in).replace(path, stand_in)
        open(p, "w", encoding="utf-8").write(text)
PY
du -sh "$dest"
