"""Animations of training: frames that carry their update number and epoch (drawn on a
caption strip under the figure), written as MP4 through imageio-ffmpeg when it is
installed (``pip install 'nnviz[video]'``) or as an animated GIF, always atomically."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from ..files import atomic_write
from . import theme
from .export_figure import image_of, prepared

ANIMATION_FORMATS = ("mp4", "gif")
CAPTION_SHARE = 0.045  # the caption strip's height as a share of the frame's width
MIN_CAPTION_PX = 22
MP4_BLOCK = 16  # H.264 frames are padded to a multiple of this (no rescaling)


def mp4_available() -> bool:
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def default_format() -> str:
    return "mp4" if mp4_available() else "gif"


def frame_caption(snapshot) -> str:
    """'update 1,200 · epoch 4', counted as the window's status bar counts them."""
    epoch = snapshot.epoch + 1 if snapshot.steps_done else 0
    return f"update {snapshot.steps_done:,} · epoch {epoch}"


def view_frame(view, width: int, projector: bool = True) -> QImage:
    """One frame of ``view``: its figure ``width`` pixels wide and the caption strip. The
    figure is not cropped (every frame keeps the same size and layout) and its ranges
    move as on screen, in steps, instead of refitting at every frame."""
    with prepared(view, projector, frame=True) as figure:
        image = image_of(figure, width)
    return captioned(image, frame_caption(view.snapshot))


def captioned(image: QImage, text: str) -> QImage:
    """``image`` with a white strip below it holding ``text``."""
    strip = max(MIN_CAPTION_PX, round(image.width() * CAPTION_SHARE))
    framed = QImage(image.width(), image.height() + strip, QImage.Format_ARGB32)
    framed.fill(QColor("white"))
    painter = QPainter(framed)
    try:
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        painter.drawImage(0, 0, image)
        font = QFont()
        font.setPixelSize(round(strip * 0.62))
        painter.setFont(font)
        painter.setPen(QColor(theme.INK))
        margin = strip * 0.4
        painter.drawText(QRectF(margin, image.height(), image.width() - 2 * margin, strip),
                         Qt.AlignLeft | Qt.AlignVCenter, text)
    finally:
        painter.end()
    return framed


def write_animation(path: str, frames: list[QImage], fps: float, fmt: str) -> None:
    """Write ``frames`` to ``path`` as ``fmt`` (mp4 or gif); nothing is left on failure."""
    if fmt not in ANIMATION_FORMATS:
        raise ValueError(f"Expected an animation format among {', '.join(ANIMATION_FORMATS)}. Received: {fmt!r}")
    frames = [_on_canvas(frame, frames[0].width(), frames[0].height()) for frame in frames]
    if fmt == "mp4":
        atomic_write(path, lambda tmp: _write_mp4(tmp, frames, fps))
    else:
        atomic_write(path, lambda tmp: _write_gif(tmp, frames, fps))


def _write_gif(path, frames, fps):
    from PIL import Image

    images = [_pil(frame).convert("P", palette=Image.ADAPTIVE, colors=255) for frame in frames]
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(1000 / fps), loop=0)


def _write_mp4(path, frames, fps):
    import imageio_ffmpeg

    width, height = (-(-n // MP4_BLOCK) * MP4_BLOCK for n in (frames[0].width(), frames[0].height()))
    writer = imageio_ffmpeg.write_frames(path, (width, height), fps=fps, codec="libx264", pix_fmt_in="rgb24",
                                         pix_fmt_out="yuv420p", macro_block_size=1, quality=8,
                                         ffmpeg_log_level="error")
    writer.send(None)  # start ffmpeg
    try:
        for frame in frames:
            writer.send(_rgb_bytes(frame, width, height))
    finally:
        writer.close()


def _on_canvas(frame: QImage, width: int, height: int, fmt=QImage.Format_ARGB32) -> QImage:
    """``frame`` on a white canvas of ``width`` × ``height`` (padded or cut at the right
    and bottom): every frame of an animation must have one size."""
    if frame.width() == width and frame.height() == height and frame.format() == fmt:
        return frame
    canvas = QImage(width, height, fmt)
    canvas.fill(QColor("white"))
    painter = QPainter(canvas)
    painter.drawImage(0, 0, frame)
    painter.end()
    return canvas


def _rgb_bytes(frame: QImage, width: int, height: int) -> bytes:
    """The frame as packed RGB, padded with white to ``width`` × ``height``."""
    padded = _on_canvas(frame, width, height, QImage.Format_RGB888)
    rows = bytes(padded.constBits())
    stride = padded.bytesPerLine()
    return b"".join(rows[y * stride: y * stride + width * 3] for y in range(height))


def _pil(qimage):
    from PIL import Image

    rgba = qimage.convertToFormat(QImage.Format_RGBA8888)
    data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
    image = Image.frombuffer("RGBA", (rgba.width(), rgba.height()), data, "raw", "RGBA", rgba.bytesPerLine(), 1)
    return image.convert("RGB")
