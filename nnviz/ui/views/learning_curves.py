"""Train and test loss (and accuracy) against updates, with epoch marks; the legend
above the plots says what every line is. A loss that became NaN or infinite shows as
a red mark on the top edge, after the last finite values."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout

from .. import theme
from ..logic.decimate import decimate
from ..ranges import StickyRange
from .base import TextThrottle, View
from .decision_boundary import _as_bool

MAX_EPOCH_MARKS = 12  # beyond this, every k-th epoch is marked


RIGHT_MARGIN_PX = 14  # pixels right of the plots: half of an x label like "120"

class LearningCurvesView(View):
    title = "Learning curves"
    short_title = "Curves"  # its tab
    view_id = "curves"
    default_area = "right"
    max_rate_while_playing = 12.0  # curves move slowly; the boundary gets the full rate

    def __init__(self, parent=None):
        super().__init__(parent)
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.toggled.connect(self._on_log_scale_changed)
        self.readout = QLabel("")
        self.readout.setWordWrap(True)  # wraps in a narrow dock instead of being cut
        self.readout.setMinimumWidth(1)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.add_to_header(self.log_scale)
        self.spread = QLabel("")  # the spread of the final losses of several initialisations
        self.spread.setWordWrap(True)  # wraps in a narrow view, never cut
        self.spread.setMinimumWidth(1)
        self.spread.setToolTip("The other initialisations' train losses are the faint lines; "
                               "the numbers are the lowest and highest of their latest train losses")
        self.graphics = pg.GraphicsLayoutWidget()
        # room right of the plots for half the last x label: at the range's end "20" was
        # cut to "2(" by the view's edge
        self.graphics.ci.layout.setContentsMargins(1, 1, RIGHT_MARGIN_PX, 1)
        self.loss_plot = pg.PlotItem()
        self.acc_plot = pg.PlotItem()
        theme.style_plot(self.loss_plot, "updates", "loss")
        theme.style_plot(self.acc_plot, "updates", "accuracy")
        theme.sparse_log_labels(self.loss_plot.getAxis("left"))  # with "Log scale" ticked
        self.loss_range = StickyRange(self.loss_plot)
        self.acc_range = StickyRange(self.acc_plot)
        self.train_loss = self.loss_plot.plot(pen=pg.mkPen(theme.TRAIN_COLOUR, width=2.5))
        self.test_loss = self.loss_plot.plot(pen=pg.mkPen(theme.TEST_COLOUR, width=2.5, style=Qt.DashLine))
        self.diverged = pg.ScatterPlotItem(size=12, symbol="t1", pen=None, brush=pg.mkBrush(theme.VERMILLION))
        self.loss_plot.addItem(self.diverged)  # non-finite losses, on the top edge
        self.train_acc = self.acc_plot.plot(pen=pg.mkPen(theme.TRAIN_COLOUR, width=2.5))
        self.test_acc = self.acc_plot.plot(pen=pg.mkPen(theme.TEST_COLOUR, width=2.5, style=Qt.DashLine))
        # Epoch marks: one curve of vertical segments per plot (connect="pairs").
        mark_pen = pg.mkPen(theme.GREY, width=1, style=Qt.DotLine)
        self.epoch_marks = [plot.plot(pen=mark_pen, connect="pairs") for plot in (self.loss_plot, self.acc_plot)]
        self.legend = theme.legend_row([(self.train_loss, "train"), (self.test_loss, "test"),
                                        (self.epoch_marks[0], "epochs")], columns=4)
        self._diverged_in_legend = False  # the NaN/∞ entry joins the legend when it happens
        self._side_by_side = None  # loss and accuracy next to each other (wide, short dock)
        self._arrange(side_by_side=False)
        self._run_lines = []  # train loss of the other initialisations (thin, faint)
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen(theme.GREY, width=1))
        self.loss_plot.addItem(self.cursor, ignoreBounds=True)
        self.cursor.hide()
        self._text_throttle = TextThrottle()
        self._generation = -1
        self._mouse_proxy = pg.SignalProxy(self.graphics.scene().sigMouseMoved, rateLimit=30,
                                           slot=self._on_mouse_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.readout)
        layout.addWidget(self.spread)
        layout.addWidget(self.graphics, 1)

    def _arrange(self, side_by_side: bool):
        """Legend on top; loss and accuracy stacked, or side by side in a wide, short dock."""
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        layout = self.graphics.ci
        for item in (self.legend, self.loss_plot, self.acc_plot):
            if item.scene() is not None:
                layout.removeItem(item)
        layout.addItem(self.legend, row=0, col=0, colspan=2 if side_by_side else 1)
        layout.addItem(self.loss_plot, row=1, col=0)
        layout.addItem(self.acc_plot, row=1 if side_by_side else 2, col=1 if side_by_side else 0)
        # stacked, "updates" once, under the lower plot: the plots get that room
        self.loss_plot.getAxis("bottom").showLabel(side_by_side)
        # stacked, their x axes line up (side by side each axis has its own width)
        theme.share_width([self.loss_plot.getAxis("left"), self.acc_plot.getAxis("left")], shared=not side_by_side)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._arrange(side_by_side=self.width() > 1.8 * self.height())
        # in a short dock the numbers are in the status bar already; hovering shows them here
        self.readout.setVisible(self.height() > 260)

    def show_snapshot(self, snap):
        h = snap.history
        if snap.generation != self._generation:  # a reset: ranges start afresh
            self._generation = snap.generation
            self.loss_range.reset()
            self.acc_range.reset()
        finite = np.isfinite(h.train_loss)
        self.train_loss.setData(*decimate(h.step[finite], h.train_loss[finite]))
        test = np.isfinite(h.test_loss)
        self.test_loss.setData(*decimate(h.step[test], h.test_loss[test]))
        self.acc_plot.setVisible(not snap.regression)
        if not snap.regression:
            self.train_acc.setData(*decimate(h.step, h.train_acc))
            self.test_acc.setData(*decimate(h.step[test], h.test_acc[test]))
        self._draw_epoch_marks(h)
        self._draw_runs(h)
        self._set_ranges(h)
        self._draw_divergence(h)
        if self._text_throttle.due(snap):
            self.readout.setText(self._describe(len(h.step) - 1))

    def _draw_divergence(self, h):
        """Updates whose train loss is NaN/∞ (or beyond float range): marks on the top edge."""
        bad = ~np.isfinite(h.train_loss) & ~np.isnan(h.step)
        if bad.any() != self._diverged_in_legend:
            self._diverged_in_legend = bool(bad.any())
            if bad.any():
                self.legend.addItem(self.diverged, "NaN / ∞")
            else:
                self.legend.removeItem(self.diverged)
        if not bad.any():
            self.diverged.setData(x=[], y=[])
            return
        top = self.loss_plot.vb.viewRange()[1][1]
        self.diverged.setData(x=h.step[bad], y=np.full(int(bad.sum()), top))

    def _draw_runs(self, h):
        """Other initialisations: their train losses overlaid, and the spread of the latest."""
        runs = h.get("run_train_loss")
        count = runs.shape[1] if runs.ndim == 2 else 0
        while len(self._run_lines) < max(count - 1, 0):
            self._run_lines.append(self.loss_plot.plot(pen=pg.mkPen(0, 114, 178, 90, width=1.5)))
        for r, line in enumerate(self._run_lines, start=1):
            line.setVisible(r < count)
            if r < count:
                line.setData(*decimate(h.step, runs[:, r]))
        if count and np.isfinite(runs[-1]).any():
            last = runs[-1]
            # one short line: in a 720-px window's curves dock, three bold lines of it
            # left the plots a few pixels high
            self.spread.setText(f"{count} runs: latest train loss {np.nanmin(last):.3f}–{np.nanmax(last):.3f}")
        self.spread.setVisible(bool(count))

    def _set_ranges(self, h):
        last = float(h.step[-1]) if len(h.step) else 1.0
        self.loss_range.log_y = self.log_scale.isChecked()
        runs = h.get("run_train_loss")
        extra = runs.ravel() if runs.ndim == 2 else np.zeros(0)
        values = np.concatenate([h.train_loss, h.test_loss, extra])
        self.loss_range.update(last, values[np.isfinite(values)],
                               y_floor=None if self.log_scale.isChecked() else 0.0)
        self.acc_range.update(last, [0.0, 1.0], y_floor=0.0)

    def _draw_epoch_marks(self, h):
        starts = np.asarray(h.epoch_starts, dtype=float)
        every = max(1, -(-len(starts) // MAX_EPOCH_MARKS))
        xs = np.repeat(starts[every - 1::every], 2)
        for curve, values, fallback in ((self.epoch_marks[0], h.train_loss, (0.0, 1.0)),
                                        (self.epoch_marks[1], h.train_acc, (0.0, 1.0))):
            finite = values[np.isfinite(values) & (values > 0)]
            low, high = (finite.min(), finite.max()) if finite.size else fallback
            ys = np.tile([low, high], len(xs) // 2)
            curve.setData(xs, ys)

    def _describe(self, i) -> str:
        if self.snapshot is None or i < 0:
            return ""
        h = self.snapshot.history
        text = f"update {int(h.step[i]):,} · loss {_number(h.train_loss[i])}"
        if np.isfinite(h.test_loss[i]):
            text += f" / {_number(h.test_loss[i])}"
        if np.isfinite(h.train_acc[i]):
            text += f" · accuracy {h.train_acc[i]:.3f}"
            if np.isfinite(h.test_acc[i]):
                text += f" / {h.test_acc[i]:.3f}"
        return text + " (train / test)"

    def _on_mouse_moved(self, event):
        if self.snapshot is None or not len(self.snapshot.history.step):
            return
        pos = event[0]
        for plot in (self.loss_plot, self.acc_plot):
            if plot.sceneBoundingRect().contains(pos):
                x = plot.vb.mapSceneToView(pos).x()
                steps = self.snapshot.history.step
                i = int(np.clip(np.searchsorted(steps, x), 0, len(steps) - 1))
                self.cursor.setPos(steps[i])
                self.cursor.show()
                self.readout.setText(self._describe(i))
                return

    def export_tables(self):
        if self.snapshot is None:
            return {}
        h = self.snapshot.history
        columns = ["update", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
        data = [h.step, h.train_loss, h.test_loss, h.train_acc, h.test_acc]
        runs = h.get("run_train_loss")
        if runs.ndim == 2:
            columns += [f"train_loss_initialisation_{r + 1}" for r in range(runs.shape[1])]
            data += list(runs.T)
        tables = {"curves": (columns, np.column_stack(data))}
        if len(h.epoch_starts):
            tables["epochs"] = (["epoch", "first_update"], [(e + 2, int(s) + 1) for e, s in enumerate(h.epoch_starts)])
        return tables

    def _on_log_scale_changed(self, checked):
        self.loss_plot.setLogMode(y=checked)
        self.loss_range.reset()
        if self.snapshot is not None:
            self._set_ranges(self.snapshot.history)

    def save_settings(self, settings):
        settings.setValue("views/curves/log_scale", self.log_scale.isChecked())

    def load_settings(self, settings):
        self.log_scale.setChecked(_as_bool(settings.value("views/curves/log_scale", False)))


def _number(value: float) -> str:
    """4 significant digits; NaN and ∞ said as such."""
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "∞"
    return f"{value:.4g}"
