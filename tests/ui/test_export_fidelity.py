"""One picture in every format: the PNG, SVG and PDF of a view, each written by a fresh
view, show the same figure (where the ink is, cell by cell), the PDF's text holds the
axis labels of the data's range, and the view on screen is left as it was."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter

from nnviz.ui.export import export_view
from nnviz.ui.export_figure import prepared
from nnviz.ui.export_style import descendants
from nnviz.ui.views import VIEWS
from nnviz.ui.views.decision_boundary import DecisionBoundaryView
from nnviz.ui.views.gradient_flow import GradientFlowView
from nnviz.ui.views.learning_curves import LearningCurvesView
from nnviz.ui.views.network_graph import NetworkGraphView

from ..fidelity import compare_formats, need_tools, number, pdf_words, pixels
from .snapshots import NETWORKS, config_with, shown, snapshot_after

WIDTH = 800  # pixels of the PNG and of the SVG and PDF renderings compared with it
MIN_CORRELATION = 0.9
FIGURES = [cls for cls in VIEWS if cls.view_id != "inspector"]  # the inspector is text
# the network each view is shown with: one it applies to
NETWORK = {"dropout": "dropout", "batchnorm": "batchnorm", "embedding": "words"}
IMAGE_VIEWS = ("images", "vector", "weights")
TEXT_NETWORK = [{"type": "Embedding", "dim": 2}, {"type": "Dense", "units": 4, "activation": "tanh"}]


@pytest.fixture(scope="module")
def snapshots():
    made = {}

    def snapshot_for(view_id):
        key = "digits" if view_id in IMAGE_VIEWS else NETWORK.get(view_id, "plain")
        if key not in made:
            hidden = TEXT_NETWORK if key == "words" else NETWORKS["plain" if key == "digits" else key]
            config = config_with(hidden, dataset=key if key in ("digits", "words") else "circle")
            made[key] = snapshot_after(config, updates=10, evaluations=12)[1]  # 120 updates, 13 points
        return made[key]
    return snapshot_for


def export_each_format(qtbot, view_class, snap, folder):
    """PNG, SVG and PDF, each written by a view of its own (nothing shared between them)."""
    paths = {}
    for fmt in ("png", "svg", "pdf"):
        view = shown(qtbot, view_class, snap)
        paths[fmt] = folder / f"figure.{fmt}"
        export_view(view, str(paths[fmt]), fmt, width=WIDTH)
    return paths


@pytest.mark.parametrize("view_class", FIGURES, ids=[cls.view_id for cls in FIGURES])
def test_png_svg_and_pdf_show_the_same_picture(qtbot, view_class, snapshots, tmp_path):
    need_tools()
    snap = snapshots(view_class.view_id)
    assert view_class.unavailable_reason(snap) == ""
    paths = export_each_format(qtbot, view_class, snap, tmp_path)
    result = compare_formats(paths["png"], paths["svg"], paths["pdf"], tmp_path, WIDTH)
    assert result["svg"] >= MIN_CORRELATION, result
    assert result["pdf"] >= MIN_CORRELATION, result
    png_aspect, svg_aspect, pdf_aspect = result["aspects"]
    assert svg_aspect == pytest.approx(png_aspect, rel=0.01) and pdf_aspect == pytest.approx(png_aspect, rel=0.01)
    assert pixels(paths["png"]).min() < 128  # something dark is drawn, not an empty figure


def axis_labels(pdf):
    """Numbers of the PDF's left axis column (top to bottom) and of its bottom row."""
    words, width, height = pdf_words(pdf)
    numbers = [(x0, y0, x1, y1, number(text)) for x0, y0, x1, y1, text in words if number(text) is not None]
    left = [value for x0, y0, x1, y1, value in sorted(numbers, key=lambda w: w[1]) if x1 < 0.12 * width]
    bottom = [value for x0, y0, x1, y1, value in numbers if y0 > 0.88 * height]
    return left, bottom


