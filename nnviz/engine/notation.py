"""The lecture's notation, written one way everywhere: real superscripts for layer
numbers (z¹, W², h³) and "o" for the output layer (zᵒ, Wᵒ, p).

``sup("12")`` → "¹²"; ``sym("W", "o")`` → "Wᵒ". Plain-text forms for files that
cannot hold them (CSV headers, LaTeX) come from ``ascii_sym`` ("W^o").
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("0123456789oLl+-()", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵒᴸˡ⁺⁻⁽⁾")


def sup(text: str) -> str:
    """Superscript digits, "o" and "L" ("o" → "ᵒ", the output layer)."""
    return str(text).translate(_SUPERSCRIPTS)


def sym(symbol: str, layer: str) -> str:
    """``symbol`` with the layer as superscript: sym("dW", "2") → "dW²"."""
    return f"{symbol}{sup(layer)}"


def ascii_sym(symbol: str, layer: str) -> str:
    """The same in plain text: ascii_sym("dW", "2") → "dW^2"."""
    return f"{symbol}^{layer}"


def superscripts(kinds) -> tuple:
    """Per layer: the lecture superscript of each Dense layer ("1", …, "L", "o"), None
    for the layers between them (Dropout, BatchNorm, Activation)."""
    dense = [i for i, kind in enumerate(kinds) if kind == "dense"]
    names = {i: ("o" if k == len(dense) - 1 else str(k + 1)) for k, i in enumerate(dense)}
    return tuple(names.get(i) for i in range(len(kinds)))


_CARET = re.compile(r"\^\{([0-9oLl+\-()]+)\}|\^(\([0-9oLl+\-]+\))|\^([0-9]+|o|L|l)(?![A-Za-z])")
_DEGREE_O = re.compile(r"(?<=[A-Za-z])°")  # "dW°" typed for dWᵒ


def pretty(text: str) -> str:
    """Caret superscripts written in plain text ("W^o h^2", "x^{12}", "dz^(l+1)") as real
    ones ("Wᵒ h²", "x¹²", "dz⁽ˡ⁺¹⁾"), and a degree sign after a letter as the output
    layer's ᵒ: lesson files may use either, the screen shows one notation."""
    text = _CARET.sub(lambda m: sup(next(g for g in m.groups() if g)), text)
    return _DEGREE_O.sub("ᵒ", text)
