"""The network as a graph: one column per layer, a thumbnail of each neuron's output
over the input plane, edges coloured by the sign and sized by the size of W (or dW)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout

from ...engine.features import DISPLAY_NAMES
from .. import appearance, theme
from ..logic.graph_labels import column_texts, count_text, input_texts, units_of
from .base import View

MIN_COLUMN_GAP = 3.0  # data units between layer columns (a node is 1 × 1)
MAX_COLUMN_GAP = 7.0  # beyond this, edges get too flat to follow
MAX_COLUMN_GAP_PX = 160  # …unless the neurons are small: then up to this many pixels
ROW_GAP = 1.4  # data units between neurons of a column
MAX_NODE_PX = 64  # a neuron's picture grows with the room there is, up to this
HEADER_PX = 50  # room above the columns for the layer labels (three short lines)
LABEL_GAP = 0.4  # data units between the tallest column and its label's bottom
INPUT_NAMES_PX = 44  # room left of the inputs for their feature names
MAX_SHOWN = 32  # neurons drawn per column; a larger layer shows its first ones and says so
WIDTH_LEVELS = (0.5, 1.0, 1.5, 2.5)  # pen widths for the four magnitude quartiles
SMOOTH_EDGES_UP_TO = 400  # antialiased edges cost 4× (measured 25 ms vs 6 ms at 8 × 16)
EDGE_COLOURS = {+1: (0, 114, 178), -1: (230, 159, 0)}  # positive blue, negative orange (Playground)
HOVER_RADIUS = 0.35  # data units within which an edge counts as hovered
LABEL_MARGIN_PX = 10  # pixels kept free between two layer labels


COLUMN_KINDS = ("dense", "embedding")  # layers that make a column of neurons of their own


def blocks(kinds) -> list[list[int]]:
    """Group layer indices into columns: each Dense (or Embedding) with the layers after it."""
    groups: list[list[int]] = []
    for i, kind in enumerate(kinds):
        if kind in COLUMN_KINDS or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


class NetworkGraphView(View):
    title = "Network graph"
    short_title = "Network"  # its tab
    view_id = "graph"
    default_area = "central"
    tab_group = None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.show_gradients = QCheckBox("Gradients")
        self.show_gradients.setToolTip("Colour the edges by dW and the neurons by dz instead of W and h")
        self.show_gradients.toggled.connect(lambda _c: self._redraw())
        self.readout = QLabel("hover: a neuron's or an edge's numbers · click: select")
        self.readout.setWordWrap(True)  # the numbers of a neuron or an edge: as many lines as they need
        self.readout.setMinimumWidth(1)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.add_to_header(self.show_gradients)
        self.graphics = pg.GraphicsLayoutWidget()
        self.box = self.graphics.addViewBox(lockAspect=True, enableMouse=False)
        self.box.invertY(True)
        # The columns spread over the box's own size, so that a figure laid out for export
        # at another size gets its own spacing (the widget's size would be the screen's).
        self.box.sigResized.connect(self._on_box_resized)
        self._edge_items = {}  # (sign, level) → PlotCurveItem of segments
        for sign in (+1, -1):
            for level, width in enumerate(WIDTH_LEVELS):
                colour = EDGE_COLOURS[sign] + (90 + 40 * level,)
                item = pg.PlotCurveItem(pen=pg.mkPen(colour, width=width), connect="pairs")
                self.box.addItem(item)
                self._edge_items[(sign, level)] = item
        self._dropped = pg.ScatterPlotItem(pxMode=False, size=1.15, symbol="s", pen=None,
                                           brush=pg.mkBrush(120, 120, 120, 200))
        self._selected = pg.ScatterPlotItem(pxMode=False, size=1.35, symbol="s", brush=None,
                                            pen=pg.mkPen(theme.INK, width=3))
        self._highlight = pg.QtWidgets.QGraphicsRectItem()
        self._highlight.hide()
        self.box.addItem(self._highlight)
        self.phase_label = QLabel()
        self.phase_label.setWordWrap(True)  # wraps in a narrow view, never cut
        self.phase_label.setMinimumWidth(1)
        appearance.styled(self.phase_label,
                          lambda s: f"font-size: {(theme.FONT_POINT_SIZE + 2) * s:.1f}pt; font-weight: bold;")
        self.phase_label.hide()
        # the lecture's counts (972 inputs, 972×20 weights + 20 biases) at any size: the
        # labels in the graph shorten themselves when the columns are close together
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self._columns: list[pg.ImageItem] = []
        self._labels: list[pg.TextItem] = []
        self._structure = None  # what the columns were built for
        self._sizes: list[int] = []  # units drawn per column, input first (at most MAX_SHOWN)
        self._true_sizes: list[int] = []  # units per column
        self._input_labels: list[pg.TextItem] = []  # feature names left of the inputs
        self._node_px = 20.0  # a neuron's side in pixels, from the room there is
        self._hovered = None  # (layer index, unit) under the mouse
        self._counts_matter = False  # images or words: the one-line parameter count is shown
        self._gap = MIN_COLUMN_GAP  # data units between columns, from the view's aspect
        self._positions: list[np.ndarray] = []  # per column: (n, 2) node centres
        self._pitches: list[float] = []  # per column: data units from one node's centre to the next
        self._segments = None  # per edge: (x0, y0, x1, y1, column, i, j)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.readout)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.counts)
        layout.addWidget(self.graphics, 1)

    # -- structure -------------------------------------------------------------------
    def _ensure_structure(self, snap):
        key = (snap.structure.input_names, snap.structure.layer_configs)
        if key == self._structure:
            return
        self._structure = key
        for item in self._columns + self._labels + self._input_labels:
            self.box.removeItem(item)
        for item in (self._dropped, self._selected):
            if item.scene() is not None:
                self.box.removeItem(item)
        self.groups = blocks(snap.structure.layer_kinds)
        self._true_sizes = [len(snap.structure.input_names)] + [snap.structure.units[g[0]] for g in self.groups]
        self._sizes = [min(n, MAX_SHOWN) for n in self._true_sizes]
        self._columns = [self._add_column_image() for _ in self._sizes]
        self._labels = [self._add_label(c, snap) for c in range(len(self._sizes))]
        self._input_labels = [self._add_input_label(name) for name in self._input_display_names(snap)]
        self.counts.setText(count_text(snap, self.groups, self._true_sizes))
        self._counts_matter = snap.structure.image_shape is not None or not snap.structure.is_plane
        self._place_columns()
        self._place_labels()
        self.box.addItem(self._dropped)
        self.box.addItem(self._selected)

    def _place_columns(self):
        """Spread the columns over the room the view has; neurons as large as it allows
        (up to MAX_NODE_PX), square, with the labels in a fixed band above."""
        sizes, columns = self._sizes, len(self._sizes)
        box_w, box_h = max(self.box.width(), 1.0), max(self.box.height(), 1.0)
        room_x = INPUT_NAMES_PX if self._input_labels else 0
        tallest = max(sizes) * ROW_GAP
        header_px = self._header_px()
        node_px = min(MAX_NODE_PX, (box_h - header_px - 8) / (tallest + LABEL_GAP),
                      (box_w - room_x) / ((columns - 1) * MIN_COLUMN_GAP + 2.0))
        node_px = max(node_px, 2.0)
        self._node_px = node_px
        units_w, units_h = box_w / node_px, box_h / node_px
        header, left = header_px / node_px, room_x / node_px
        # small neurons (a tall column) may sit further apart than MAX_COLUMN_GAP of them:
        # the bound is then in pixels, so a 32-input graph is not a sliver in a wide view
        widest = max(MAX_COLUMN_GAP, MAX_COLUMN_GAP_PX / node_px)
        gap = min(widest, max(MIN_COLUMN_GAP, (units_w - left - 2.0) / max(columns - 1, 1)))
        self._gap = gap
        self._pitches = [self._input_pitch(sizes[0], max(sizes), node_px)] + [ROW_GAP] * (columns - 1)
        self._positions = [self._column_positions(c, n, gap, pitch)
                           for c, (n, pitch) in enumerate(zip(sizes, self._pitches))]
        self._segments = self._edge_segments()
        small = len(self._segments) <= SMOOTH_EDGES_UP_TO
        for item in self._edge_items.values():
            item.opts["antialias"] = small
        # A large graph costs ~25 ms a redraw: fewer redraws while playing keep training going.
        self.max_rate_while_playing = 10.0 if small else 4.0
        content_w = left + gap * (columns - 1) + 2.0
        x0 = -1.0 - left - (units_w - content_w) / 2
        # the labels' band ends LABEL_GAP above the tallest column: the whole band stays in view
        y0 = -tallest / 2 - LABEL_GAP - header - max(0.0, (units_h - tallest - LABEL_GAP - header) / 2)
        self.box.setRange(QRectF(x0, y0, units_w, units_h), padding=0)
        # every k-th name when the inputs are closer than a line of text (32 words)
        every = max(1, int(np.ceil(self._input_line_px() / max(self._pitches[0] * node_px, 1e-9))))
        for k, (label, (x, y)) in enumerate(zip(self._input_labels, self._positions[0])):
            label.setPos(x - 0.6, y)
            label.setVisible(k % every == 0)

    def _place_labels(self):
        top = -max(self._sizes) * ROW_GAP / 2 - LABEL_GAP  # one header row above every column
        column_px = self._gap * self._node_px
        form = 0 if column_px > 140 else (1 if column_px > 55 else 2)  # full, short, name only
        # the lecture's counts (972 inputs, 972×20 weights + 20 biases) in one line, when the
        # labels are too short to hold them and the inputs are images or words
        self.counts.setVisible(form > 0 and self._counts_matter)
        last = len(self._labels) - 1
        for label, text in zip(self._labels, self._fitting_texts(column_px)):
            label.setText(text)
        for column, label in enumerate(self._labels):
            # the outer labels align with their column's outer edge, so that they stay
            # inside the box (and the exported figure) at any font size
            if column == 0:
                label.setAnchor((0.0, 1.0))
                label.setPos(-0.5 - (INPUT_NAMES_PX / self._node_px if self._input_labels else 0), top)
            elif column == last:
                label.setAnchor((1.0, 1.0))
                label.setPos(column * self._gap + 0.5, top)
            else:
                label.setPos(column * self._gap, top)

    def _header_px(self) -> float:
        """Room above the columns for the layer labels: as many lines of their font (it
        grows with the text zoom) as the longest label shown has, at least two."""
        if not self._labels:
            return HEADER_PX * appearance.current.text_scale
        line = pg.QtGui.QFontMetricsF(self._labels[0].textItem.font()).lineSpacing()
        lines = max(2, max(label.textItem.toPlainText().count("\n") + 1 for label in self._labels))
        return lines * line + 6

    def _fitting_texts(self, column_px) -> list:
        """Each label's fullest form (full, short, name only) such that no two labels
        overlap: where two would, the wider one takes its next shorter form."""
        widths = []
        for label in self._labels:
            metrics = pg.QtGui.QFontMetricsF(label.textItem.font())
            # the text's document margin on both sides too: without it two labels 10 px
            # apart by the sums touched ("h¹ 4×2 weights" in the feedforward lesson)
            margins = 2 * label.textItem.document().documentMargin()
            widths.append([max(metrics.horizontalAdvance(line) for line in text.split("\n")) + margins
                           for text in label.texts])
        forms, half_node = [0] * len(widths), 0.5 * column_px / self._gap
        last = len(widths) - 1

        def span(c):  # pixels from column 0's centre: the outer labels align with their outer edges
            w, x = widths[c][forms[c]], c * column_px
            return (-half_node, -half_node + w) if c == 0 else (x + half_node - w, x + half_node) if c == last \
                else (x - w / 2, x + w / 2)
        changed = True
        while changed:
            changed = False
            for c in range(last):
                if span(c)[1] + LABEL_MARGIN_PX > span(c + 1)[0]:
                    wider = max((c, c + 1), key=lambda k: (forms[k] < 2, widths[k][forms[k]]))
                    if forms[wider] < 2:
                        forms[wider] += 1
                        changed = True
        return [label.texts[form] for label, form in zip(self._labels, forms)]

    def restyled(self):
        self._on_box_resized()  # the label band and the labels' forms follow their font

    def _on_box_resized(self, _box=None):
        if self._structure is not None and self.snapshot is not None:
            self._ensure_structure(self.snapshot)  # the newest snapshot may be of another build
            self._place_columns()
            self._place_labels()
            self._redraw()

    def _input_line_px(self) -> float:
        if not self._input_labels:
            return 1.0
        return pg.QtGui.QFontMetricsF(self._input_labels[0].textItem.font()).height()

    def _input_pitch(self, n, most, node_px) -> float:
        """The inputs' row pitch: ROW_GAP, or a line of text when their names need it and
        the column stays within the tallest one (beside two layers of 16 the neurons are
        11 px apart, x₁ and x₂ 15 px: x₂'s name was hidden and the pair looked like one)."""
        if not self._input_labels or n < 2:
            return ROW_GAP
        line = (self._input_line_px() + 2) / node_px
        return max(ROW_GAP, min(line, (most - 1) * ROW_GAP / (n - 1)))  # most: the tallest column's neurons

    @staticmethod
    def _column_positions(column, n, gap, pitch=ROW_GAP):
        ys = (np.arange(n) - (n - 1) / 2) * pitch
        return np.column_stack([np.full(n, column * gap), ys])

    def _add_column_image(self):
        item = pg.ImageItem()
        item.setLookupTable(theme.diverging_colormap().getLookupTable(0.0, 1.0, 256))
        self.box.addItem(item)
        return item

    def _input_display_names(self, snap) -> list[str]:
        """The input features' names as the lecture writes them (x₁, x₁², sin x₁), for
        points of the plane; a table's inputs keep their column names (shortened)."""
        if snap.structure.image_shape is not None:
            return []
        names = snap.structure.input_names[:MAX_SHOWN]
        return [DISPLAY_NAMES.get(n, n if len(n) <= 8 else n[:7] + "…") for n in names]

    def _add_input_label(self, text):
        label = pg.TextItem(text, color=theme.INK, anchor=(1.0, 0.5))
        font = pg.QtGui.QFont()
        font.setPointSize(theme.FONT_POINT_SIZE)
        label.setFont(font)
        self.box.addItem(label)
        return label

    def _add_label(self, column, snap):
        texts = input_texts(snap) if column == 0 else column_texts(snap, self.groups, self._true_sizes, column)
        if column > 0 and self._true_sizes[column] > MAX_SHOWN:
            texts = (f"{texts[0]}\n(the first {MAX_SHOWN} shown)", *texts[1:])
        label = pg.TextItem(texts[0], color=theme.INK, anchor=(0.5, 1.0))
        label.texts = texts  # full, short and name-only forms, chosen by the room there is
        font = pg.QtGui.QFont()  # the application's sans-serif, not Qt's default serif
        font.setPointSize(theme.FONT_POINT_SIZE - 1)
        label.setFont(font)
        self.box.addItem(label)
        return label

    def _edge_segments(self):
        rows = []
        for c in range(len(self._positions) - 1):
            left, right = self._positions[c], self._positions[c + 1]
            i, j = np.meshgrid(np.arange(len(right)), np.arange(len(left)), indexing="ij")
            i, j = i.ravel(), j.ravel()
            rows.append(np.column_stack([left[j, 0] + 0.5, left[j, 1], right[i, 0] - 0.5, right[i, 1],
                                         np.full(i.size, c), i, j]))
        return np.vstack(rows) if rows else np.zeros((0, 7))

    # -- drawing ---------------------------------------------------------------------
    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        self._redraw()

    def _redraw(self):
        snap = self.snapshot
        if snap is None or self._structure is None:
            return
        gradients = self.show_gradients.isChecked() and snap.record is not None
        if snap.phase is not None and snap.phase.kind in ("backward", "update"):
            gradients = True  # backward phases show the gradients flowing right to left
        self._draw_nodes(snap, gradients)
        self._draw_edges(snap, gradients)
        self._draw_dropped(snap)
        self._draw_selection()
        self._draw_phase(snap)

    def _computed_columns(self, snap):
        """Columns whose quantities exist at this phase (all of them between updates)."""
        every = set(range(len(self._sizes)))
        if snap.phase is None or snap.phase.kind in ("loss", "update"):
            return every
        kind, layer = snap.phase.kind, snap.phase.layer
        column = self._column_of(layer)
        if kind == "forward":
            return set(range(column + 1))
        return {0} | set(range(column, len(self._sizes)))  # backward: from the output down to here

    def _column_of(self, layer):
        for column, group in enumerate(self.groups, start=1):
            if layer in group:
                return column
        return 0

    def _draw_phase(self, snap):
        computed = self._computed_columns(snap)
        for column, item in enumerate(self._columns):
            item.setOpacity(1.0 if column in computed else 0.2)  # not computed yet: visibly absent
        if snap.phase is None or snap.phase.kind == "update":
            self._highlight.hide()
            self.phase_label.hide()
            return
        kind, layer = snap.phase.kind, snap.phase.layer
        column = self._column_of(layer)
        x, y0 = self._positions[column][0]
        height = (len(self._positions[column]) - 1) * self._pitches[column] + 1.6
        self._highlight.setRect(QRectF(x - 0.8, y0 - 0.8, 1.6, height))
        colour = theme.GREEN if kind == "forward" else theme.VERMILLION
        self._highlight.setPen(pg.mkPen(colour, width=3))
        self._highlight.show()
        self.phase_label.setText(f"{kind}: {snap.phase.label}")
        self.phase_label.show()

    def _node_maps(self, snap):
        """Per column, (n, g, g) pictures of the nodes: outputs over the plane for 2-D
        data; for images, the input image, W^1's rows as images, then each unit's mean
        activation over the minibatch."""
        if snap.input_maps is not None:
            return [snap.input_maps] + [snap.neuron_maps[g[-1]] for g in self.groups]
        if snap.structure.image_shape is None:  # columns of a table: each node coloured by its mean value
            return [np.zeros((self._sizes[0], 2, 2))] + [self._mean_maps(snap, g, (2, 2)) for g in self.groups]
        rows, cols = snap.structure.image_shape[:2]
        rec = snap.record
        first = rec.layers[0].x[:, 0] if rec is not None and rec.layers[0].x is not None else snap.dataset.X_train[0]
        maps = [_grey(first.reshape(1, *snap.structure.image_shape))[:, ::-1]]
        W = snap.param(self.groups[0][0], "W")
        maps.append(_grey(W.reshape(-1, *snap.structure.image_shape))[:, ::-1])
        maps += [self._mean_maps(snap, group, (rows, cols)) for group in self.groups[1:]]
        return maps

    @staticmethod
    def _mean_maps(snap, group, shape):
        """Each unit of a layer as a flat tile of its mean activation over the minibatch."""
        rec = snap.record
        h = rec.layers[group[-1]].h if rec is not None else None
        mean = h.mean(axis=1) if h is not None else np.zeros(units_of(snap.structure.layer_configs[group[0]]))
        return np.broadcast_to(mean[:, None, None], (mean.size, *shape))

    def _draw_nodes(self, snap, gradients):
        maps = self._node_maps(snap)
        for column, (item, values) in enumerate(zip(self._columns, maps)):
            shown = self._sizes[column]
            values = values[:shown]
            dz = getattr(snap.record.layers[self.groups[column - 1][0]], "dz", None) if gradients and column > 0 else None
            if dz is not None:  # without dz yet the thumbnails stay, faded (see _draw_phase)
                values = np.broadcast_to(dz.mean(axis=1)[:shown, None, None], values.shape)
            low, high = self._levels(snap, column, values, dz is not None)
            pitch = self._pitches[column]
            item.setImage(self._stack(values, pitch), levels=(low, high), autoLevels=False)
            x, y0 = self._positions[column][0]
            n = len(self._positions[column])
            item.setRect(QRectF(x - 0.5, y0 - 0.5, 1.0, (n - 1) * pitch + 1.0))

    @staticmethod
    def _stack(values, pitch=ROW_GAP):
        """(n, g, g) thumbnails → one column image with transparent (NaN) gaps, the
        thumbnails ``pitch`` node heights apart."""
        n, g, _ = values.shape
        gap = int(round(g * (pitch - 1)))
        out = np.full((n * g + (n - 1) * gap, g), np.nan)
        for k in range(n):
            out[k * (g + gap):k * (g + gap) + g] = values[k][::-1]  # row 0 at the top: x2 up
        return out

    def _levels(self, snap, column, values, gradients):
        if not gradients and column > 0:
            act = snap.structure.activations[self.groups[column - 1][0]]
            if act in ("sigmoid", "softmax") and len(self.groups[column - 1]) == 1:
                return 0.0, 1.0  # probabilities: 0.5 is white, as in the boundary view
        finite = np.abs(values[np.isfinite(values)])
        bound = float(finite.max()) if finite.size else 1.0
        bound = bound if bound > 0 else 1.0
        return -bound, bound

    def _draw_edges(self, snap, gradients):
        segments = self._segments
        if not len(segments):
            return
        weights = np.concatenate([self._weights(snap, g[0], gradients)[:self._sizes[c + 1], :self._sizes[c]].ravel()
                                  for c, g in enumerate(self.groups)])
        bound = np.nanmax(np.abs(weights)) if weights.size else 0.0
        level = np.minimum((np.abs(weights) / (bound or 1.0) * 4).astype(int), 3)
        reached = np.isin(segments[:, 4] + 1, list(self._computed_columns(snap)))  # edges into computed columns
        for (sign, lvl), item in self._edge_items.items():
            chosen = segments[(np.sign(weights) == sign) & (level == lvl) & reached] if bound else segments[:0]
            xs = np.column_stack([chosen[:, 0], chosen[:, 2]]).ravel()
            ys = np.column_stack([chosen[:, 1], chosen[:, 3]]).ravel()
            item.setData(xs, ys)

    @staticmethod
    def _weights(snap, dense_index, gradients):
        """W (or dW) of a Dense layer; zeros where dW is not computed yet (no edge drawn).
        An image enters as one node: its edges carry the norm of each row of W^1."""
        W = snap.param(dense_index, "W")
        if gradients:
            grad = snap.record.layers[dense_index].grads.get("W")
            W = grad if grad is not None else np.zeros_like(W)
        if snap.structure.image_shape is not None and dense_index == 0:
            return np.linalg.norm(W, axis=1, keepdims=True)
        return W

    def _draw_dropped(self, snap):
        points = []
        if snap.record is not None:
            for column, group in enumerate(self.groups, start=1):
                for i in group[1:]:
                    rec = snap.record.layers[i]
                    if rec.kind == "dropout" and getattr(rec, "mode", None) == "neuron" and rec.mask is not None:
                        points.append(self._positions[column][~rec.mask[:self._sizes[column], 0]])
        points = np.vstack(points) if points else np.zeros((0, 2))
        self._dropped.setData(pos=points)

    def _draw_selection(self):
        column = self._selected_column()
        if column is None:
            self._selected.setData(pos=np.zeros((0, 2)))
            return
        unit = min(self.selection[1], len(self._positions[column]) - 1)
        self._selected.setData(pos=self._positions[column][unit:unit + 1])

    def _selected_column(self):
        if self.selection is None:
            return None
        for column, group in enumerate(self.groups, start=1):
            if self.selection[0] in group:
                return column
        return None

    # -- export ----------------------------------------------------------------------
    def export_item(self):
        return self.box

    def export_tables(self):
        snap = self.snapshot
        if snap is None or self._structure is None:
            return {}
        rows = []
        for column, group in enumerate(self.groups):
            dense = group[0]
            sup = snap.structure.superscripts[dense]
            W = snap.param(dense, "W")
            grad = snap.record.layers[dense].grads.get("W") if snap.record is not None else None
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    rows.append((f"W^{sup}", i + 1, j + 1, W[i, j], np.nan if grad is None else grad[i, j]))
        return {"weights": (["matrix", "row_i", "column_j", "value", "gradient_dW"], rows)}

    # -- interaction -------------------------------------------------------------------
    def _node_at(self, point):
        for column, positions in enumerate(self._positions):
            d = np.abs(positions - [point.x(), point.y()])
            hit = np.flatnonzero((d[:, 0] <= 0.5) & (d[:, 1] <= 0.5))
            if hit.size:
                return column, int(hit[0])
        return None

    def _edge_at(self, point):
        s = self._segments
        if s is None or not len(s):
            return None
        p = np.array([point.x(), point.y()])
        a, b = s[:, 0:2], s[:, 2:4]
        t = np.clip(((p - a) * (b - a)).sum(1) / ((b - a) ** 2).sum(1), 0, 1)
        dist = np.hypot(*(a + t[:, None] * (b - a) - p).T)
        k = int(np.argmin(dist))
        return s[k, 4:].astype(int) if dist[k] < HOVER_RADIUS else None

    def _on_mouse_moved(self, scene_pos):
        if self.snapshot is None or self._structure is None:
            return
        point = self.box.mapSceneToView(scene_pos)
        node = self._node_at(point)
        self._set_hovered(node)
        if node is not None:
            self.readout.setText(self._describe_node(*node))
            return
        edge = self._edge_at(point)
        if edge is not None:
            self.readout.setText(self._describe_edge(*edge))

    def _set_hovered(self, node):
        """Tell the window which neuron is under the mouse (the boundary view draws its
        output large); inputs and empty space: none."""
        hovered = None
        if node is not None and node[0] > 0:
            hovered = (self.groups[node[0] - 1][-1], node[1])
        if hovered != self._hovered:
            self._hovered = hovered
            self.hover_requested.emit(hovered)

    def leaveEvent(self, event):
        super().leaveEvent(event)
        self._set_hovered(None)

    def _describe_node(self, column, unit):
        snap = self.snapshot
        if column == 0:
            return f"input feature x_{unit + 1} = {snap.structure.input_names[unit]}"
        group = self.groups[column - 1]
        name = snap.structure.layer_labels[group[0]]
        b = snap.param(group[0], "b")
        text = f"{name} neuron {unit + 1}" + (f": b = {b[unit]:+.4f}" if b is not None else " (no bias)")
        if snap.record is not None:
            rec = snap.record.layers[group[0]]
            values = [(name, getattr(rec, name, None)) for name in ("z", "h", "dz") if hasattr(rec, name)]
            text += "; point 1 of the batch: " + ", ".join(
                f"{name} = {value[unit, 0]:+.4f}" if value is not None else f"{name} not computed yet"
                for name, value in values)
        return text

    def _describe_edge(self, column, i, j):
        snap = self.snapshot
        dense = self.groups[column][0]
        W_name = "Wᵉ" if snap.structure.layer_kinds[dense] == "embedding" else snap.structure.symbol("W", dense)
        text = f"{W_name}[{i + 1},{j + 1}] = {snap.param(dense, 'W')[i, j]:+.4f}"
        grad = snap.record.layers[dense].grads.get("W") if snap.record is not None else None
        if grad is not None:
            text += f"   dW = {grad[i, j]:+.5f}"
        return text

    def _on_mouse_clicked(self, event):
        if self._structure is None:
            return
        node = self._node_at(self.box.mapSceneToView(event.scenePos()))
        if node is not None and node[0] > 0:
            self.selection_requested.emit((self.groups[node[0] - 1][0], node[1]))



def _grey(images: np.ndarray) -> np.ndarray:
    """(n, rows, cols) as they are; (n, rows, cols, 3) colour images (or W's rows shaped
    so) as the mean of their channels, for one-colour thumbnails."""
    return images.mean(axis=-1) if images.ndim == 4 else images