def decreasing_runs(values):
    runs = [[values[0]]]
    for value in values[1:]:
        if value < runs[-1][-1]:
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


def test_the_curves_pdf_labels_the_data_range(qtbot, snapshots, tmp_path):
    need_tools()
    snap = snapshots("curves")
    view = shown(qtbot, LearningCurvesView, snap)
    export_view(view, str(tmp_path / "c.pdf"), "pdf")
    left, bottom = axis_labels(tmp_path / "c.pdf")
    last, top_loss = snap.history.step[-1], np.nanmax([snap.history.train_loss, snap.history.test_loss])
    # the x axis ends at the last update (on screen it leaves 50 % room to grow)
    assert 0.6 * last <= max(bottom) <= last
    # two axes read top to bottom: loss from about its maximum down to 0, accuracy 1 … 0
    loss, accuracy = decreasing_runs(left)
    assert loss[-1] == 0 and 0.5 * top_loss <= loss[0] <= 1.1 * top_loss
    assert accuracy[-1] == 0 and 0.8 <= accuracy[0] <= 1.0


def test_the_gradient_pdf_labels_whole_decades(qtbot, snapshots, tmp_path):
    need_tools()
    snap = snapshots("gradients")
    view = shown(qtbot, GradientFlowView, snap)
    export_view(view, str(tmp_path / "g.pdf"), "pdf")
    words, width, height = pdf_words(tmp_path / "g.pdf")
    # the log plot's labels: left column, upper half of the page
    log_labels = [number(t) for x0, y0, x1, y1, t in sorted(words, key=lambda w: w[1])
                  if number(t) is not None and x1 < 0.12 * width and y1 < 0.55 * height]
    assert len(log_labels) >= 2 and log_labels == sorted(log_labels, reverse=True)
    mantissas = {round(v / 10 ** np.floor(np.log10(v)), 6) for v in log_labels}
    assert mantissas <= {1.0, 2.0, 5.0}  # decades (and 2×, 5× when few decades show), no 0.03 0.04 …
    norms = np.concatenate([snap.history.get(f"norm_dW/{i}") for i in view._dense(snap)])
    norms = norms[np.isfinite(norms) & (norms > 0)]
    assert min(log_labels) <= norms.max() and max(log_labels) >= norms.min()


def test_the_plane_ends_at_the_data(qtbot, snapshots, tmp_path):
    need_tools()
    view = shown(qtbot, DecisionBoundaryView, snapshots("boundary"))
    export_view(view, str(tmp_path / "b.pdf"), "pdf")
    _, bottom = axis_labels(tmp_path / "b.pdf")
    assert min(bottom) == -6 and max(bottom) == 6  # the plane is [-6, 6]², not a wider strip


def test_a_view_never_shown_exports_the_picture_of_one_on_screen(qtbot, snapshots, tmp_path):
    snap = snapshots("graph")
    hidden = NetworkGraphView()
    qtbot.addWidget(hidden)
    hidden.resize(500, 900)  # never shown, and another shape: the export lays it out itself
    hidden.set_snapshot(snap)
    export_view(hidden, str(tmp_path / "hidden.png"), "png", width=WIDTH)
    export_view(shown(qtbot, NetworkGraphView, snap), str(tmp_path / "shown.png"), "png", width=WIDTH)
    a, b = pixels(tmp_path / "hidden.png"), pixels(tmp_path / "shown.png")
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0


