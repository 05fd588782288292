"""Test harness: validates a run notebook against the official nbformat 4.5 schema, executes it top to bottom
with nbclient (cwd = the notebook's folder), then runs one probe cell in the same kernel that prints, as JSON,
what matplotlib drew for each figure: titles, axis labels, tick counts, line data and heatmap mesh values.

usage: execute_notebook.py <notebook.ipynb> [--validate-only]"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbformat.validator import get_validator

PROBE = r'''
import json as _json
import numpy as _np
from matplotlib.collections import QuadMesh as _QuadMesh
def _visible(ticks, lim):
    lo, hi = min(lim), max(lim)
    return int(sum(1 for t in ticks if lo - 1e-9 * abs(hi - lo) <= t <= hi + 1e-9 * abs(hi - lo)))
def _floats(a):
    return [None if not _np.isfinite(v) else float(v) for v in _np.ma.filled(_np.ma.asarray(a, dtype=float), _np.nan).ravel()]
_out = {}
for _name, _fig in figures.items():
    _ax = _fig.axes[0]
    _out[_name] = {
        "title": _ax.get_title(), "xlabel": _ax.get_xlabel(), "ylabel": _ax.get_ylabel(),
        "xticks": _visible(_ax.get_xticks(), _ax.get_xlim()), "yticks": _visible(_ax.get_yticks(), _ax.get_ylim()),
        "colorbar_ticks": [_visible(a.get_yticks(), a.get_ylim()) for a in _fig.axes[1:]],
        "lines": [{"label": l.get_label(), "x": _floats(l.get_xdata()), "y": _floats(l.get_ydata()),
                   "dashed": l.get_linestyle() == "--"} for l in _ax.lines],
        "mesh": [_floats(c.get_array()) for c in _ax.collections if isinstance(c, _QuadMesh)],
        "texts": [t.get_text() for t in _ax.texts],
        "patches": [[float(p.get_x()), float(p.get_x() + p.get_width()), float(p.get_y()),
                     float(p.get_y() + p.get_height())] for p in _ax.patches],
    }
print("PROBE " + _json.dumps(_out))
'''


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    # the official nbformat 4.5 JSON schema, applied as written (nbformat.validate would repair missing cell ids)
    get_validator(version=4, version_minor=5).validate(raw)  # raises ValidationError
    if "--validate-only" in sys.argv:
        print("VALID")
        return
    nb = nbformat.reads(json.dumps(raw), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
    for out in nb.cells[-1].outputs:
        if out.get("name") == "stdout":
            for line in out["text"].splitlines():
                if line.startswith("PROBE "):
                    print(line)


if __name__ == "__main__":
    main()
