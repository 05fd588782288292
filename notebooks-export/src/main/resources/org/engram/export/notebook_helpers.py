# Engram run notebook helpers: load the run's tables, redraw its figures from their data files.
import json
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

with open(os.path.join(run_dir, "manifest.json"), encoding="utf-8") as fh:
    manifest = json.load(fh)
tables = {}
figures = {}


def read_table(path):
    """A run table (CSV): 'NaN' is missing, an empty text cell stays an empty string."""
    return pd.read_csv(os.path.join(run_dir, path), keep_default_na=False, na_values=["NaN"],
                       true_values=["true"], false_values=["false"])


def _ticks(integer=False):
    """At most 8 ticks at 1, 2, 2.5 or 5 times a power of ten (whole numbers for whole quantities)."""
    return MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10], integer=integer)


def _every(n, most=8):
    """Indices of at most `most` evenly spaced ticks among n categories."""
    step = max(1, int(np.ceil(n / most)))
    return list(range(0, n, step))


def _positions(values, grid, log):
    """Where values fall on a categorical axis whose cell centres are 0, 1, ... at grid: linear (in log, on a log
    axis) between centres and beyond the first and last cell by their neighbour's step; a value outside the axes
    (beyond the outer cells' edges at -0.5 and n - 0.5) is NaN, so no line is drawn where the heatmap has no cell."""
    v, g = np.asarray(values, dtype=float), np.asarray(grid, dtype=float)
    if log:
        v, g = np.log(v), np.log(g)
    n = len(g)
    if n == 1:
        return np.where(v == g[0], 0.0, np.nan)
    p = np.interp(v, g, np.arange(n))
    low, high = v < g[0], v > g[-1]
    p[low] = (v[low] - g[0]) / (g[1] - g[0])
    p[high] = n - 1 + (v[high] - g[-1]) / (g[-1] - g[-2])
    p[(p < -0.5) | (p > n - 0.5)] = np.nan
    return p


def _heatmap(spec, fig, ax):
    m = pd.read_csv(os.path.join(run_dir, spec["matrix"]), index_col=0)
    xs = m.columns.astype(float).to_numpy()
    ys = m.index.astype(float).to_numpy()
    z = np.ma.masked_invalid(m.to_numpy(dtype=float))
    mesh = ax.pcolormesh(np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5, z, cmap="viridis",
                         shading="flat")
    bar = fig.colorbar(mesh, ax=ax, label=spec["z_label"])
    bar.locator = _ticks()
    bar.update_ticks()
    cells = read_table(spec["data"])
    middle = (np.nanmin(z) + np.nanmax(z)) / 2 if z.count() else 0
    for row in cells[cells["label"] != ""].itertuples():
        c, r = int(np.argmin(np.abs(xs - row.x))), int(np.argmin(np.abs(ys - row.y)))
        ax.text(c, r, row.label, ha="center", va="center", color="white" if row.z < middle else "black")
    xt, yt = _every(len(xs)), _every(len(ys))
    ax.set_xticks(xt, [f"{xs[i]:.3g}" for i in xt])
    ax.set_yticks(yt, [f"{ys[i]:.3g}" for i in yt])
    if spec.get("overlays"):
        lines = read_table(spec["overlays"])
        for _, g in lines.groupby("series", sort=True):
            ax.plot(_positions(g["x"], xs, spec["log_x"]), _positions(g["y"], ys, False), color="white", lw=2, ls="--",
                    label=g["label"].iloc[0])
        ax.legend(fontsize=9)
    if spec.get("legend"):
        fig.supxlabel(spec["legend"], fontsize=9)


def _tiles(spec, fig, ax):
    """Cells of unequal sizes coloured by label, finer ones drawn over coarser ones, the boundary in black."""
    from matplotlib.patches import Patch, Rectangle
    d = read_table(spec["data"])
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = list(dict.fromkeys(d["label"]))
    for row in d.itertuples():
        ax.add_patch(Rectangle((row.x_low, row.y_low), row.x_high - row.x_low, row.y_high - row.y_low,
                               facecolor=colours[labels.index(row.label) % len(colours)], alpha=0.7,
                               edgecolor="white", linewidth=0.5))
    if spec["log_x"]:
        ax.set_xscale("log")
    else:
        ax.xaxis.set_major_locator(_ticks())
    if spec["log_y"]:
        ax.set_yscale("log")
    else:
        ax.yaxis.set_major_locator(_ticks())
    ax.set_xlim(d["x_low"].min(), d["x_high"].max())
    ax.set_ylim(d["y_low"].min(), d["y_high"].max())
    handles = [Patch(color=colours[i % len(colours)], alpha=0.7, label=l) for i, l in enumerate(labels)]
    if spec.get("overlays"):
        lines = read_table(spec["overlays"])
        for _, g in lines.groupby("series", sort=True):
            ax.plot(g["x"], g["y"], color="black", lw=2, label=g["label"].iloc[0])
    ax.legend(handles=handles + ax.get_legend_handles_labels()[0], fontsize=9)
    if spec.get("legend"):
        fig.supxlabel(spec["legend"], fontsize=9)


def _curves(spec, ax):
    d = read_table(spec["data"])
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    markers = "osD^v<>ph*"
    last, k = None, 0
    for _, g in d.groupby("series", sort=True):
        dashed = bool(g["dashed"].iloc[0])
        if dashed and last is not None:
            colour, marker = last, None  # a theory in the colour of the simulation before it
        else:
            colour, marker = colours[k % len(colours)], markers[k % len(markers)]
            k += 1
        measured = bool(g["ci95_low"].notna().any())  # a theory has no band: a line without markers
        ax.plot(g["x"], g["y"], linestyle="--" if dashed else "-",
                marker=marker if measured and len(g) <= 60 else None, markersize=4, color=colour,
                label=g["label"].iloc[0])
        if measured:
            ax.fill_between(g["x"], g["ci95_low"], g["ci95_high"], color=colour, alpha=0.2, linewidth=0)
        last = colour
    if spec["log_x"]:
        ax.set_xscale("log")
    else:
        ax.xaxis.set_major_locator(_ticks(bool(spec.get("integer_x"))))
    if spec["log_y"]:
        ax.set_yscale("log")
    else:
        ax.yaxis.set_major_locator(_ticks())
    if (d["label"] != "").any():
        ax.legend(fontsize=9)


def draw(name):
    """Redraws the run's figure `name` from its data file, saves it under notebook-figures/ and returns it."""
    spec = next(f for f in manifest["figures"] if f["name"] == name)
    fig, ax = plt.subplots(figsize=(9, 6.5), layout="constrained")
    if spec["kind"] == "heatmap":
        _heatmap(spec, fig, ax)
    elif spec["kind"] == "tiles":
        _tiles(spec, fig, ax)
    else:
        _curves(spec, ax)
    ax.set_title(spec["title"], fontsize=11, wrap=True)
    ax.set_xlabel(spec["x_label"])
    ax.set_ylabel(spec["y_label"])
    out = os.path.join(run_dir, "notebook-figures")
    os.makedirs(out, exist_ok=True)
    fig.savefig(os.path.join(out, name + ".png"), dpi=100)
    return fig
