"""Where the views go in the main window, and which of them are shown.

The centre is TensorFlow Playground's: the network graph, with the decision boundary
(or, for images, the image samples with their predictions) beside it; the learning
curves on the right; the inside views as tabs below. A view that cannot apply to the
network or data on screen (no Dropout tab without a Dropout layer, no image tabs
without images) is hidden, and comes back when it applies again. Tab titles are short
and never elided; the first window fits the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QSplitter, QTabBar, QToolButton, QVBoxLayout,
                               QWidget)

from .export_dialog import DockTitleBar

AREAS = {"right": Qt.RightDockWidgetArea, "left": Qt.LeftDockWidgetArea, "bottom": Qt.BottomDockWidgetArea}
DEFAULT_SIZE = (1600, 1000)  # the first window, on a screen at least this large
WIDE_SCREEN = 1500  # from this width on, the learning curves get a column of their own
DEFAULT_TAB = "activations"  # the inside view in front when a lesson names none
CENTRAL_ORDER = ("graph", "boundary", "images")  # left to right in the centre


class ViewFrame(QWidget):
    """A central view with a title row and its Export… button (docks have theirs in
    their title bar)."""

    export_requested = Signal()

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.view = view
        title = QLabel(view.short_title)
        title.setToolTip(view.title)
        title.setStyleSheet("font-weight: bold;")
        export = QToolButton(text="Export…")
        export.setToolTip(f"Export {view.title} as PNG, SVG, PDF, CSV …")
        export.clicked.connect(self.export_requested)
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(title)
        for widget in view.header_widgets:
            header.addWidget(widget)
        header.addStretch(1)
        header.addWidget(export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(view, 1)


class WindowLayout:
    """Builds the centre and the docks of ``window`` for its ``views`` and keeps the
    shown set in line with the snapshot's structure."""

    def __init__(self, window):
        self.window = window
        self.views = window.views
        self.docks: dict[str, QDockWidget] = window.docks
        self.frames: dict[str, ViewFrame] = {}
        self._structure = None  # the Structure the shown set was chosen for
        self._hidden_by_rule: set[str] = set()  # views hidden because they do not apply

    # -- construction ------------------------------------------------------------------
    def build_central(self, message_bar) -> QWidget:
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        central = sorted((v for v in self.views.values() if v.default_area == "central"),
                         key=lambda v: CENTRAL_ORDER.index(v.view_id) if v.view_id in CENTRAL_ORDER else 99)
        for view in central:
            frame = ViewFrame(view)
            frame.export_requested.connect(lambda v=view: self.window.export_with_dialog(v))
            self.frames[view.view_id] = frame
            self.splitter.addWidget(frame)
            if view.view_id not in ("graph", "boundary"):  # until a snapshot says they apply
                frame.hide()
                self._hidden_by_rule.add(view.view_id)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(message_bar)
        layout.addWidget(self.splitter, 1)
        return central

    def build_docks(self):
        """The curves beside the inside tabs at the bottom (a wide screen moves them to the
        right, see fit_screen); the inside views tabbed."""
        first_of_group: dict[str, QDockWidget] = {}
        curves = None
        for view in self.views.values():
            if view.default_area == "central":
                continue
            area = Qt.BottomDockWidgetArea if view.view_id == "curves" else AREAS[view.default_area]
            dock = self.window.add_dock(view.view_id, view.short_title, view, area)
            if view.view_id == "curves":
                curves = dock
            dock.setToolTip(view.title)
            title_bar = DockTitleBar(dock)
            title_bar.export_requested.connect(lambda v=view: self.window.export_with_dialog(v))
            dock.setTitleBarWidget(title_bar)
            # a tab brought to the front is drawn at once (QTimer: after Qt has placed it)
            dock.visibilityChanged.connect(lambda visible, v=view: visible and QTimer.singleShot(0, v.refresh))
            group = view.tab_group
            if group in first_of_group:
                self.window.tabifyDockWidget(first_of_group[group], dock)
            elif group is not None:
                first_of_group[group] = dock
                if curves is not None and area == Qt.BottomDockWidgetArea:
                    self.window.splitDockWidget(curves, dock, Qt.Horizontal)  # before any tab joins it
        self.no_elided_tabs()

    def no_elided_tabs(self):
        """Tabs as wide as their titles, with scroll arrows if they do not all fit."""
        for bar in self.window.findChildren(QTabBar):
            bar.setElideMode(Qt.ElideNone)
            bar.setUsesScrollButtons(True)
            bar.setExpanding(False)

    # -- which views are shown ---------------------------------------------------------
    def apply_structure(self, snap) -> None:
        """Hide what does not apply to this build, show again what applies again."""
        if snap.structure is self._structure:
            return
        self._structure = snap.structure
        for view_id, view in self.views.items():
            applies = not type(view).unavailable_reason(snap)
            holder = self.frames.get(view_id) or self.docks.get(view_id)
            if holder is None:
                continue
            if not applies and holder.isVisibleTo(self.window):
                self._hidden_by_rule.add(view_id)
                holder.hide()
            elif applies and view_id in self._hidden_by_rule:
                self._hidden_by_rule.discard(view_id)
                holder.show()
            if isinstance(holder, QDockWidget):
                holder.toggleViewAction().setEnabled(applies)
        self._raise_front()
        self.no_elided_tabs()

    def bring_forward(self, view_ids) -> list[str]:
        """Raise the lesson's views (and a default inside tab); return unknown names."""
        unknown = [v for v in view_ids if v not in self.docks and v not in self.frames]
        wanted = [v for v in view_ids if v in self.docks]
        if not any(self.views[v].tab_group == "inside" for v in wanted):
            wanted.insert(0, DEFAULT_TAB)
        self._front = wanted  # raised again once the lesson's model says which views apply
        self._raise_front()
        return unknown

    def _raise_front(self):
        for view_id in getattr(self, "_front", ()):
            if view_id not in self._hidden_by_rule:
                self.docks[view_id].show()
                self.docks[view_id].raise_()

    # -- the window on the screen ------------------------------------------------------
    def fit_screen(self, geometry, state) -> None:
        """Restore the saved geometry and layout, clamped onto the screen the window is
        on; the first time, the window takes the screen (up to DEFAULT_SIZE)."""
        w = self.window
        if isinstance(geometry, QByteArray):
            w.restoreGeometry(geometry)
        else:
            w.resize(*DEFAULT_SIZE)
        if isinstance(state, QByteArray):
            w.restoreState(state)
        self.clamp_to_screen()
        if not isinstance(state, QByteArray):
            self._first_layout()

    def _first_layout(self):
        """The first run: on a wide screen the curves go right of the centre; on a
        projector-sized one they stay beside the inside tabs, leaving the centre its width."""
        w, curves = self.window, self.docks["curves"]
        if w.width() >= WIDE_SCREEN:
            w.addDockWidget(Qt.RightDockWidgetArea, curves)
            w.resizeDocks([curves], [340], Qt.Horizontal)
        else:
            self.narrow()
        w.resizeDocks([self.docks[DEFAULT_TAB]], [int(w.height() * 0.36)], Qt.Vertical)

    def narrow(self) -> None:
        """The projector layout: the curves beside the inside tabs (a layout saved on a wide
        screen would not fit a 1280-pixel one: its minimum width is larger)."""
        w, curves = self.window, self.docks["curves"]
        if w.dockWidgetArea(curves) != Qt.BottomDockWidgetArea and not curves.isFloating():
            w.addDockWidget(Qt.BottomDockWidgetArea, curves)
            w.splitDockWidget(curves, self._front_inside_dock(), Qt.Horizontal)
        w.resizeDocks([curves], [int(w.width() * 0.3)], Qt.Horizontal)
        # the smaller minimum now, not at the next event loop: a resize that follows at once
        # (clamp_to_screen) would be clamped to the wide layout's minimum width
        w.layout().activate()

    def _front_inside_dock(self) -> QDockWidget:
        """The inside tab in front (splitting next to it keeps the tab group together)."""
        inside = [d for v, d in self.docks.items() if v in self.views and self.views[v].tab_group == "inside"
                  and d.isVisible()]
        on_screen = [d for d in inside if not d.visibleRegion().isEmpty()]
        return (on_screen or inside or [self.docks[DEFAULT_TAB]])[0]

    def clamp_to_screen(self) -> None:
        w = self.window
        screen = w.screen() or w.windowHandle() and w.windowHandle().screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        if w.minimumSizeHint().width() > area.width() - (w.frameGeometry().width() - w.width()):
            self.narrow()  # a layout from a wider screen: the curves leave the centre's width
        frame = w.frameGeometry()
        extra_w, extra_h = frame.width() - w.width(), frame.height() - w.height()
        width = min(w.width(), area.width() - extra_w)
        height = min(w.height(), area.height() - extra_h)
        if (width, height) != (w.width(), w.height()):
            w.resize(width, height)
        rect = QRect(frame.topLeft(), w.frameGeometry().size())
        if not area.contains(rect):
            x = min(max(rect.left(), area.left()), area.right() - rect.width() + 1)
            y = min(max(rect.top(), area.top()), area.bottom() - rect.height() + 1)
            w.move(x, y)
