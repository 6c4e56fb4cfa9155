"""Layer activations: Hˡ of the current minibatch as neurons × points heat maps (each
with its colour bar, neurons counted from 1), a histogram per layer when there is room,
and σ, σ′ of a chosen layer with its z values on the curve."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

from ...engine.activations import get_activation
from .. import theme
from ..logic.histograms import bin_edges, histogram
from ..ranges import StickyBound, StickyBox
from ..widgets import compact, scrolling
from .base import TextThrottle, View

BINS = 30
NOT_COMPUTED = "not computed yet"  # a layer the phase stepping has not reached
HISTOGRAMS_FROM_PX = 330  # a view at least this high shows each layer's histogram too
MAPS_PER_FIGURE_ROW = 7  # an exported figure wraps more maps into rows (on screen they scroll sideways)
BAR_GAP_PX = 18  # after each colour bar: its "N% saturated" belongs to the map on its left, not the next
FUNCTION_MIN_WIDTH_PX = 120  # room for the σ, σ′ plot beyond its own minimum


def saturation(activation: str, h: np.ndarray) -> float | None:
    """Fraction of saturated units: |h| > 0.95 (tanh), h < 0.05 or > 0.95 (sigmoid),
    exactly 0 (ReLU); None where the idea does not apply."""
    if activation == "tanh":
        return float((np.abs(h) > 0.95).mean())
    if activation == "sigmoid":
        return float(((h < 0.05) | (h > 0.95)).mean())
    if activation == "relu":
        return float((h == 0).mean())
    return None


class ActivationsView(View):
    title = "Layer activations"
    short_title = "Activations"  # its tab
    view_id = "activations"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_choice = compact(QComboBox(), 10)
        self.layer_choice.setToolTip("The layer whose activation function σ and derivative σ′ are drawn, "
                                     "with the minibatch's z values on the curve")
        self.layer_choice.currentIndexChanged.connect(self._on_layer_chosen)
        self.caption = QLabel("")  # until the first update: what to do to see something
        self.caption.setWordWrap(True)
        self.caption.setMinimumWidth(1)
        self.add_to_header(QLabel("σ of"), self.layer_choice)
        self.graphics = pg.GraphicsLayoutWidget()
        self.function_plot = pg.PlotItem()
        theme.style_plot(self.function_plot, "z", "")
        self.sigma = self.function_plot.plot(pen=pg.mkPen(theme.BLUE, width=2.5))
        self.sigma_prime = self.function_plot.plot(pen=pg.mkPen(theme.VERMILLION, width=2, style=pg.QtCore.Qt.DashLine))
        # the title is the legend: coloured like the curves, never over them
        theme.set_title(self.function_plot, f"<span style='color:{theme.BLUE}'>σ(z) —</span>&nbsp;&nbsp;"
                                    f"<span style='color:{theme.VERMILLION}'>σ′(z) - -</span>",
                                    size=f"{theme.FONT_POINT_SIZE}pt")
        self.z_points = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(0, 114, 178, 120))
        self.function_plot.addItem(self.z_points)
        self._rows = []  # per layer shown: (index, heat map plot, image, colour bar, histogram, bars, note)
        self._structure = None
        self._ranges, self._bounds = {}, {}
        self._histograms = None  # shown (a tall view) or not
        self._laid_out = None  # (histograms, maps per row) of the layout in place
        self._text = TextThrottle()
        self._curves_for = None  # (function, its parameter, span) the σ curves show
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.caption)
        # Deep networks have more maps than a dock is wide (the batch-norm lesson: 18):
        # they keep a readable width and scroll sideways instead of being cut off.
        self.scroll = scrolling(self.graphics, vertically=False, framed=False)
        layout.addWidget(self.scroll, 1)

    def _dense_indices(self, snap):
        return [i for i, kind in enumerate(snap.structure.layer_kinds) if kind in ("dense", "activation", "batchnorm")]

    def _ensure_structure(self, snap):
        key = snap.structure.layer_configs
        if key == self._structure:
            return
        self._structure = key
        self._ranges = {}  # id(plot) → its StickyBox: ranges set in steps, not re-fitted every frame
        self._bounds = {}  # layer → its colour scale's StickyBound (unbounded activations)
        self._rows = [self._layer_items(snap, i) for i in self._dense_indices(snap)]
        self._histograms = self._laid_out = None
        self._arrange()
        self.layer_choice.blockSignals(True)
        self.layer_choice.clear()
        for i in self._dense_indices(snap):
            if snap.structure.activations[i]:
                self.layer_choice.addItem(f"{snap.structure.layer_labels[i]} ({snap.structure.activations[i]})", i)
        self.layer_choice.blockSignals(False)

    def _layer_items(self, snap, i):
        """One layer's heat map (neurons down, points across, counted from 1), its colour
        bar, and its histogram."""
        act = snap.structure.activations[i]
        heat = pg.PlotItem()
        theme.style_plot(heat, "point", "neuron")
        theme.set_title(heat, snap.structure.layer_labels[i], size=f"{theme.FONT_POINT_SIZE}pt")
        heat.invertY(True)
        heat.setMouseEnabled(False, False)
        heat.hideButtons()
        image = pg.ImageItem()
        cmap = self._cmap(act)
        image.setLookupTable(cmap.getLookupTable(0.0, 1.0, 256))
        heat.addItem(image)
        bar = theme.colour_bar(cmap, *self._empty_levels(act), "")
        hist = pg.PlotItem()
        theme.style_plot(hist, snap.structure.layer_labels[i], "count")
        hist.setMouseEnabled(False, False)
        hist.hideButtons()
        bars = pg.BarGraphItem(x0=[0], x1=[1], height=[0], brush=pg.mkBrush(theme.BLUE), pen=None)
        hist.addItem(bars)
        note = pg.TextItem("", color=theme.INK, anchor=(1, 0))
        hist.addItem(note, ignoreBounds=True)
        self._ranges[id(heat)], self._ranges[id(hist)] = StickyBox(heat), StickyBox(hist)
        return i, heat, image, bar, hist, bars, note

    def _maps_per_row(self) -> int:
        """All maps in one row on screen (it scrolls sideways); an exported figure of a
        deep network wraps them into rows of at most MAPS_PER_FIGURE_ROW (the batch-norm
        lesson's 19 maps made a 2400 × 316 strip, unreadable on a slide)."""
        n = max(len(self._rows), 1)
        if not self.exporting or n <= MAPS_PER_FIGURE_ROW:
            return n
        return -(-n // -(-n // MAPS_PER_FIGURE_ROW))  # rows as even as they can be

    def _arrange(self):
        """Heat maps side by side, as in the lecture's pictures; histograms below them in a
        tall view; σ on the right."""
        histograms = self.height() >= HISTOGRAMS_FROM_PX
        per_row = self._maps_per_row()
        if (histograms, per_row) == self._laid_out:
            return
        self._laid_out, self._histograms = (histograms, per_row), histograms
        self.graphics.clear()
        band = 2 if histograms else 1  # layout rows per row of maps
        for k, (_i, heat, _image, bar, hist, _bars, _note) in enumerate(self._rows):
            row, col = divmod(k, per_row)
            self.graphics.addItem(heat, row=band * row, col=2 * col)
            self.graphics.addItem(bar, row=band * row, col=2 * col + 1)
            if histograms:
                self.graphics.addItem(hist, row=band * row + 1, col=2 * col, colspan=2)
            # axis titles on the first map only: repeated, they run into each other (and
            # in a figure's later rows "neuron" ran into the histogram's "count" below it)
            heat.getAxis("left").showLabel(k == 0)
            heat.getAxis("bottom").showLabel(k == 0)
        last = 2 * min(per_row, len(self._rows))
        rows = -(-len(self._rows) // per_row) if self._rows else 1
        self.graphics.addItem(self.function_plot, row=0, col=last, rowspan=band * rows)
        layout = self.graphics.ci.layout
        for col in range(min(per_row, len(self._rows))):  # room to spare widens the maps, not only σ's plot
            layout.setColumnStretchFactor(2 * col, 1)
            layout.setColumnSpacing(2 * col + 1, BAR_GAP_PX)
        layout.setColumnStretchFactor(last, 2)
        self._fit_width()

    def restyled(self):
        """Every map as wide as the widest title needs (the title sets a map's width:
        "h¹" maps were a quarter as wide as "sigmoid(h¹)" ones, their points columns not
        comparable): measured again whenever the text size changes."""
        if not self._rows:
            return
        self._arrange()  # an export wraps the maps into rows, and its end unwraps them
        widest = max(heat.titleLabel.effectiveSizeHint(Qt.MinimumSize).width() for _, heat, *_ in self._rows)
        for _, heat, *_rest in self._rows:
            # the preferred width too: room to spare is shared from the preferred widths
            heat.vb.setMinimumWidth(widest)
            heat.vb.setPreferredWidth(widest)
        self._fit_width()

    def _fit_width(self):
        """As wide as the plots need at the least: beyond the dock's width it scrolls."""
        needed = self.graphics.ci.effectiveSizeHint(Qt.MinimumSize).width() + FUNCTION_MIN_WIDTH_PX
        self.graphics.setMinimumWidth(int(np.ceil(needed)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._rows:
            had_histograms = self._histograms
            self._arrange()
            if self._histograms and not had_histograms:
                self.refresh()  # the histograms just laid out were never filled

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.record is None:
            return {}
        rows = []
        for i, *_rest in self._rows:
            h = snap.record.layers[i].h
            if h is not None:
                rows += [(snap.structure.layer_labels[i], n + 1, p + 1, h[n, p]) for n in range(h.shape[0])
                         for p in range(h.shape[1])]
        return {"activations": (["layer", "neuron", "point_of_batch", "h"], rows)}

    @staticmethod
    def _cmap(activation) -> pg.ColorMap:
        """One-sided values (ReLU, sigmoid, softmax) in viridis, signed ones diverging."""
        if activation in ("relu", "sigmoid", "softmax"):
            return pg.colormap.get("viridis")
        return theme.diverging_colormap()

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        if snap.record is None:
            for i, heat, image, bar, _, bars, note in self._rows:
                image.clear()
                bars.setOpts(height=[0])
                note.setText("")
                bar.setLevels(self._empty_levels(snap.structure.activations[i]))
                # an empty grid of the layer's neurons, not fractional ticks around nothing
                units = snap.structure.units[i]
                self._ranges[id(heat)].fit(0, 1, 0, units, fixed=True)
                theme.integer_ticks(heat.getAxis("left"), units, centred=True, first=self._first_row(snap, i),
                                    most=max(2, int(heat.vb.height() // 16)))
                theme.set_ticks(heat.getAxis("bottom"), [[], []])
            self.caption.setText("Take a step (→) to see the minibatch's activations.")
            self.caption.show()
            self._draw_function(snap)
            return
        self.caption.hide()
        titles = self._text.due(snap)
        for i, heat, image, bar, hist, bars, note in self._rows:
            h = snap.record.layers[i].h
            if h is None:  # phase stepping: the forward pass has not reached this layer
                image.clear()
                bars.setOpts(height=np.zeros(1))
                theme.set_axis_label(bar.axis, NOT_COMPUTED, **theme.LABEL_STYLE)
                continue
            low, high = self._levels(i, snap.structure.activations[i], h)
            image.setImage(h, levels=(low, high), autoLevels=False)
            self._ranges[id(heat)].fit(0, h.shape[1], 0, h.shape[0], fixed=True)
            bar.setLevels((low, high))
            # as many labels as fit: one every ~16 px down, ~28 px across
            theme.integer_ticks(heat.getAxis("left"), h.shape[0], centred=True, first=self._first_row(snap, i),
                                most=max(2, int(heat.vb.height() // 16)))
            theme.integer_ticks(heat.getAxis("bottom"), h.shape[1], centred=True,
                                most=max(2, int(heat.vb.width() // 28)))
            if self._histograms:  # not computed for plots not laid out (a short view)
                edges = bin_edges([h], BINS)
                counts = histogram(h, edges)
                bars.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
                self._ranges[id(hist)].fit(edges[0], edges[-1], 0.0, max(float(counts.max()), 1.0))
            if titles or bar.axis.labelText == NOT_COMPUTED:
                # along the colour bar, not in the title: a title whose width changes
                # re-lays the whole view out
                share = saturation(snap.structure.activations[i], h)
                theme.set_axis_label(bar.axis, "" if share is None else f"{share:.0%} saturated", **theme.LABEL_STYLE)
        self._draw_function(snap)

    @staticmethod
    def _first_row(snap, i) -> int:
        """The number of a map's first row: neurons count from 1, but a softmax output's
        rows are the classes 0 … K−1, as the confusion matrix, the images and Softmax = σ
        number them (digit 0 was row "1")."""
        last = len(snap.structure.layer_kinds) - 1
        return 0 if i == last and snap.structure.activations[i] == "softmax" else 1

    @staticmethod
    def _empty_levels(activation) -> tuple[float, float]:
        """The colour scale before any update: σ's own range (a tanh layer's bar read
        0 to 1 until the first step), or a unit one for unbounded activations."""
        if activation in ("sigmoid", "softmax", "relu"):
            return 0.0, 1.0
        return -1.0, 1.0

    def _levels(self, i, activation, h):
        """Layer i's colour scale: σ's own range, or for unbounded activations a round
        bound that moves in steps (StickyBound)."""
        if activation in ("sigmoid", "softmax"):
            return 0.0, 1.0
        if activation == "tanh":
            return -1.0, 1.0
        largest = float(np.nanmax(np.abs(h))) if h.size else 1.0
        bound = self._bounds.setdefault(i, StickyBound()).fit(largest)
        return (0.0, bound) if activation == "relu" else (-bound, bound)

    def _draw_function(self, snap):
        index = self.layer_choice.currentData()
        if self.selection is not None and self.selection[0] in [self.layer_choice.itemData(k)
                                                               for k in range(self.layer_choice.count())]:
            index = self.selection[0]
        if index is None:
            return
        act = get_activation(snap.structure.layer_configs[index].get("activation", snap.structure.activations[index]))
        z = snap.record.layers[index].z if snap.record is not None else None
        z_values = z.ravel() if z is not None else np.zeros(0)
        span = max(4.0, float(np.nanmax(np.abs(z_values))) if z_values.size else 4.0)
        if act.name == "softmax":  # σ of one unit against the others at 0
            self._draw_curves(act, span)
            self.z_points.setData(x=[], y=[])
            return
        self._draw_curves(act, span)
        if z_values.size:
            self.z_points.setData(x=z_values, y=act.forward(z_values))

    def _draw_curves(self, act, span):
        """σ and σ′ over [−span, span]; drawn again only when the function or the span
        changed (it is the same curve at most frames)."""
        span = float(2.0 ** np.ceil(np.log2(span)))  # a few spans only: the curve is not redone every frame
        key = (act.name, getattr(act, "negative_slope", None), span)
        if key == self._curves_for:
            return
        self._curves_for = key
        z = np.linspace(-span, span, 400)
        if act.name == "softmax":
            self.sigma.setData(z, 1 / (1 + np.exp(-z)))
            self.sigma_prime.setData(z, np.exp(-z) / (1 + np.exp(-z)) ** 2)
            return
        h = act.forward(z)
        self.sigma.setData(z, h)
        self.sigma_prime.setData(z, act.derivative(z, h))

    def _on_layer_chosen(self, _index):
        self.selection = None
        if self.snapshot is not None:
            self._draw_function(self.snapshot)