def test_text_and_lines_grow_with_the_width_asked_for(qtbot, snapshots, tmp_path):
    """A 1,600-pixel PNG is the 800-pixel one at twice the size, legends and lines included."""
    view = shown(qtbot, LearningCurvesView, snapshots("curves"))
    export_view(view, str(tmp_path / "small.png"), "png", width=800)
    export_view(view, str(tmp_path / "large.png"), "png", width=1600)
    small, large = pixels(tmp_path / "small.png"), pixels(tmp_path / "large.png")
    assert large.shape[0] == pytest.approx(2 * small.shape[0], abs=2)
    halved = large[: 2 * (large.shape[0] // 2), :].reshape(large.shape[0] // 2, 2, 800, 2, 3).mean(axis=(1, 3))
    rows = min(len(halved), len(small))
    ink_small = (255 - small[:rows].min(axis=2)) > 48
    ink_large = (255 - halved[:rows].min(axis=2)) > 48
    assert abs(ink_small.mean() - ink_large.mean()) < 0.15 * ink_small.mean()


def test_the_view_on_screen_is_as_before_the_export(qtbot, snapshots, tmp_path):
    view = shown(qtbot, LearningCurvesView, snapshots("curves"))
    axis = view.loss_plot.getAxis("left")
    before = (view.graphics.ci.geometry(), view.loss_plot.viewRange(), axis.style["tickFont"].pointSize(),
              view.train_loss.curve.opts["pen"].widthF(), view.legend.geometry())
    for fmt in ("png", "svg", "pdf"):
        export_view(view, str(tmp_path / f"c.{fmt}"), fmt)
    after = (view.graphics.ci.geometry(), view.loss_plot.viewRange(), axis.style["tickFont"].pointSize(),
             view.train_loss.curve.opts["pen"].widthF(), view.legend.geometry())
    assert after == before


def embedded_images(pdf) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return len(listing.strip().splitlines()) - 2  # two header lines


@pytest.mark.parametrize("view_class, images", [(LearningCurvesView, 0), (GradientFlowView, 0),
                                                (DecisionBoundaryView, 2)])
def test_vector_formats_stay_vector(qtbot, snapshots, tmp_path, view_class, images):
    """Text as text, curves as paths; only heat maps (and their colour bars) are pictures."""
    need_tools()
    if shutil.which("pdfimages") is None:
        pytest.skip("needs pdfimages (poppler-utils)")
    view = shown(qtbot, view_class, snapshots(view_class.view_id))
    for fmt in ("svg", "pdf"):
        export_view(view, str(tmp_path / f"v.{fmt}"), fmt)
    svg = ET.parse(tmp_path / "v.svg").getroot()
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}image")) == images
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}text")) >= 5
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path")) >= 3
    assert embedded_images(tmp_path / "v.pdf") == images
    assert len(pdf_words(tmp_path / "v.pdf")[0]) >= 5


@pytest.mark.parametrize("view_class", [LearningCurvesView, GradientFlowView, DecisionBoundaryView],
                         ids=["curves", "gradients", "boundary"])
def test_axis_titles_clear_the_tick_labels(qtbot, snapshots, view_class):
    """The rotated y-axis title ends left of where the widest tick label begins."""
    view = shown(qtbot, view_class, snapshots(view_class.view_id))
    with prepared(view) as figure:
        axes = [a for a in descendants(figure.item) if isinstance(a, pg.AxisItem)
                and a.orientation == "left" and a.isVisible() and a.label.isVisible()]
        assert axes
        for axis in axes:
            glyphs_right = axis.label.sceneBoundingRect().right() - axis.label.document().documentMargin()
            assert glyphs_right <= tick_labels_left(axis) + 0.5, axis.labelText


def test_the_exported_graph_keeps_its_layer_labels_inside_the_figure(qtbot, snapshots):
    """The projector theme's larger text: the label band is measured again, so the
    labels' first lines are not cut off at the figure's top."""
    view = shown(qtbot, NetworkGraphView, snapshots("graph"))
    with prepared(view) as figure:
        box = view.box.sceneBoundingRect()
        for label in view._labels:
            assert label.sceneBoundingRect().top() >= box.top() - 0.5, label.textItem.toPlainText()


