"""The network graph's words: each column's label in three lengths and the one-line
count of inputs, weights and biases, in the lecture's terms ("972×20 weights + 20
biases"). No Qt here, so that the counts can be tested on their own."""

from __future__ import annotations

import numpy as np


def units_of(config: dict) -> int:
    """Neurons of a column's first layer: a Dense layer's units, an Embedding's dimensions."""
    return config["units"] if "units" in config else config["dim"]


def fan_in(snap, sizes, column: int) -> int:
    """Inputs of column ``column``'s weights: the previous column's size, or every
    number of an image (an image enters the graph as one node)."""
    if column == 1 and snap.structure.image_shape is not None:
        return int(np.prod(snap.structure.image_shape))
    return sizes[column - 1]


def input_texts(snap) -> tuple:
    """Full, short and name-only labels of the input column."""
    st = snap.structure
    n = len(st.input_names)
    if st.image_shape is not None:
        size = int(np.prod(st.image_shape))
        if len(st.image_shape) == 3:  # colour: the lecture's 18×18×3 = 972
            rows, cols, channels = st.image_shape
            return (f"input x: a colour image\n{rows}×{cols}×{channels} = {size} numbers", f"x\n{size}", "x")
        rows, cols = st.image_shape
        return (f"input x: an image\n{rows}×{cols} = {size} pixels", f"x\n{size}", "x")
    if st.layer_kinds and st.layer_kinds[0] == "embedding":
        return (f"input x: a word\n(one-hot of |V| = {n})", f"x\n|V| = {n}", "x")
    if snap.dataset is not None and snap.dataset.is_text:
        return (f"input x: one-hot word\n|V| = {n} inputs", f"x\n{n}", "x")
    return (f"input x\n{n} features", f"x\n{n}", "x")


def column_texts(snap, groups, sizes, column: int) -> tuple:
    """Full, short and name-only labels of column ``column`` (1 = the first layer)."""
    group = groups[column - 1]
    st = snap.structure
    name, config = st.layer_labels[group[0]], st.layer_configs[group[0]]
    units, n_in = units_of(config), fan_in(snap, sizes, column)
    if config["type"] == "Embedding":  # the lecture's |V|·d: a bias-free Dense on one-hot inputs
        full = f"{name}: {units} dimensions\n|V|×{units} = {n_in}×{units} weights, no bias\n= {n_in * units:,} parameters"
    else:
        full = (f"{name}: {units} neuron{'s' if units != 1 else ''}\n{n_in}×{units} weights + {units} "
                f"bias{'es' if units != 1 else ''}\n= {units * n_in + units} parameters")
    extras = [st.layer_kinds[i] for i in group[1:]]
    if extras:
        full += "\nthen " + ", ".join("BN" if k == "batchnorm" else k for k in extras)
    return full, f"{name}\n{units}", name


def count_text(snap, groups, sizes) -> str:
    """One line: the input's size and every weight matrix's weights and biases."""
    st = snap.structure
    parts, total = [input_texts(snap)[0].replace("\n", " ")], 0
    for column, group in enumerate(groups, start=1):
        config = st.layer_configs[group[0]]
        units, n_in = units_of(config), fan_in(snap, sizes, column)
        if config["type"] == "Embedding":
            parts.append(f"Wᵉ: {n_in}×{units} weights, no bias")
            total += n_in * units
        else:
            parts.append(f"{st.symbol('W', group[0])}: {n_in}×{units} weights + {units} biases")
            total += n_in * units + units
    return "; ".join(parts) + f" — {total:,} parameters in the weights and biases."
