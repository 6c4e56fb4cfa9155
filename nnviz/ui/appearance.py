"""Presentation mode and text zoom, live in every view.

Presentation mode (F11) makes text larger and lines and markers thicker for a lecture
hall; Ctrl+= / Ctrl+− zoom all text. Both are remembered across runs. Every
pyqtgraph item keeps the size it was made with (its "base"), so restyling is
idempotent: sizes are always base × scale, however often the scale changes.
"""

from __future__ import annotations

import weakref

import pyqtgraph as pg
import shiboken6
from PySide6.QtWidgets import QApplication

from . import theme

PRESENTATION_TEXT = 1.2  # text grows this much in presentation mode (still fits 1280 × 720)
PRESENTATION_PEN = 1.7  # lines grow this much
PRESENTATION_MARKER = 1.3  # and markers this much
ZOOMS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)

_STYLED = weakref.WeakKeyDictionary()  # widget → function(scale) → its style sheet


class Appearance:
    """The window's text scale and line scale."""

    def __init__(self, presentation: bool = False, zoom: float = 1.0):
        self.presentation = presentation
        self.zoom = min(ZOOMS, key=lambda z: abs(z - zoom))

    @property
    def text_scale(self) -> float:
        return self.zoom * (PRESENTATION_TEXT if self.presentation else 1.0)

    @property
    def pen_scale(self) -> float:
        return PRESENTATION_PEN if self.presentation else 1.0

    @property
    def marker_scale(self) -> float:
        return PRESENTATION_MARKER if self.presentation else 1.0

    def zoomed(self, steps: int) -> float:
        k = ZOOMS.index(self.zoom) + steps
        return ZOOMS[max(0, min(k, len(ZOOMS) - 1))]


def styled(widget, css) -> None:
    """Give ``widget`` the style sheet ``css(text_scale)`` now and whenever the scale
    changes (style sheets with fixed point sizes would not follow the zoom)."""
    _STYLED[widget] = css
    widget.setStyleSheet(css(current.text_scale))


def apply(appearance: Appearance, views=()) -> None:
    """Set ``appearance`` for the application, every styled widget and these views."""
    global current, generation
    current = appearance
    generation += 1
    app = QApplication.instance()
    font = app.font()
    font.setPointSizeF(theme.FONT_POINT_SIZE * appearance.text_scale)
    app.setFont(font)
    for widget, css in list(_STYLED.items()):
        if shiboken6.isValid(widget):  # Qt may have deleted it (its window closed) while Python holds it
            widget.setStyleSheet(css(appearance.text_scale))
    for view in views:
        restyle_view(view)


def add_menu_actions(menu, set_appearance) -> dict:
    """The View menu's presentation mode (F11) and text zoom (Ctrl+= / Ctrl+− / Ctrl+0),
    calling ``set_appearance(presentation=…, zoom=…, zoom_steps=…)``; every window that
    has views offers the same keys. Returns {"presentation": its checkable action}."""
    presentation = menu.addAction("&Presentation mode (larger text, thicker lines)")
    presentation.setCheckable(True)
    presentation.setShortcut("F11")
    presentation.toggled.connect(lambda on: set_appearance(presentation=on))
    larger = menu.addAction("&Larger text", lambda: set_appearance(zoom_steps=+1))
    larger.setShortcuts(["Ctrl+=", "Ctrl++"])
    menu.addAction("&Smaller text", lambda: set_appearance(zoom_steps=-1), "Ctrl+-")
    menu.addAction("&Normal text size", lambda: set_appearance(zoom=1.0), "Ctrl+0")
    return {"presentation": presentation}


def show_checked(action, checked: bool) -> None:
    """Tick or untick a menu action without it acting."""
    if action.isChecked() != checked:
        action.blockSignals(True)
        action.setChecked(checked)
        action.blockSignals(False)


current = Appearance()
generation = 0  # bumped by apply(): a view restyles when it drew with an older one


def restyle_view(view) -> None:
    """Every pyqtgraph item of ``view`` at the current scale."""
    for graphics in view.findChildren(pg.GraphicsView):
        for item in graphics.scene().items():
            for styler in STYLERS:
                if styler(item):
                    break


def _base(item, **values):
    """The sizes ``item`` was made with, saved the first time it is styled."""
    saved = getattr(item, "_nnviz_base", None)
    if saved is None:
        saved = values
        item._nnviz_base = saved
    return saved


def _points(size) -> float:
    """'11pt' / '14px' / 11 → points."""
    if isinstance(size, (int, float)):
        return float(size)
    text = str(size)
    if text.endswith("px"):
        return float(text[:-2]) * 0.75
    return float(text.rstrip("pt") or theme.FONT_POINT_SIZE)


def _style_axis(item) -> bool:
    if not isinstance(item, pg.AxisItem):
        return False
    font = item.style.get("tickFont") or pg.QtGui.QFont()
    base = _base(item, tick=font.pointSizeF() if font.pointSizeF() > 0 else theme.FONT_POINT_SIZE,
                 label=_points(item.labelStyle.get("font-size", f"{theme.FONT_POINT_SIZE}pt")),
                 pen=item.pen().widthF())
    scaled = pg.QtGui.QFont(font)
    scaled.setPointSizeF(base["tick"] * current.text_scale)
    item.setStyle(tickFont=scaled)
    if item.labelText:
        theme.restyle_label(item, **{**item.labelStyle, "font-size": f"{base['label'] * current.text_scale:.1f}pt"})
    pen = pg.mkPen(item.pen())
    pen.setWidthF(max(base["pen"], 1.0) * current.pen_scale if current.pen_scale != 1 else base["pen"])
    item.setPen(pen)
    return True


def _style_curve(item) -> bool:
    if not isinstance(item, pg.PlotCurveItem) or item.opts.get("pen") is None:
        return False
    pen = pg.mkPen(item.opts["pen"])
    base = _base(item, pen=pen.widthF())
    pen.setWidthF(max(base["pen"], 1.0) * current.pen_scale if current.pen_scale != 1 else base["pen"])
    item.setPen(pen)
    return True


def _style_scatter(item) -> bool:
    if not isinstance(item, pg.ScatterPlotItem) or not item.opts["pxMode"]:
        return False  # pxMode off: sizes are in data units and scale with the plot already
    base = _base(item, size=item.opts["size"])
    item.setSize(base["size"] * current.marker_scale)
    return True


def _style_legend(item) -> bool:
    if not isinstance(item, pg.LegendItem):
        return False
    base = _base(item, size=_points(item.labelTextSize() or f"{theme.FONT_POINT_SIZE}pt"))
    item.setLabelTextSize(f"{base['size'] * current.text_scale:.1f}pt")
    return True


def _style_text(item) -> bool:
    if not isinstance(item, pg.TextItem):
        return False
    font = item.textItem.font()
    base = _base(item, size=font.pointSizeF() if font.pointSizeF() > 0 else theme.FONT_POINT_SIZE)
    font.setPointSizeF(base["size"] * current.text_scale)
    item.setFont(font)
    return True


def _style_title(item) -> bool:
    if not isinstance(item, pg.LabelItem) or not item.text:
        return False
    base = _base(item, size=_points(item.opts.get("size") or f"{theme.FONT_POINT_SIZE}pt"))
    item.setText(item.text, size=f"{base['size'] * current.text_scale:.1f}pt")
    return True


STYLERS = (_style_axis, _style_curve, _style_scatter, _style_legend, _style_text, _style_title)
