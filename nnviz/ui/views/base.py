"""The interface of a view: a passive widget fed immutable snapshots."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ...engine.snapshot import Snapshot
from .. import appearance

TEXT_INTERVAL = 0.2  # seconds between number read-outs while playing


class TextThrottle:
    """Lets text through at most every TEXT_INTERVAL while playing, always when paused.

    Numbers changing 27 times a second cannot be read, and each label change costs a
    relayout (measured: 2–3 ms a frame for two labels)."""

    def __init__(self):
        self._last = 0.0

    def due(self, snapshot: Snapshot) -> bool:
        now = time.perf_counter()
        if snapshot.playing and now - self._last < TEXT_INTERVAL:
            return False
        self._last = now
        return True


class View(QWidget):
    """Subclasses set ``title`` and ``view_id`` and implement ``show_snapshot``.

    The window calls ``show_snapshot`` only while the view is visible; a hidden
    view gets the latest snapshot when it is shown again. A view never calls the
    engine and never changes a snapshot."""

    title = "View"  # in menus, dialogs and exports
    short_title = "View"  # on its tab: short enough never to be elided
    view_id = "view"  # stable name for settings and file names
    default_area = "right"  # "central", "right", "bottom" or "left"
    tab_group: str | None = None  # views of one group share a dock area as tabs
    #: redraws per second while playing; every snapshot is drawn when paused. The GUI
    #: thread shares the GIL with training, so each redraw costs training time.
    max_rate_while_playing = 10.0

    #: (layer index, unit) the learner clicked; the window passes it to every view
    selection_requested = Signal(object)
    #: (layer index, unit) under the mouse, or None; the window passes it to every view
    hover_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot: Snapshot | None = None
        self.selection: tuple[int, int] | None = None  # (layer index, unit) or None
        self._last_drawn = 0.0  # perf_counter() of the last redraw
        self.drawn: Snapshot | None = None  # the snapshot last drawn (tests, benchmarks)
        self.header_widgets: list[QWidget] = []  # options shown in the view's title row
        self._styled_for = None  # (structure, appearance generation) the items were sized for
        self.redraws = 0  # how many times a snapshot was drawn (benchmarks count them)
        self.exporting = False  # while an export lays out and draws its figure (export_figure.prepared)

    def set_selection(self, selection) -> None:
        self.selection = selection
        self.refresh()

    def add_to_header(self, *widgets) -> None:
        """Put these option widgets in the view's title row (its dock's or frame's) rather
        than in a row of their own: the plot keeps that height."""
        self.header_widgets += widgets

    def set_hover(self, hover) -> None:
        """A neuron under the mouse somewhere (views that can show it large do)."""

    def set_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if not self.is_on_screen():
            return
        now = time.perf_counter()
        if snapshot.playing and now - self._last_drawn < 1.0 / self.max_rate_while_playing:
            return  # drawn again at the next frame that is due, or when paused
        self._last_drawn = now
        self._draw(snapshot)

    def laid_out_for_screen(self) -> bool:
        """On screen and not being exported: maps may sit beside their axes with room to
        spare (a figure shows just the maps, and the export trims to them)."""
        return not self.exporting and self.is_on_screen()

    def is_on_screen(self) -> bool:
        """Visible and not a back tab (Qt keeps back tabs 'visible', moved off screen)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def refresh(self) -> None:
        """Draw the latest snapshot now (the view came on screen)."""
        if self.snapshot is not None and self.is_on_screen():
            self._draw(self.snapshot)

    def _draw(self, snapshot: Snapshot) -> None:
        self.show_snapshot(snapshot)
        self.drawn = snapshot
        self.redraws += 1
        styled_for = (id(getattr(snapshot, "structure", None)), appearance.generation)
        if styled_for != self._styled_for:  # new items (a rebuild) or a new text scale
            self._styled_for = styled_for
            appearance.restyle_view(self)
            self.restyled()

    def restyled(self) -> None:
        """Its text sizes changed (the text zoom, an export's projector theme): a view whose
        layout is measured from its text re-measures it here."""

    def showEvent(self, event):
        super().showEvent(event)
        self.refresh()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    @classmethod
    def unavailable_reason(cls, snapshot: Snapshot) -> str:
        """Why this view does not apply to the snapshot's network or data ("" when it
        does), e.g. "the network has no BatchNorm layer". A pure function of the
        snapshot: exports refuse such a view, and the window can hide its tab."""
        return ""

    # -- export ----------------------------------------------------------------------
    def export_item(self):
        """The pyqtgraph item a PNG/SVG/PDF export draws (None: not a figure)."""
        if hasattr(self, "graphics"):
            return self.graphics.ci
        if hasattr(self, "plot_widget"):
            return self.plot_widget.getPlotItem()
        return None

    def export_tables(self) -> dict:
        """{name: (header, rows)}: the exact data drawn, as tidy tables."""
        return {}

    def save_settings(self, settings) -> None:
        """Persist view options (toggles) under ``views/<view_id>/``."""

    def load_settings(self, settings) -> None:
        """Restore what ``save_settings`` stored."""


def layer_kinds(snapshot) -> tuple:
    """The kind of every layer ("dense", "dropout", "batchnorm", …), input first."""
    return tuple(snapshot.structure.layer_kinds)


def not_images(snapshot, test_images: bool = True) -> str:
    """The reason of the image views: "" when the inputs are images' pixels (and, if
    ``test_images``, some are held out for testing)."""
    if snapshot.structure.image_shape is None:
        return "the inputs are not images (the 'digits' data set and MNIST files are)"
    if test_images and not len(snapshot.dataset.X_test):
        return "the data set holds no test images"
    return ""


def fill_layer_choice(combo, snap, kinds=None) -> None:
    """Fill a layer combo box with the lecture names of the layers (of these kinds, if
    given), the layer index as item data, without emitting change signals."""
    combo.blockSignals(True)
    combo.clear()
    for i, (kind, label) in enumerate(zip(snap.structure.layer_kinds, snap.structure.layer_labels)):
        if kinds is None or kind in kinds:
            combo.addItem(label, i)
    combo.blockSignals(False)