def tick_labels_left(axis) -> float:
    """Scene x where the axis's leftmost drawn tick label begins (pyqtgraph's own layout
    of its labels, as it paints them)."""
    image = QImage(4, 4, QImage.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(axis.style["tickFont"])
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    assert texts
    return min(axis.mapRectToScene(rect).left() for rect, _flags, _text in texts)


@pytest.mark.parametrize("view_class", [LearningCurvesView, DecisionBoundaryView, NetworkGraphView],
                         ids=["curves", "boundary", "graph"])
def test_figures_are_cropped_to_their_ink(qtbot, snapshots, tmp_path, view_class):
    view = shown(qtbot, view_class, snapshots(view_class.view_id))
    export_view(view, str(tmp_path / "f.png"), "png", width=WIDTH)
    ink = (255 - pixels(tmp_path / "f.png").min(axis=2)) > 48
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    margin = 0.03 * WIDTH  # the crop keeps 6 of 1,024 logical pixels: under 1 %
    assert cols[0] <= margin and cols[-1] >= ink.shape[1] - margin
    assert rows[0] <= margin and rows[-1] >= ink.shape[0] - margin


# -- the perceptron lab's views ----------------------------------------------------------------
from nnviz.ui.perceptron.builder_view import PerceptronBuilderView  # noqa: E402
from nnviz.ui.perceptron.controller import PerceptronController  # noqa: E402
from nnviz.ui.perceptron.rule_view import PerceptronRuleView  # noqa: E402

LAB_VIEWS = [PerceptronRuleView, PerceptronBuilderView]


@pytest.fixture(scope="module")
def lab_snapshots():
    """{view id: snapshot}: the rule after 4 updates (a previous line, a used point,
    misclassified points), the circle enclosed by an octagon."""
    controller = PerceptronController()
    made = {}
    controller.rule_changed.connect(lambda snap: made.__setitem__("rule", snap))
    controller.network_changed.connect(lambda snap: made.__setitem__("network", snap))
    controller.reset_rule({"dataset": "separable", "n": 30, "seed": 3})
    for _ in range(4):
        controller.step()
    controller.load_example("circle")
    return made


@pytest.mark.parametrize("view_class", LAB_VIEWS, ids=[cls.view_id for cls in LAB_VIEWS])
def test_the_perceptron_lab_shows_the_same_picture_in_every_format(qtbot, view_class, lab_snapshots, tmp_path):
    need_tools()
    paths = export_each_format(qtbot, view_class, lab_snapshots[view_class.view_id], tmp_path)
    result = compare_formats(paths["png"], paths["svg"], paths["pdf"], tmp_path, WIDTH)
    assert result["svg"] >= MIN_CORRELATION, result
    assert result["pdf"] >= MIN_CORRELATION, result
    png_aspect, svg_aspect, pdf_aspect = result["aspects"]
    assert svg_aspect == pytest.approx(png_aspect, rel=0.01) and pdf_aspect == pytest.approx(png_aspect, rel=0.01)
    words = " ".join(text for *_box, text in pdf_words(paths["pdf"])[0])
    assert "point used" in words or "selected unit" in words  # the legend is text in the figure


@pytest.mark.parametrize("view_class", LAB_VIEWS, ids=[cls.view_id for cls in LAB_VIEWS])
def test_the_perceptron_lab_stays_vector(qtbot, view_class, lab_snapshots, tmp_path):
    """Only the shading is a picture; points, lines, the w arrow and the legend are vector."""
    need_tools()
    view = shown(qtbot, view_class, lab_snapshots[view_class.view_id])
    export_view(view, str(tmp_path / "v.svg"), "svg")
    svg = ET.parse(tmp_path / "v.svg").getroot()
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}image")) == 1
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}text")) >= 10
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path")) >= 10


