"""A reference trainer: the update exactly as the engine computed it before it was
made lean, written plainly (ndarray.mean and .sum, in-place optimizer slots, a fresh
np.errstate, copies everywhere), for tests that check the lean engine's records
against it bit for bit.

It reads the architecture and the initial arrays from a built Sequential and keeps
its own copies; every record field it produces has the name the engine uses.
"""

from __future__ import annotations

import copy

import numpy as np


REFERENCE_ARRAYS = ("W", "b", "gamma", "beta", "moving_mean", "moving_var")


def _activate(name, z, slope=0.2):
    if name == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    return z


def _activation_backward(name, z, h, dh, slope=0.2):
    if name == "sigmoid":
        return dh * (h * (1.0 - h))
    if name == "tanh":
        return dh * (1.0 - h * h)
    if name == "relu":
        return dh * (z > 0).astype(z.dtype)
    if name == "leaky_relu":
        return dh * np.where(z > 0, 1.0, slope).astype(z.dtype)
    if name == "softmax":
        return h * (dh - (dh * h).sum(axis=0, keepdims=True))
    return dh


class ReferenceTrainer:
    """Minibatch training of a copy of ``model`` as the engine did it (see the module)."""

    def __init__(self, model, loss, optimizer: dict, batch_size, l1=0.0, l2=0.0, seed=0):
        self.layers = [self._spec(layer) for layer in model.layers]
        self.loss, self.opt, self.batch_size, self.l1, self.l2 = loss, dict(optimizer), batch_size, l1, l2
        shuffle_seq, dropout_seq = np.random.SeedSequence(seed).spawn(2)
        self.shuffle_rng, self.dropout_rng = np.random.default_rng(shuffle_seq), np.random.default_rng(dropout_seq)
        self.slots, self.iterations, self.perm, self.pos, self.epoch = None, 0, None, 0, 0

    @staticmethod
    def _spec(layer):
        # the arrays this reference computes (the batch averages' sums are tested on their own)
        arrays = {k: a.copy() for k, a in layer.state_arrays.items() if k in REFERENCE_ARRAYS}
        spec = {"kind": layer.kind, "arrays": arrays}
        activation = getattr(layer, "activation", None)
        if activation is not None:
            spec["act"], spec["slope"] = activation.name, getattr(activation, "negative_slope", 0.2)
        for name in ("rate", "mode", "momentum", "epsilon", "connection_shape"):
            if hasattr(layer, name):
                spec[name] = getattr(layer, name)
        return spec

    def set_data(self, X, Y, labels):
        self.X, self.Y, self.labels = X, Y, labels

    # -- one update ----------------------------------------------------------------------
    def step(self) -> dict:
        if self.perm is None or self.pos >= self.perm.size:
            if self.perm is not None:
                self.epoch += 1
            self.perm, self.pos = self.shuffle_rng.permutation(self.X.shape[0]), 0
        idx = self.perm[self.pos:self.pos + self.batch_size]
        self.pos += idx.size
        with np.errstate(all="ignore"):
            return self._update(self.X[idx].T, self.Y[:, idx], None if self.labels is None else self.labels[idx])

    def _update(self, x, Y, labels):
        records, h, mask = [], x, None
        for spec in self.layers:
            rec, h, mask = self._forward(spec, h, mask)
            records.append(rec)
        out = records[-1]
        loss, accuracy = self._loss(out, Y, labels)
        penalty = self._penalty()
        dh = out.get("dh")
        for i in range(len(records) - 1, -1, -1):
            self._backward(self.layers[i], records[i], dh, i > 0)
            dh = records[i].get("dx")
        self._penalty_gradients(records)
        self._optimize(records)
        return {"loss": loss, "penalty": penalty, "accuracy": accuracy, "layers": records}

    def _forward(self, spec, x, weight_mask):
        a, kind = spec["arrays"], spec["kind"]
        if kind == "dense":
            W = a["W"] if weight_mask is None else a["W"] * weight_mask
            z = W @ x + a["b"][:, None]
            return {"x": x, "z": z, "h": _activate(spec["act"], z, spec["slope"]), "W": a["W"], "b": a["b"],
                    "W_applied": W, "weight_mask": weight_mask}, _activate(spec["act"], z, spec["slope"]), None
        if kind == "activation":
            h = _activate(spec["act"], x, spec["slope"])
            return {"x": x, "z": x, "h": h}, h, None
        if kind == "dropout":
            rec = {"x": x, "h": x}
            if spec["rate"] == 0.0:
                return rec, x, None
            q = 1.0 - spec["rate"]
            if spec["mode"] == "neuron":
                rec["mask"] = self.dropout_rng.random(x.shape) >= spec["rate"]
            else:  # the lecture's masks: exactly round(q·size) ones (halves up, at least one)
                shape = (x.shape[0], 1) if spec["mode"] == "column" else spec["connection_shape"]
                size = int(np.prod(shape))
                kept = max(1, min(size, int(np.floor(q * size + 0.5))))
                rec["mask"] = (self.dropout_rng.permutation(size) < kept).reshape(shape)
            rec["scaled_mask"] = rec["mask"] * np.asarray(1.0 / q, dtype=x.dtype)
            if spec["mode"] == "neuron":
                rec["h"] = x * rec["scaled_mask"]
                return rec, rec["h"], None
            if spec["mode"] == "column":  # W·diag(α/q): α/q repeated down every row of the next W
                return rec, x, np.broadcast_to(rec["scaled_mask"].T, spec["connection_shape"])
            return rec, x, rec["scaled_mask"]
        mean = x.mean(axis=1)
        centred = x - mean[:, None]
        var = (centred * centred).mean(axis=1)
        keep = spec["momentum"]
        a["moving_mean"] = keep * a["moving_mean"] + (1.0 - keep) * mean
        a["moving_var"] = keep * a["moving_var"] + (1.0 - keep) * var
        inv_std = 1.0 / np.sqrt(var + spec["epsilon"])
        x_hat = centred * inv_std[:, None]
        h = a["gamma"][:, None] * x_hat + a["beta"][:, None]
        return {"x": x, "h": h, "mean": mean, "var": var, "inv_std": inv_std, "x_hat": x_hat,
                "gamma": a["gamma"], "beta": a["beta"], "moving_mean": a["moving_mean"],
                "moving_var": a["moving_var"]}, h, None

    def _loss(self, out, Y, labels):
        z, h, m = out["z"], out["h"], Y.shape[1]
        if self.loss == "cross_entropy":
            out["dz"] = h - Y
            picked = (h * Y).sum(axis=0)
            if picked.min() > 1e-300:
                per_point = -np.log(picked)
            else:
                zmax = z.max(axis=0, keepdims=True)
                per_point = -(Y * (z - zmax - np.log(np.exp(z - zmax).sum(axis=0, keepdims=True)))).sum(axis=0)
        elif self.loss == "binary_cross_entropy":
            out["dz"] = h - Y
            per_point = (np.logaddexp(0.0, z) - Y * z).sum(axis=0)
        else:
            out["dh"] = (2.0 / h.shape[0]) * (h - Y)
            out["dz"] = _activation_backward(self.layers[-1]["act"], z, h, out["dh"])
            diff = h - Y
            per_point = (diff * diff).mean(axis=0)
        loss = float(per_point.sum()) / m
        if labels is None:
            return loss, None
        predicted = (h[0] > 0.5) if self.loss == "binary_cross_entropy" else h.argmax(axis=0)
        return loss, np.count_nonzero(predicted == labels) / labels.size

    def _backward(self, spec, rec, dh, need_dx):
        kind = spec["kind"]
        if kind == "dense":
            if "dz" not in rec:
                rec["dh"] = dh
                rec["dz"] = _activation_backward(spec["act"], rec["z"], rec["h"], dh, spec["slope"])
            dz, inv_m = rec["dz"], 1.0 / rec["dz"].shape[1]
            dW = dz @ rec["x"].T
            dW *= inv_m
            if rec["weight_mask"] is not None:
                dW *= rec["weight_mask"]
            rec["dW"], rec["db"] = dW, dz.sum(axis=1) * inv_m
            rec["grads"] = {"W": dW, "b": rec["db"]}
            if need_dx:
                rec["dx"] = rec["W_applied"].T @ dz
        elif kind == "activation":
            rec["dh"] = dh
            rec["dz"] = rec["dx"] = _activation_backward(spec["act"], rec["z"], rec["h"], dh, spec["slope"])
        elif kind == "dropout":
            rec["dh"] = dh
            masked = "scaled_mask" in rec and spec["mode"] == "neuron"
            rec["dx"] = dh * rec["scaled_mask"] if masked else dh
            rec["grads"] = {}
        else:
            rec["dh"] = dh
            rec["grads"] = {"gamma": (dh * rec["x_hat"]).mean(axis=1), "beta": dh.mean(axis=1)}
            if need_dx:
                dx_hat = dh * rec["gamma"][:, None]
                rec["dx"] = (dx_hat - dx_hat.mean(axis=1, keepdims=True)
                             - rec["x_hat"] * (dx_hat * rec["x_hat"]).mean(axis=1, keepdims=True)) * rec["inv_std"][:, None]
        rec.setdefault("grads", {})

    def _dense(self):
        return [s for s in self.layers if s["kind"] == "dense"]

    def _penalty(self):
        if self.l1 == 0.0 and self.l2 == 0.0:
            return 0.0
        return sum(self.l1 * float(np.abs(s["arrays"]["W"]).sum())
                   + self.l2 * float(np.vdot(s["arrays"]["W"], s["arrays"]["W"])) for s in self._dense())

    def _penalty_gradients(self, records):
        if self.l1 == 0.0 and self.l2 == 0.0:
            return
        for spec, rec in zip(self.layers, records):
            if spec["kind"] == "dense":
                W = spec["arrays"]["W"]
                rec["dW_penalty"] = self.l1 * np.sign(W) + (2.0 * self.l2) * W
                rec["grads"] = {"W": rec["dW"] + rec["dW_penalty"], "b": rec["db"]}

    def _optimize(self, records):
        """Keras' rules, with the slots changed in place as the engine's optimizers did."""
        names = [(s, n) for s in self.layers for n in (("W", "b") if s["kind"] == "dense" else
                                                        ("gamma", "beta") if s["kind"] == "batchnorm" else ())]
        params = [s["arrays"][n] for s, n in names]
        grads = [g for r in records for g in r["grads"].values()]
        o, lr = self.opt, self.opt["learning_rate"]
        self.iterations += 1
        if o["name"] == "sgd" and o.get("momentum", 0.0) == 0.0:
            new = [p - lr * g for p, g in zip(params, grads)]
        elif o["name"] == "sgd":
            self.slots = self.slots or [np.zeros_like(p) for p in params]
            mu, new = o["momentum"], []
            for p, g, v in zip(params, grads, self.slots):
                v *= mu
                v -= lr * g
                new.append(p + (mu * v - lr * g) if o.get("nesterov") else p + v)
        else:
            self.slots = self.slots or ([np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params])
            b1, b2, eps, t = 0.9, 0.999, 1e-7, self.iterations
            lr_t = lr * np.sqrt(1.0 - b2 ** t) / (1.0 - b1 ** t)
            new = []
            for p, g, m, v in zip(params, grads, *self.slots):
                m += (1.0 - b1) * (g - m)
                v += (1.0 - b2) * (g * g - v)
                new.append(p - (m / (np.sqrt(v) + eps)) * lr_t)
        for (spec, name), array in zip(names, new):
            spec["arrays"][name] = array

    def parameters(self):
        return [copy.copy(s["arrays"]) for s in self.layers]
