"""LaTeX for lecturers: a standalone pgfplots/TikZ ``.tex`` file and the CSV files it
reads with ``\\addplot table``, for the learning curves, the gradient flow and the
network graph (in the lecture's notation: x, h^1 … h^L, p, with W^1 … W^L, W^o on the
edges). Colours, line styles and sizes are named styles at the top of the file, so a
lecturer restyles the figure for Beamer by editing a few lines (or copies the
``tikzpicture`` into a frame). Needs the LaTeX packages standalone, pgfplots (1.16 or
later; it loads tikz) and xcolor: ``pdflatex figure.tex``."""

from __future__ import annotations

import os

import numpy as np

from .. import __version__
from . import theme

CSV_INFIX = "-tikz-"  # <stem>-tikz-<table>.csv beside <stem>.tex


def tex_writer(view):
    """The function that writes ``view`` as LaTeX, or None when the view has none."""
    return {"curves": _curves, "gradients": _gradients, "graph": _graph}.get(view.view_id)


def write_tex(view, path: str, atomic) -> list[str]:
    """Write ``path`` (.tex) and its CSV files with ``atomic(path, write)``; the files written."""
    from .export import ExportError

    writer = tex_writer(view)
    if writer is None:
        raise ExportError(f"{view.title} has no LaTeX export (learning curves, gradient flow and the "
                          "network graph have); export it as PDF or SVG.")
    if view.snapshot is None:
        raise ExportError(f"{path}: nothing to write yet (take a step first)")
    stem = os.path.splitext(path)[0]
    body, tables = writer(view, os.path.basename(stem) + CSV_INFIX)
    written = []
    for name, (header, rows) in tables.items():
        target = f"{stem}{CSV_INFIX}{name}.csv"
        atomic(target, lambda tmp, header=header, rows=rows: _write_csv(tmp, header, rows))
        written.append(target)
    atomic(path, lambda tmp: _write_text(tmp, _document(view, body, [os.path.basename(p) for p in written])))
    return [path] + written


# -- the document around a figure ---------------------------------------------------------
def _document(view, body: str, csv_files: list[str]) -> str:
    snap = view.snapshot
    colours = "\n".join(f"\\definecolor{{nnviz{name}}}{{HTML}}{{{hex_colour[1:].upper()}}}"
                        for name, hex_colour in (("blue", theme.BLUE), ("orange", theme.ORANGE),
                                                 ("vermillion", theme.VERMILLION), ("grey", theme.GREY),
                                                 ("ink", theme.INK)))
    return f"""% {view.title} at update {snap.steps_done:,}, written by nnviz {__version__}.
% Reads {', '.join(csv_files)} (keep them beside this file).
% Needs the LaTeX packages standalone, pgfplots (>= 1.16) and xcolor. Compile: pdflatex <this file>
% Restyle: edit the styles below, or copy the tikzpicture into a Beamer frame
% (with \\usepackage{{pgfplots}} and the \\definecolor and \\pgfplotsset lines in the preamble).
\\documentclass[tikz,border=4pt]{{standalone}}
\\usepackage{{pgfplots}}
\\pgfplotsset{{compat=1.16}}
\\usepgfplotslibrary{{groupplots}}
{colours}
\\begin{{document}}
{body}\\end{{document}}
"""


def _write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(_number(v) for v in row) + "\n")


def _number(value) -> str:
    value = float(value)
    return "nan" if not np.isfinite(value) else f"{value:.8g}"


