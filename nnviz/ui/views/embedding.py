"""Word embeddings: every word's vector e = column of Wᵉ as a point of the plane,
coloured by its category, moving apart while the network learns; beside it, why an
embedding is a bias-free Dense layer on one-hot vectors, and what it saves."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View, layer_kinds
from .heatmap import legend_above

SHORT_VIEW_PX = 360  # below this height the caption is one sentence
WIDE_VIEW_RATIO = 2.5  # a view this many times wider than high puts the legend beside the plot
PLOT_ASPECT_CAP = 2.0  # …and keeps the plot at most this many times wider than high
REDDISH_PURPLE = "#CC79A7"  # Okabe–Ito, as theme's colours: told apart from orange at a glance
CATEGORY_COLOURS = (theme.BLUE, theme.ORANGE, theme.GREEN, REDDISH_PURPLE, theme.SKY, theme.GREY)


def plane_of(W: np.ndarray) -> tuple[np.ndarray, str]:
    """(2, |V|) coordinates of the word vectors, and how they were made: the vectors
    themselves for d ≤ 2 (0 for a missing second one), else their first two principal
    components (the plane that shows most of their spread)."""
    d = W.shape[0]
    if d == 1:
        return np.vstack([W, np.zeros_like(W)]), "e₁ (d = 1)"
    if d == 2:
        return W, "e₁, e₂"
    centred = W - W.mean(axis=1, keepdims=True)
    u, _, _ = np.linalg.svd(centred, full_matrices=False)
    return u[:, :2].T @ centred, f"first two principal components of the d = {d} dimensions"


class EmbeddingView(View):
    title = "Word embeddings"
    short_title = "Embeddings"  # its tab
    view_id = "embedding"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        if "embedding" not in layer_kinds(snapshot):
            return "the network has no Embedding layer (the 'words' data set with an Embedding first)"
        return ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)  # wraps in a narrow dock, never widens it
        self.caption.setMinimumWidth(1)
        self.caption.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.legend = legend_above(self.graphics, 0, 0, columns=6)
        self.plot = self.graphics.addPlot(row=1, col=0)
        theme.style_plot(self.plot, "e₁", "e₂")
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.scatters: list[pg.ScatterPlotItem] = []
        self.words: list[pg.TextItem] = []
        self._categories = None
        self.empty = QLabel("This network has no Embedding layer: choose the 'words' data set and add "
                            "Network ▸ Add layer ▸ Embedding.")
        self.empty.setWordWrap(True)
        self.empty.setMinimumWidth(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.empty)
        layout.addWidget(self.graphics, 1)
        self.points = None  # (2, |V|) drawn (tests, export)
        self._legend_beside = None  # the legend to the plot's right (a wide, short view) or above it
        self._full_caption = ""  # the caption of the latest snapshot, shown whole in a tall view

    def _ensure_items(self, snap):
        names = snap.dataset.class_names or ("words",)
        if names == self._categories:
            return
        self._categories = names
        for item in self.scatters + self.words:
            self.plot.removeItem(item)
        self.legend.clear()
        self.scatters = []
        for k, name in enumerate(names):
            colour = CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)]
            scatter = pg.ScatterPlotItem(size=11, pen=pg.mkPen(theme.INK, width=0.6), brush=pg.mkBrush(colour))
            self.plot.addItem(scatter)
            self.legend.addItem(scatter, name)
            self.scatters.append(scatter)
        self.words = []
        font = pg.QtGui.QFont()
        font.setPointSize(theme.FONT_POINT_SIZE - 2)
        for _ in snap.dataset.vocabulary:
            label = pg.TextItem(anchor=(0.0, 1.0), color=theme.INK)
            label.setFont(font)
            # the words sit beside their points; as bounds, a text item's pixel size in
            # data units grows as the range shrinks, and the range ran to ±300 around
            # points within ±1
            self.plot.addItem(label, ignoreBounds=True)
            self.words.append(label)

    def show_snapshot(self, snap):
        index = self._embedding_index(snap)
        self.empty.setVisible(index is None)
        self.graphics.setVisible(index is not None)
        if index is None:
            self._full_caption = ""
            self.caption.setText("")
            return
        self._ensure_items(snap)
        W = snap.param(index, "W")
        self.points, how = plane_of(W)
        classes = np.asarray(snap.dataset.word_classes or [0] * W.shape[1])
        for k, scatter in enumerate(self.scatters):
            chosen = classes == k
            scatter.setData(self.points[0, chosen], self.points[1, chosen])
        for word, label, (x, y) in zip(snap.dataset.vocabulary, self.words, self.points.T):
            label.setText(word)
            label.setPos(x, y)
        theme.set_axis_label(self.plot.getAxis("bottom"), "e₁" if W.shape[0] <= 2 else "principal component 1")
        theme.set_axis_label(self.plot.getAxis("left"), "e₂" if W.shape[0] == 2 else "principal component 2" if W.shape[0] > 2 else "")
        self._full_caption = self._caption(snap, index, W, how)
        self._fit_caption()

    def _fit_caption(self):
        """The whole explanation in a tall view; in a short one its first sentence, the
        rest in the tooltip: four lines of it left the (square-celled) plot 10 px high,
        its e₁ axis ±200 around points within ±1."""
        text = self._full_caption
        short = self.height() < SHORT_VIEW_PX and ". " in text
        self.caption.setText(text.split(". ")[0] + ". (More in the tooltip.)" if short else text)
        self.caption.setToolTip(text if short else "")

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_caption()
        self._arrange()

    def _arrange(self):
        """In a wide, short view (the bottom dock at 1280×720) the legend goes beside the
        plot and the plot is kept at most PLOT_ASPECT_CAP times wider than high: with
        equal units on both axes, a 900 × 60 px plot showed e₁ from −10 to 10 around
        words within ±0.5, all 32 in a blob 40 px wide."""
        beside = self.width() > WIDE_VIEW_RATIO * self.height()
        if beside != self._legend_beside:
            self._legend_beside = beside
            layout = self.graphics.ci
            for item in (self.legend, self.plot):
                layout.removeItem(item)
            if beside:
                layout.addItem(self.plot, row=0, col=0)
                layout.addItem(self.legend, row=0, col=1)
            else:
                layout.addItem(self.legend, row=0, col=0)
                layout.addItem(self.plot, row=1, col=0)
            self.legend.setColumnCount(1 if beside else 6)
            layout.layout.setAlignment(self.legend, pg.QtCore.Qt.AlignTop | pg.QtCore.Qt.AlignLeft)
        # the axes' own width beside a square-ish data area
        room = PLOT_ASPECT_CAP * max(self.graphics.height() - 40, 40) + 80
        self.plot.setMaximumWidth(room if beside else 1e6)

    @staticmethod
    def _embedding_index(snap):
        kinds = snap.structure.layer_kinds
        return kinds.index("embedding") if "embedding" in kinds else None

    @staticmethod
    def _caption(snap, index, W, how) -> str:
        d, V = W.shape
        words = snap.dataset.vocabulary
        text = (f"Each word is a column of Wᵉ ({d}×{V}), drawn here by {how}; colour = its category. "
                f"Wᵉ·onehot(word) picks that column: exactly a Dense layer without bias on one-hot vectors "
                f"of size |V| = {V}, without the {V - 1} multiplications by 0.")
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is not None and rec.ids is not None and rec.ids.size:
            v = int(rec.ids[0])
            column = ", ".join(f"{value:+.3f}" for value in rec.W[:, v])
            text += f" Point 1 of this minibatch, “{words[v]}”: Wᵉ·onehot({v + 1}) = column {v + 1} = ({column})."
        following = snap.structure.layer_configs[index + 1] if index + 1 < len(snap.structure.layer_configs) else None
        if following is not None and "units" in following:
            n = following["units"]
            text += (f" Parameters into the next {n} neurons: one-hot |V|·n + n = {V}·{n} + {n} = {V * n + n:,}; "
                     f"embedding |V|·d + d·n + n = {V}·{d} + {d}·{n} + {n} = {V * d + d * n + n:,}.")
        return text

    def export_tables(self):
        snap = self.snapshot
        index = self._embedding_index(snap) if snap is not None else None
        if index is None:
            return {}
        W = snap.param(index, "W")
        names = snap.dataset.class_names
        rows = [(v + 1, word, names[c] if names else "", *W[:, v])
                for v, (word, c) in enumerate(zip(snap.dataset.vocabulary, snap.dataset.word_classes))]
        return {"embedding": (["token", "word", "category", *[f"e{k + 1}" for k in range(W.shape[0])]], rows)}
