#!/usr/bin/env bash
# Chart render benchmark: Isobar (bench_chart_render) against matplotlib (Agg) drawing the same
# charts from the same data file, same run.
#
#   bench/run-charts.sh                          # BUILD_DIR=build, 50 renders each, ~4 minutes
#   RUNS=20 TYPES=waffle,heatmap bench/run-charts.sh
#
# All 8 chart types, PNG and SVG, 515x220 and 1200x600. chart_render_matplotlib.py writes the
# data (365 daily points for the line and stacked charts, 19 age bands for the bar chart,
# 52 weeks x 19 age bands for the heatmap, three percentages for the waffle); both sides read
# it. A render is what one request costs: build the chart, paint it, encode the bytes, free it.
# Prints p50/p99 in ms of each side (for Isobar PNG also the p50 of build + paint, the GUI
# thread's share, and of the encode), the ratio matplotlib p50 / Isobar p50 per chart (target:
# at least 3) and charts/s of one render thread. Output in bench/out/charts/ (git-ignored).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BENCH="$BUILD_DIR/bin/bench_chart_render"
RUNS="${RUNS:-50}"
WARMUP="${WARMUP:-3}"
TYPES="${TYPES:-}"
# Debian's interpreter: python3-matplotlib installs there, whatever python3 comes first on PATH.
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT="$ROOT/bench/out/charts"

[ -x "$BENCH" ] || { echo "missing $BENCH: build first (BUILD_DIR=$BUILD_DIR)" >&2; exit 2; }
"$PYTHON" -c 'import matplotlib' 2>/dev/null \
    || { echo "missing matplotlib for $PYTHON (apt-get install python3-matplotlib)" >&2; exit 2; }
# The last render of each chart from both sides lands in $OUT/images, to check they draw alike.
mkdir -p "$OUT/images"

DATA="$OUT/data.json"
"$PYTHON" "$ROOT/bench/chart_render_matplotlib.py" --write-data "$DATA"

echo "charts: $RUNS renders per type/format/size after $WARMUP warm-up, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "isobar ..."
"$BENCH" --data "$DATA" --out "$OUT/isobar.tsv" --runs "$RUNS" --warmup "$WARMUP" \
    --save "$OUT/images" ${TYPES:+--types "$TYPES"} 2>"$OUT/isobar.log"
echo "matplotlib $("$PYTHON" -c 'import matplotlib; print(matplotlib.__version__)') ..."
"$PYTHON" "$ROOT/bench/chart_render_matplotlib.py" --data "$DATA" --out "$OUT/matplotlib.tsv" \
    --runs "$RUNS" --warmup "$WARMUP" --save "$OUT/images" ${TYPES:+--types "$TYPES"} \
    2>"$OUT/matplotlib.log"

"$PYTHON" - "$OUT/isobar.tsv" "$OUT/matplotlib.tsv" <<'EOF' | tee "$OUT/result.txt"
import sys

def load(path):
    rows = {}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        rows[(f[0], f[1], f"{f[2]}x{f[3]}")] = {
            "runs": int(f[4]), "p50": float(f[5]), "p99": float(f[6]), "mean": float(f[7]),
            "bytes": int(f[8]), "paint": f[9] if len(f) > 9 else "", "encode": f[10] if len(f) > 10 else ""}
    return rows

iso, mpl = load(sys.argv[1]), load(sys.argv[2])
head = (f"{'type':26} {'fmt':4} {'size':9} | {'isobar p50':>10} {'p99':>7} {'build':>6} {'encode':>6}"
        f" {'charts/s':>8} | {'mpl p50':>8} {'p99':>7} {'charts/s':>8} | {'ratio':>6}  >=3x")
print(head)
print("-" * len(head))
met = 0
groups = {}
for key, a in iso.items():
    b = mpl[key]
    ratio = b["p50"] / a["p50"]
    met += ratio >= 3
    g = groups.setdefault(key[1:], [0.0, 0.0, 0])
    g[0] += a["mean"]; g[1] += b["mean"]; g[2] += 1
    print(f"{key[0]:26} {key[1]:4} {key[2]:9} | {a['p50']:10.2f} {a['p99']:7.2f} {a['paint'] or '-':>6}"
          f" {a['encode'] or '-':>6} {1000 / a['mean']:8.1f} | {b['p50']:8.2f} {b['p99']:7.2f}"
          f" {1000 / b['mean']:8.1f} | {ratio:6.2f}  {'yes' if ratio >= 3 else 'NO'}")
print()
print("charts/s, one render thread, every chart type in turn (1000 / mean of the types' means):")
total = [0.0, 0.0, 0]
for (fmt, size), (a, b, n) in groups.items():
    total[0] += a; total[1] += b; total[2] += n
    print(f"  {fmt:4} {size:9}: isobar {1000 * n / a:7.1f}  matplotlib {1000 * n / b:6.1f}  ratio {b / a:5.2f}")
print(f"  all           : isobar {1000 * total[2] / total[0]:7.1f}  matplotlib "
      f"{1000 * total[2] / total[1]:6.1f}  ratio {total[1] / total[0]:5.2f}")
print(f"target (matplotlib p50 / isobar p50 >= 3 per chart): met for {met} of {len(iso)}")
EOF