def _write_text(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _hex(qcolor) -> str:
    return qcolor.name()[1:].upper()


# -- learning curves ------------------------------------------------------------------------
def _curves(view, csv_prefix):
    snap, h = view.snapshot, view.snapshot.history
    columns = ["update", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
    data = np.column_stack([h.step, h.train_loss, h.test_loss, h.train_acc, h.test_acc])
    table = f"{csv_prefix}curves.csv"
    last = float(h.step[-1]) if h.length else 1.0
    marks = _epoch_ticks(h.epoch_starts)
    common = (f"width=12cm, height=5.2cm, xmin=0, xmax={last:g}, {marks}"
              "every axis plot/.append style={line width=1.2pt}, tick label style={font=\\small}")
    loss_mode = ", ymode=log" if view.log_scale.isChecked() else ", ymin=0"
    loss = (f"\\nextgroupplot[ylabel={{loss}}{loss_mode}, legend pos=north east, legend cell align=left]\n"
            f"\\addplot[nnviz train] table[x=update, y=train_loss, col sep=comma] {{{table}}};\n"
            "\\addlegendentry{train}\n"
            f"\\addplot[nnviz test] table[x=update, y=test_loss, col sep=comma] {{{table}}};\n"
            "\\addlegendentry{test}\n")
    accuracy = ("" if snap.regression else
                "\\nextgroupplot[ylabel={accuracy}, ymin=0, ymax=1, xlabel={updates}]\n"
                f"\\addplot[nnviz train] table[x=update, y=train_accuracy, col sep=comma] {{{table}}};\n"
                f"\\addplot[nnviz test] table[x=update, y=test_accuracy, col sep=comma] {{{table}}};\n")
    rows = 1 if snap.regression else 2
    body = ("\\pgfplotsset{nnviz train/.style={nnvizblue, solid}, nnviz test/.style={nnvizvermillion, dashed}}\n"
            "\\tikzset{nnviz epoch/.style={nnvizgrey, dotted}}\n"
            "\\begin{tikzpicture}\n"
            f"\\begin{{groupplot}}[group style={{group size=1 by {rows}, vertical sep=1.1cm}}, {common}"
            f"{', xlabel={updates}' if rows == 1 else ''}]\n"
            f"{loss}{accuracy}\\end{{groupplot}}\n\\end{{tikzpicture}}\n")
    return body, {"curves": (columns, data)}


def _epoch_ticks(starts, most: int = 12) -> str:
    """Dotted vertical lines where epochs begin (every k-th beyond ``most``), as the view."""
    starts = np.asarray(starts, dtype=float)
    if not starts.size:
        return ""
    every = max(1, -(-len(starts) // most))
    ticks = ",".join(f"{s:g}" for s in starts[every - 1::every])
    return (f"extra x ticks={{{ticks}}}, extra x tick labels={{}}, "
            "extra x tick style={grid=major, major grid style={nnviz epoch}}, ")


# -- gradient flow ------------------------------------------------------------------------
def _gradients(view, csv_prefix):
    from .views.gradient_flow import layer_colours

    snap, h = view.snapshot, view.snapshot.history
    key = view.quantity.currentData()  # "norm_dW" or "norm_dz"
    dense = view._dense(snap)
    supers = view._names(snap)  # "1", "2", …, "o"
    symbol = "dW" if key == "norm_dW" else "dz"
    names = [f"{symbol}{s}" for s in supers]
    data = np.column_stack([h.step] + [h.get(f"{key}/{i}") for i in dense])
    latest = [float(np.nan_to_num(h.get(f"{key}/{i}")[-1])) if h.length else 0.0 for i in dense]
    colours = layer_colours(len(dense))
    series, styles = [], []
    for name, sup, colour in zip(names, supers, colours):
        styles.append(f"\\definecolor{{nnviz{name}}}{{HTML}}{{{_hex(colour)}}}")
        series.append(f"\\addplot[nnvizline, nnviz{name}] table[x=update, y={name}, col sep=comma] "
                      f"{{{csv_prefix}norms.csv}};\n\\addlegendentry{{${symbol}^{{{sup}}}$}}\n")
    label = "\\|dW^l\\|" if key == "norm_dW" else "\\mathrm{mean}\\ \\|dz^l\\|"
    order = list(range(len(dense)))[::-1]  # output first, as the view's bars
    bars_rows = [(k, latest[i]) for k, i in enumerate(order)]
    bar_labels = ",".join(f"${symbol}^{{{supers[i]}}}$" for i in order)
    bar_colours = "".join(f"\\addplot[ybar, bar width=0.6, fill=nnviz{names[i]}, draw=none, bar shift=0pt, "
                          f"restrict x to domain={k - 0.5:g}:{k + 0.5:g}] table[x=position, y=norm, col sep=comma] "
                          f"{{{csv_prefix}latest.csv}};\n" for k, i in enumerate(order))
    last = float(h.step[-1]) if h.length else 1.0
    body = ("\n".join(styles) + "\n\\pgfplotsset{nnvizline/.style={line width=1.2pt}}\n"
            "\\begin{tikzpicture}\n"
            "\\begin{groupplot}[group style={group size=1 by 2, vertical sep=1.5cm}, width=12cm]\n"
            f"\\nextgroupplot[height=6cm, ymode=log, xmin=0, xmax={last:g}, xlabel={{updates}}, "
            f"ylabel={{${label}$ (log scale)}}, legend pos=outer north east, legend cell align=left]\n"
            + "".join(series)
            + f"\\nextgroupplot[height=4cm, ymin=0, xmin=-0.6, xmax={len(order) - 0.4:g}, "
            f"xtick={{{','.join(str(k) for k in range(len(order)))}}}, xticklabels={{{bar_labels}}}, "
            "xlabel={latest backward pass, output $\\to$ input}, ylabel={norm}]\n"
            + bar_colours + "\\end{groupplot}\n\\end{tikzpicture}\n")
    return body, {"norms": (["update"] + names, data), "latest": (["position", "norm"], bars_rows)}


# -- network graph --------------------------------------------------------------------------
def _graph(view, csv_prefix):
    from .logic.graph_labels import units_of
    from .views.network_graph import NetworkGraphView, blocks

    snap = view.snapshot
    groups = blocks(snap.structure.layer_kinds)  # each Dense layer with the layers after it: one column
    sizes = [1 if snap.structure.image_shape is not None else len(snap.structure.input_names)] + \
            [units_of(snap.structure.layer_configs[g[0]]) for g in groups]
    positions = [np.column_stack([np.full(n, float(c)), (n - 1) / 2 - np.arange(n)]) for c, n in enumerate(sizes)]
    nodes = [(c, k + 1, x, y) for c, column in enumerate(positions) for k, (x, y) in enumerate(column)]
    edges = []
    for c, group in enumerate(groups):
        W = NetworkGraphView._weights(snap, group[0], False)  # (n_right, n_left), as the view draws it
        bound = float(np.nanmax(np.abs(W))) or 1.0
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                (x0, y0), (x1, y1) = positions[c][j], positions[c + 1][i]
                edges.append((c + 1, i + 1, j + 1, W[i, j], abs(W[i, j]) / bound, np.sign(W[i, j]), x0, y0,
                              x1 - x0, y1 - y0))
    # at most about 16 cm wide and 9 cm high, whatever the network
    x_unit = min(3.0, 16.0 / max(len(sizes) - 1, 1))
    y_unit = min(0.8, 9.0 / max(sizes))
    top = (max(sizes) - 1) / 2 + 0.5
    names = _lecture_names(len(groups), snap.regression)
    labels = []
    for c, (name, n) in enumerate(zip(names, sizes)):
        count = f"{int(np.prod(snap.structure.image_shape))} pixels" if c == 0 and snap.structure.image_shape is not None else f"{n}"
        labels.append(f"\\node[nnviz layer] at (axis cs:{c},{top:g}) {{${name}$\\\\[-2pt]{{\\small {count}}}}};")
    for c in range(1, len(sizes)):
        sup = "o" if c == len(sizes) - 1 else str(c)
        labels.append(f"\\node[nnviz weights] at (axis cs:{c - 0.5:g},{-top:g}) {{$W^{{{sup}}}$}};")

    def edge_plot(kind, sign):
        return (f"\\addplot[nnviz {kind}, point meta=\\thisrow{{magnitude}}, "
                "quiver={u=\\thisrow{dx}, v=\\thisrow{dy}, every arrow/.append style={-, "
                "line width={0.2pt + 1.6pt*\\pgfplotspointmetatransformed/1000}}}, "
                f"restrict expr to domain={{\\thisrow{{sign}}}}{{{sign}:{sign}}}] table[x=x, y=y, col sep=comma] "
                f"{{{csv_prefix}edges.csv}};\n")
    body = ("\\pgfplotsset{nnviz positive/.style={nnvizblue, opacity=0.8},\n"
            "  nnviz negative/.style={nnvizorange, opacity=0.8},\n"
            f"  nnviz neuron/.style={{only marks, mark=*, mark size={min(5.0, y_unit * 10):.1f}pt, "
            "mark options={fill=white, draw=nnvizink}}}\n"
            "\\tikzset{nnviz layer/.style={align=center, anchor=south, font=\\normalsize},\n"
            "  nnviz weights/.style={anchor=north, font=\\normalsize}}\n"
            "\\begin{tikzpicture}\n"
            f"\\begin{{axis}}[hide axis, x={x_unit:.2f}cm, y={y_unit:.2f}cm, clip=false, point meta min=0, "
            f"point meta max=1, xmin=-0.3, xmax={len(sizes) - 0.7:g}, ymin={-top:g}, ymax={top:g}]\n"
            + edge_plot("positive", 1) + edge_plot("negative", -1)
            + f"\\addplot[nnviz neuron] table[x=x, y=y, col sep=comma] {{{csv_prefix}nodes.csv}};\n"
            + "\n".join(labels) + "\n\\end{axis}\n\\end{tikzpicture}\n")
    return body, {"nodes": (["column", "unit", "x", "y"], nodes),
                  "edges": (["column", "row_i", "column_j", "weight", "magnitude", "sign", "x", "y", "dx", "dy"],
                            edges)}


def _lecture_names(dense_layers: int, regression: bool) -> list[str]:
    """x, h^1 … h^L, p (ŷ for a regression): the lecture's names of the columns."""
    hidden = [f"h^{{{k}}}" for k in range(1, dense_layers)]
    return ["x", *hidden, "\\hat{y}" if regression else "p"]
