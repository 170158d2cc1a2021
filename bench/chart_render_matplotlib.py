#!/usr/bin/env python3
"""Chart render reference: the charts bench_chart_render draws, drawn by matplotlib (Agg).

  chart_render_matplotlib.py --write-data FILE        writes the data both sides read
  chart_render_matplotlib.py --data FILE --out TSV [--save DIR]
                                                      times every chart type, format and size

Each render builds a fresh Figure and saves it to memory, as a server answering one request
would; the Isobar side likewise builds a fresh scene per render. Output rows match
bench_chart_render's: type, format, width, height, runs, p50, p99, mean (ms), bytes.
"""

import argparse
import datetime as dt
import io
import json
import math
import random
import sys
import time

TYPES = [
    "simple_line",
    "line_with_shaded_section",
    "line_multi_coloured",
    "line_single_simplified",
    "bar",
    "stacked_bar",
    "waffle",
    "heatmap",
]
SIZES = [(515, 220), (1200, 600)]
FORMATS = ["png", "svg"]

# The UKHSA palette entries the data file names (charts/ChartPalette.cpp).
PALETTE = {
    "COLOUR_1_DARK_BLUE": (18, 67, 109),
    "COLOUR_2_TURQUOISE": (40, 161, 151),
    "COLOUR_3_DARK_PINK": (128, 22, 80),
    "COLOUR_4_ORANGE": (244, 106, 37),
    "TREND_LINE_NEGATIVE": (171, 43, 23),
    "TREND_LINE_NEUTRAL": (56, 63, 67),
}

AGES = [
    "00-04", "05-09", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
]


def write_data(path):
    # Fixed seed: both sides and every run draw the same charts.
    rng = random.Random(6)
    first = dt.date(2025, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(365)]

    def daily_cases(scale, phase):
        # A winter wave and a smaller summer one, weekday reporting dips and noise: the shape
        # of COVID-19_cases_casesByDay, which keeps line paths from collapsing to straight runs.
        values = []
        for i, d in enumerate(days):
            wave = 1 + 0.8 * math.exp(-((i - 20 - phase) / 40) ** 2) \
                + 0.5 * math.exp(-((i - 220 - phase) / 30) ** 2)
            weekday = 0.55 if d.weekday() >= 5 else 1.0
            values.append(round(scale * wave * weekday * rng.uniform(0.85, 1.15)))
        return values

    def iso(dates):
        return [d.isoformat() for d in dates]

    cases = daily_cases(2400, 0)
    delay = [i >= 365 - 14 for i in range(365)]
    charts = {
        "simple_line": [{"metric": "COVID-19_cases_casesByDay", "dates": iso(days),
                         "values": cases}],
        "line_with_shaded_section": [{"metric": "COVID-19_cases_casesByDay",
                                      "dates": iso(days), "values": cases, "delay": delay}],
        "line_multi_coloured": [
            {"metric": "COVID-19_cases_casesByDay", "label": "England",
             "colour": "COLOUR_1_DARK_BLUE", "dates": iso(days), "values": cases},
            {"metric": "COVID-19_cases_casesByDay", "label": "London",
             "colour": "COLOUR_4_ORANGE", "dashed": True, "dates": iso(days),
             "values": daily_cases(420, 10)},
        ],
        "line_single_simplified": [{"metric": "COVID-19_cases_casesByDay",
                                    "dates": iso(days), "values": cases}],
        # Cases by age band on one day: the 19 five-year bands UKHSA publishes.
        "bar": [{"metric": "COVID-19_cases_casesByAge", "colour": "COLOUR_1_DARK_BLUE",
                 "dates": [days[-1].isoformat()] * len(AGES), "categories": AGES,
                 "values": [round(300 * (0.4 + (a / 18) ** 2) * rng.uniform(0.8, 1.2))
                            for a in range(len(AGES))]}],
        "stacked_bar": [
            {"metric": "COVID-19_vaccinations_autumn24_dailyByDay", "label": "First dose",
             "colour": "COLOUR_1_DARK_BLUE", "dates": iso(days),
             "values": daily_cases(900, 40)},
            {"metric": "COVID-19_vaccinations_autumn24_dailyByDay", "label": "Booster",
             "colour": "COLOUR_2_TURQUOISE", "dates": iso(days),
             "values": daily_cases(1500, 60)},
        ],
        # Uptake in three groups, descending, as the waffle requires.
        "waffle": [
            {"metric": "COVID-19_vaccinations_spring24_uptakeByDay", "label": "75+",
             "colour": "COLOUR_1_DARK_BLUE", "dates": [days[-1].isoformat()],
             "values": [82.4]},
            {"metric": "COVID-19_vaccinations_spring24_uptakeByDay", "label": "65-74",
             "colour": "COLOUR_2_TURQUOISE", "dates": [days[-1].isoformat()],
             "values": [61.7]},
            {"metric": "COVID-19_vaccinations_spring24_uptakeByDay", "label": "Care homes",
             "colour": "COLOUR_3_DARK_PINK", "dates": [days[-1].isoformat()],
             "values": [23.9]},
        ],
    }
    # Weekly rate per 100,000 by age band over the year: 52 weeks x 19 bands, a few cells
    # missing (suppressed small counts), as the heatmap's empty cells are meant for.
    weeks = [first + dt.timedelta(days=7 * w) for w in range(52)]
    heat_dates, heat_ages, heat_values = [], [], []
    for w, week in enumerate(weeks):
        for a, age in enumerate(AGES):
            if rng.random() < 0.02:
                continue
            wave = 1 + 1.5 * math.exp(-((w - 3) / 6) ** 2) + 0.8 * math.exp(-((w - 32) / 5) ** 2)
            heat_dates.append(week.isoformat())
            heat_ages.append(age)
            heat_values.append(round(20 * wave * (0.5 + (a / 18) ** 1.5) * rng.uniform(0.9, 1.1), 1))
    charts["heatmap"] = [{"metric": "COVID-19_cases_rateRollingMean", "dates": heat_dates,
                          "categories": heat_ages, "values": heat_values}]
    with open(path, "w") as f:
        json.dump({"charts": charts}, f)