def test_a_hidden_rule_view_exports_the_picture_of_one_on_screen(qtbot, lab_snapshots, tmp_path):
    hidden = PerceptronRuleView()
    qtbot.addWidget(hidden)
    hidden.resize(500, 900)
    hidden.set_snapshot(lab_snapshots["rule"])
    export_view(hidden, str(tmp_path / "hidden.png"), "png", width=WIDTH)
    export_view(shown(qtbot, PerceptronRuleView, lab_snapshots["rule"]), str(tmp_path / "shown.png"), "png",
                width=WIDTH)
    a, b = pixels(tmp_path / "hidden.png"), pixels(tmp_path / "shown.png")
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0


def test_the_rule_view_csv_is_the_data_drawn(qtbot, lab_snapshots, tmp_path):
    snap = lab_snapshots["rule"]
    view = shown(qtbot, PerceptronRuleView, snap)
    written = export_view(view, str(tmp_path / "rule.csv"), "csv")
    tables = {path.rsplit("-", 1)[1][:-4]: np.genfromtxt(path, delimiter=",", names=True, dtype=None,
                                                          encoding="utf-8") for path in written}
    assert set(tables) == {"points", "w", "lines", "arrow", "sides"}
    points = tables["points"]
    np.testing.assert_allclose(np.column_stack([points["x1"], points["x2"]]), snap.X, rtol=1e-9)
    assert list(np.flatnonzero(points["misclassified"])) == list(snap.misclassified)
    assert list(np.flatnonzero(points["used_by_the_update"])) == [snap.last.index]
    for row in tables["lines"]:
        w = snap.w if row["line"] == "separator" else snap.last.w_before
        for x1, x2 in ((row["x1_start"], row["x2_start"]), (row["x1_end"], row["x2_end"])):
            assert abs(w @ [x1, x2, 1.0]) < 1e-6  # both ends lie on the line drawn
    np.testing.assert_allclose([tables["w"]["w1"][0], tables["w"]["w2"][0], tables["w"]["w0"][0]], snap.w)


def test_scatters_sized_in_data_units_are_not_scaled_twice_in_an_export(qtbot):
    """pyqtgraph multiplies every scatter's sizes by the export's resolution scale; for
    sizes in data units the painter scales them already: the graph's dropped-neuron
    squares came out three neurons wide in `nnviz export dropout --views graph`."""
    from nnviz.ui.export_figure import set_export_mode

    _, snap = snapshot_after(config_with(NETWORKS["dropout"]))
    view = shown(qtbot, NetworkGraphView, snap)
    root = view.export_item()
    set_export_mode(root, True, {"antialias": True, "resolutionScale": 3.0})
    try:
        assert not view._dropped.opts["pxMode"] and view._dropped._exportOpts["resolutionScale"] == 1.0
        assert view._dropped.picture is None  # redrawn at the export's sizes, not a cached drawing
        in_pixels = [c for c in descendants(root) if isinstance(c, pg.ScatterPlotItem) and c.opts["pxMode"]]
        assert all(c._exportOpts["resolutionScale"] == 3.0 for c in in_pixels)
    finally:
        set_export_mode(root, False)


def test_a_deep_networks_activation_maps_wrap_into_rows_in_every_figure(qtbot):
    """19 maps in one row made a 2400 × 316 strip; and a second figure in the same run
    (SVG after PNG) was laid out at the unwrapped row's width, unlike the first."""
    from nnviz.ui.views.activations import MAPS_PER_FIGURE_ROW, ActivationsView

    _, snap = snapshot_after(config_with(NETWORKS["eight"]))
    view = shown(qtbot, ActivationsView, snap, size=(900, 400))
    maps = len(view._rows)
    assert maps > MAPS_PER_FIGURE_ROW
    sources = []
    for _ in range(2):
        with prepared(view, projector=True) as figure:
            assert view._laid_out[1] <= MAPS_PER_FIGURE_ROW
            sources.append((round(figure.source.width()), round(figure.source.height())))
        assert view._laid_out[1] == maps  # one row again on screen (it scrolls sideways)
    assert sources[0] == sources[1]
    width, height = sources[0]
    assert width < 4 * height
