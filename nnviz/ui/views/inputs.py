"""Inputs are numbers: a word as a one-hot vector of size |V| beside a short dense
embedding (the network's own when it has an Embedding layer), and how many inputs an
image makes (lesson 0)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from ...engine.words import VOCABULARY
from .. import theme
from .base import View

EMBEDDING_SIZE = 4
MAX_NAMES_LISTED = 8  # input features named in full up to this many; more: the first few
# A fixed, made-up embedding (seeded) until the network learns one (lesson "words").
EMBEDDING = np.round(np.random.default_rng(7).normal(0, 0.6, (len(VOCABULARY), EMBEDDING_SIZE)), 2)


def one_hot(word: str) -> np.ndarray:
    """(|V|,) 1 at the word's index, 0 elsewhere."""
    vector = np.zeros(len(VOCABULARY))
    vector[VOCABULARY.index(word)] = 1.0
    return vector


class InputsView(View):
    title = "Inputs are numbers"
    short_title = "Inputs"  # its tab
    view_id = "inputs"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.word = QComboBox()
        self.word.addItems(VOCABULARY)
        self.word.setCurrentText("cat")
        self.word.currentTextChanged.connect(lambda _w: self._draw_word())
        self.caption = QLabel()
        self.caption.setWordWrap(True)  # wraps in a narrow view, never cut
        self.caption.setMinimumWidth(1)
        self.caption.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("word"))
        top.addWidget(self.word)
        top.addWidget(self.caption, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.onehot_plot = self.graphics.addPlot(row=0, col=0)
        self.embedding_plot = self.graphics.addPlot(row=0, col=1)
        theme.style_plot(self.onehot_plot, "word index (|V| inputs)", "value")
        theme.style_plot(self.embedding_plot, "embedding component", "value")
        theme.set_ticks(self.onehot_plot.getAxis("bottom"), [[(k, str(k + 1)) for k in range(0, len(VOCABULARY), 4)]
                                                     + [(len(VOCABULARY) - 1, str(len(VOCABULARY)))], []])
        self.onehot = pg.BarGraphItem(x=np.arange(len(VOCABULARY)), height=np.zeros(len(VOCABULARY)), width=0.8,
                                      brush=pg.mkBrush(theme.BLUE))
        self.embedding = pg.BarGraphItem(x=np.arange(EMBEDDING_SIZE), height=np.zeros(EMBEDDING_SIZE), width=0.6,
                                         brush=pg.mkBrush(theme.ORANGE))
        self.onehot_plot.addItem(self.onehot)
        self.embedding_plot.addItem(self.embedding)
        self.onehot_plot.setYRange(0, 1.1)
        self.embedding_plot.setYRange(-1.5, 1.5)
        self.graphics.ci.layout.setColumnStretchFactor(0, 3)
        self.images = QLabel()
        self.images.setWordWrap(True)
        self.images.setStyleSheet(f"font-size: {theme.FONT_POINT_SIZE + 1}pt;")
        self._learnt = None  # (dim, |V|) the network's embedding, when it has one
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.images)
        self._draw_word()

    def embedding_of(self, word: str) -> np.ndarray:
        """(d,) the word's vector: the network's column of Wᵉ, or the made-up one."""
        k = VOCABULARY.index(word)
        return self._learnt[:, k] if self._learnt is not None else EMBEDDING[k]

    def _draw_word(self):
        word = self.word.currentText()
        self.onehot.setOpts(height=one_hot(word))
        vector = self.embedding_of(word)
        self.embedding.setOpts(x=np.arange(vector.size), height=vector)
        # components counted from 1, whole (two of them were ticked "0, 0.5, 1.0")
        theme.integer_ticks(self.embedding_plot.getAxis("bottom"), vector.size)
        # the made-up vector's ±1.5, or as large as a learnt one (within ±0.5 at first: its
        # bars were flat lines on ±1.5)
        bound = max(1.5 if self._learnt is None else 0.05, float(np.abs(vector).max()) * 1.1)
        self.embedding_plot.setYRange(-bound, bound)
        origin = ("learnt by this network's Embedding: column of Wᵉ" if self._learnt is not None
                  else "learnt in practice; made up here — the 'words' lesson learns one")
        self.caption.setText(f"“{word}” (word {VOCABULARY.index(word) + 1}) as a one-hot vector: |V| = "
                             f"{len(VOCABULARY)} inputs, all 0 but one (a real vocabulary has tens of thousands), "
                             f"beside a dense embedding of {vector.size} numbers ({origin}).")

    def show_snapshot(self, snap):
        kinds = snap.structure.layer_kinds
        learnt = snap.param(kinds.index("embedding"), "W") if "embedding" in kinds else None
        if learnt is not None and learnt.shape[1] != len(VOCABULARY):
            learnt = None
        if learnt is not None or self._learnt is not None:
            self._learnt = learnt
            self._draw_word()
        if snap.structure.image_shape is not None and len(snap.structure.image_shape) == 3:
            rows, cols, channels = snap.structure.image_shape
            here = f"This data set: {rows}×{cols} colour images → {rows}×{cols}×{channels} = {rows * cols * channels} inputs."
        elif snap.structure.image_shape is not None:
            rows, cols = snap.structure.image_shape
            here = f"This data set: {rows}×{cols} grey images → {rows * cols} inputs."
        else:
            names = snap.structure.input_names
            # a long list (the words' 32) took three lines and left the bars 30 px high
            shown = ", ".join(names) if len(names) <= MAX_NAMES_LISTED else ", ".join(names[:4]) + ", …"
            here = f"This data set: {len(names)} input features ({shown})."
        self.images.setText(f"An image is its pixels, row after row: an 18×18 grey image is 18·18 = 324 inputs, "
                            f"in colour (3 channels) 972. The input layer has one neuron per number. {here}")

    def export_tables(self):
        word = self.word.currentText()
        vector = self.embedding_of(word)
        return {"word": (["component", "one_hot", "embedding"],
                         [(k + 1, v, vector[k] if k < vector.size else "") for k, v in enumerate(one_hot(word))])}