def rgb(name, default="COLOUR_1_DARK_BLUE"):
    r, g, b = PALETTE[name or default]
    return (r / 255, g / 255, b / 255)


def prepare(charts):
    """Parses dates once, as the Isobar side builds its dataset once: only drawing is timed."""
    out = {}
    for kind, plots in charts.items():
        prepared = []
        for p in plots:
            q = dict(p)
            q["dates"] = [dt.date.fromisoformat(d) for d in p["dates"]]
            prepared.append(q)
        out[kind] = prepared
    return out


def draw(fig, kind, plots, mdates, np):
    neutral = rgb("TREND_LINE_NEUTRAL")
    if kind == "simple_line":
        ax = fig.add_axes([0, 0, 1, 1])
        p = plots[0]
        ax.fill_between(p["dates"], p["values"], 0, color=rgb(None), alpha=0.3, linewidth=0)
        ax.plot(p["dates"], p["values"], color=rgb(None), linewidth=1.5)
        ax.set_axis_off()
    elif kind == "line_with_shaded_section":
        ax = fig.add_subplot()
        p = plots[0]
        d, v = p["dates"], p["values"]
        recent = 7
        # Isobar fills under the neutral part too.
        ax.fill_between(d[:-recent + 1], v[:-recent + 1], 0, color=neutral, alpha=0.1,
                        linewidth=0)
        ax.plot(d[:-recent + 1], v[:-recent + 1], color=neutral, linewidth=1.5)
        ax.fill_between(d[-recent:], v[-recent:], 0, color=rgb("TREND_LINE_NEGATIVE"), alpha=0.4)
        ax.plot(d[-recent:], v[-recent:], color=rgb("TREND_LINE_NEGATIVE"), linewidth=1.5)
        delayed = [x for x, flag in zip(d, p["delay"]) if flag]
        ax.axvspan(delayed[0], delayed[-1], color=(0.85, 0.85, 0.85), alpha=0.6, linewidth=0)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.spines[["top", "right"]].set_visible(False)
    elif kind == "line_multi_coloured":
        ax = fig.add_subplot()
        for p in plots:
            ax.plot(p["dates"], p["values"], color=rgb(p.get("colour")), linewidth=1.5,
                    linestyle="--" if p.get("dashed") else "-", label=p.get("label"))
        ax.legend(loc="upper right", frameon=False)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.spines[["top", "right"]].set_visible(False)
    elif kind == "line_single_simplified":
        ax = fig.add_subplot()
        p = plots[0]
        d, v = p["dates"], p["values"]
        ax.plot(d, v, color=rgb(None), linewidth=1.5)
        ax.annotate(f"{v[0]:,}", (d[0], v[0]), textcoords="offset points", xytext=(0, 6),
                    ha="left")
        ax.annotate(f"{v[-1]:,}", (d[-1], v[-1]), textcoords="offset points", xytext=(0, 6),
                    ha="right")
        ax.set_xticks([d[0], d[-1]])
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        ax.set_yticks([])
        ax.spines[["top", "right", "left"]].set_visible(False)
    elif kind == "bar":
        ax = fig.add_subplot()
        p = plots[0]
        ax.bar(p["categories"], p["values"], color=rgb(p.get("colour")))
        ax.tick_params(axis="x", labelrotation=45)
        ax.spines[["top", "right"]].set_visible(False)
    elif kind == "stacked_bar":
        ax = fig.add_subplot()
        bottom = np.zeros(len(plots[0]["values"]))
        for p in plots:
            values = np.asarray(p["values"], dtype=float)
            ax.bar(p["dates"], values, bottom=bottom, width=1.0, color=rgb(p.get("colour")),
                   label=p.get("label"), linewidth=0)
            bottom += values
        ax.legend(loc="upper right", frameon=False)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.spines[["top", "right"]].set_visible(False)
    elif kind == "waffle":
        # 10 x 10 cells; each percentage colours its share of cells, the smaller ones layered
        # over the larger, as the Isobar waffle does. pcolormesh draws the grid in one call.
        ax = fig.add_axes([0, 0, 0.6, 1])
        from matplotlib.colors import ListedColormap
        grid = np.zeros((10, 10))
        for layer, p in enumerate(plots, start=1):
            filled = int(round(p["values"][0]))
            for cell in range(filled):
                grid[9 - cell // 10, cell % 10] = layer
        colours = [(0.9, 0.9, 0.9)] + [rgb(p.get("colour")) for p in plots]
        ax.pcolormesh(grid, cmap=ListedColormap(colours), vmin=0, vmax=len(plots),
                      edgecolors="white", linewidth=2)
        ax.set_aspect("equal")
        ax.set_axis_off()
        # The legend Isobar draws beside the grid: percentage and label per layer.
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(color=rgb(p.get("colour")),
                                 label=f"{p['values'][0]}% {p.get('label', '')}")
                           for p in plots], loc="upper left", bbox_to_anchor=(1, 1),
                  frameon=False)
    elif kind == "heatmap":
        ax = fig.add_subplot()
        p = plots[0]
        dates = sorted(set(p["dates"]))
        ages = sorted(set(p["categories"]), key=AGES.index)
        grid = np.full((len(ages), len(dates)), np.nan)
        column = {d: i for i, d in enumerate(dates)}
        row = {a: i for i, a in enumerate(ages)}
        for d, a, v in zip(p["dates"], p["categories"], p["values"]):
            grid[row[a], column[d]] = v
        mesh = ax.pcolormesh(np.ma.masked_invalid(grid), cmap="Blues")
        ax.invert_yaxis()  # youngest band on top, as Isobar draws it
        ax.set_yticks(np.arange(len(ages)) + 0.5, ages)
        step = max(1, len(dates) // 6)
        ax.set_xticks(np.arange(0, len(dates), step) + 0.5,
                      [d.strftime("%d %b") for d in dates[::step]])
        fig.colorbar(mesh, ax=ax)
    else:
        raise ValueError(kind)


def percentile(sorted_ms, q):
    # Nearest rank, as bench_chart_render computes it.
    k = max(0, min(len(sorted_ms) - 1, math.ceil(q * len(sorted_ms)) - 1))
    return sorted_ms[k]


def run(args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # The same font family as Isobar (DejaVu Sans is also matplotlib's default).
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    # Text stays <text> in SVG, as in QSvgGenerator output (and cheaper than outlined glyphs).
    matplotlib.rcParams["svg.fonttype"] = "none"

    with open(args.data) as f:
        charts = prepare(json.load(f)["charts"])
    types = args.types.split(",") if args.types else TYPES
    rows = []
    for width, height in SIZES:
        for fmt in FORMATS:
            for kind in types:
                def once(save=None):
                    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
                    FigureCanvasAgg(fig)
                    draw(fig, kind, charts[kind], mdates, np)
                    buffer = io.BytesIO()
                    fig.savefig(buffer, format=fmt, dpi=100)
                    if save:
                        with open(save, "wb") as f:
                            f.write(buffer.getbuffer())
                    return buffer.getbuffer().nbytes

                size = 0
                for _ in range(args.warmup):
                    size = once()
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    once()
                    times.append((time.perf_counter() - start) * 1000)
                if args.save:
                    once(f"{args.save}/matplotlib-{kind}-{width}x{height}.{fmt}")
                times.sort()
                rows.append((kind, fmt, width, height, args.runs, percentile(times, 0.5),
                             percentile(times, 0.99), sum(times) / len(times), size))
                print(f"matplotlib {kind:26} {fmt} {width}x{height}: p50 {rows[-1][5]:.2f} ms",
                      file=sys.stderr, flush=True)
    with open(args.out, "w") as f:
        for r in rows:
            f.write("\t".join(str(x) if not isinstance(x, float) else f"{x:.3f}" for x in r))
            f.write("\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-data")
    parser.add_argument("--data")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--types", default="")
    # The last render of each chart goes here, to compare with Isobar's.
    parser.add_argument("--save")
    args = parser.parse_args()
    if args.write_data:
        write_data(args.write_data)
        return
    if not (args.data and args.out):
        parser.error("--data and --out are required")
    run(args)


if __name__ == "__main__":
    main()
