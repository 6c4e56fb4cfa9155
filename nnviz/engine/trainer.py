"""Minibatch training, one update at a time, with a record of every update.

    trainer = Trainer(model, loss="cross_entropy", optimizer=SGD(0.1), batch_size=10)
    rec = trainer.update(Xb, yb)   # exactly one update on exactly this batch
    trainer.set_data(X, y)         # the training set for the epoch schedule
    rec = trainer.step()           # the next minibatch of the schedule
    trainer.run_epoch()            # the rest of the current epoch

An epoch is one pass over the training set, reshuffled at its start with the
trainer's seeded Generator; the last batch may be smaller. Gradients are
averaged over the batch (see ``records`` for every array's shape).

A stacked model (``Sequential.stack``: several initialisations on a leading run axis)
trains with the same code: the runs share the minibatches and the dropout draws, so
run r is exactly what it would be alone. A run other than the first that produces
NaN/∞ is *stopped* (its state held as it was before that update; ``stopped`` and
``newly_stopped`` say so) while the others go on; the first run is the main one, and
its divergence raises NonFiniteError as a single run's does.

The step is lean, because for small networks NumPy's per-call overhead is the cost:
no copies (records hold references: see the invariant in ``records``), ufunc
reductions rather than their Python wrappers, one finiteness test per weight matrix,
the batch accuracy computed only when asked. Plain SGD on a network of Dense layers
(the lessons' usual case) goes further: the gradients and the new parameters are each
one flat buffer (``flat``), so the update and its NaN/∞ test are three NumPy calls
for the whole network, with the same bits as array by array.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .divergence import NonFiniteError, first_problem, squares_are_finite
from .flat import FlatParameters, packs
from .numerics import Quiet as _Quiet, batch_mean as _batch_mean
from .losses import get_loss
from .network import Sequential
from .optimizers import SGD, Optimizer
from .formulas import phase_labels
from .notation import sym
from .records import Phase, StepRecord
from .targets import as_target_matrix

__all__ = ["Trainer", "NonFiniteError"]

def _frozen_phase(kind, layer, label, records, step) -> Phase:
    """A Phase holding copies of the records as they are now: the phases after it fill
    in the working records, never these (a snapshot of an earlier phase stays as it was)."""
    layers = tuple(r.copy() for r in records)
    record = None if step is None else dataclasses.replace(step, layers=list(layers))
    return Phase(kind, layer, label, layers, record)


def _check_learning_rate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"Expected learning_rate to be a number. Received: learning_rate={value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"Expected learning_rate > 0. Received: learning_rate={value}")
    return float(value)


def _check_batch_size(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Expected batch_size to be an integer. Received: batch_size={value!r}")
    if value < 1:
        raise ValueError(f"Expected batch_size >= 1. Received: batch_size={value}")
    return int(value)


def _check_momentum(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0.0 <= float(value) < 1.0:
        raise ValueError(f"Expected 0 <= momentum < 1. Received: momentum={value!r}")
    return float(value)


def _check_non_negative(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"Expected {name} to be a number. Received: {name}={value!r}")
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"Expected {name} >= 0. Received: {name}={value}")
    return float(value)


class Trainer:
    """Trains ``model`` by minibatch gradient descent on data loss + l1·Σ|w| + l2·Σw²."""

    def __init__(self, model: Sequential, loss="cross_entropy", optimizer: Optimizer | None = None,
                 batch_size=10, l1=0.0, l2=0.0, seed=0, check_finite=True):
        if not isinstance(model, Sequential):
            raise TypeError(f"Expected model to be a Sequential. Received: model={model!r}")
        self.model = model
        self.loss = get_loss(loss)
        self._check_output_matches_loss()
        self.optimizer = optimizer if optimizer is not None else SGD(0.01)
        self.batch_size = batch_size
        self.l1, self.l2 = l1, l2
        self.check_finite = check_finite
        self.seed = seed
        # Separate streams so that dropout draws never change the shuffles.
        shuffle_seq, dropout_seq = np.random.SeedSequence(seed).spawn(2)
        self.shuffle_rng = np.random.default_rng(shuffle_seq)  # epoch permutations
        self.dropout_rng = np.random.default_rng(dropout_seq)  # dropout masks
        self.steps_done = 0  # updates applied so far
        self.epoch = 0  # epoch of the next scheduled batch
        self._perm: np.ndarray | None = None  # (N,) this epoch's order of the training set
        self._pos = 0  # next position in _perm
        # shuffle_rng's state when this epoch's permutation was drawn: a checkpoint keeps
        # it (a few integers) and redraws the order, instead of a copy of N indices.
        # None before the first epoch, or when _perm came from an old session file.
        self._epoch_rng: dict | None = None
        self._X = self._Y = self._labels = None  # training set, (N, d) rows / (n_o, N) / (N,)
        self._runs = model.runs  # None for one network, R for R stacked initialisations
        self._slots = [(layer, name) for layer in model.layers for name in layer.state_arrays]
        self._param_slots = [(model.layers[i], name) for i, name, _ in model.parameters()]
        self._params = [p for _, _, p in model.parameters()]
        # positions of the Dense weight matrices in the parameter list (finiteness checks)
        self._weights = [j for j, (i, name, _) in enumerate(model.parameters())
                         if model.layers[i].kind == "dense" and name == "W"]
        self._dense = [(i, layer) for i, layer in enumerate(model.layers) if layer.kind == "dense"]
        # plain SGD on a network of Dense layers updates one flat buffer (see flat.py)
        self._flat = FlatParameters(model.layers) if packs(model) else None
        # layers that keep per-epoch statistics (BatchNorm's batch averages): told when one ends
        self._epoch_listeners = [layer for layer in model.layers if hasattr(layer, "end_epoch")]
        names = model.dense_names()
        self._norm_names = [(sym("dW", s), sym("W", s)) for s in names]
        self.stopped: dict[int, int] = {}  # stacked runs stopped by NaN/∞ → updates they had done
        self.newly_stopped: list[tuple[int, NonFiniteError]] = []  # (run, why): taken by the caller
        self._held: dict[int, list] = {}  # stopped run → its state arrays, held each update
        self._before: list | None = None  # the state arrays before this update (stacked runs)
        self.last_record: StepRecord | None = None

    def _check_output_matches_loss(self):
        out = self.model.layers[-1]
        needed = self.loss.requires_activation
        if needed is not None and out.activation.name != needed:
            raise ValueError(f"loss={self.loss.name!r} needs a {needed} output layer. "
                             f"Received: output activation {out.activation.name!r}")
        if self.loss.name == "binary_cross_entropy" and out.units != 1:
            raise ValueError(f"loss='binary_cross_entropy' needs a 1-unit output. "
                             f"Received: output units={out.units}")

    # -- hyper-parameters that may change between updates -------------------------
    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        self._batch_size = _check_batch_size(value)

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, value):
        self._l1 = _check_non_negative(value, "l1")

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value):
        self._l2 = _check_non_negative(value, "l2")

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.optimizer.learning_rate = value

    @property
    def is_classifier(self) -> bool:
        return self.loss.name != "mse"

    # -- data ----------------------------------------------------------------------
    def set_data(self, X, y) -> None:
        """X: (N, d) rows; y: (N,) class indices / values or (N, n_o). Restarts the
        epoch schedule at epoch 0 (the step count and parameters are kept)."""
        X, Y, labels = self._prepare(X, y)
        if X.shape[1] == 0:
            raise ValueError("Expected at least one training point. Received: X.shape=(0, …)")
        self._X, self._Y, self._labels = X, Y, labels
        self._perm, self._pos, self.epoch, self._epoch_rng = None, 0, 0, None

    def _prepare(self, X, y):
        X = self.model.check_input(X)
        Y, labels = as_target_matrix(y, self.loss.name, self.model.output_dim, self.model.dtype)
        if Y.shape[1] != X.shape[0]:
            raise ValueError(f"Expected as many labels as points. Received: X.shape={X.shape}, "
                             f"y with {Y.shape[1]} labels")
        # X stays in rows: gathering a minibatch of rows is a few contiguous copies,
        # gathering columns of (d, N) is a strided crawl (3× slower at d = 784).
        return X, Y, labels

    @property
    def n_train(self) -> int:
        return 0 if self._X is None else self._X.shape[0]

    @property
    def updates_per_epoch(self) -> int:
        return -(-self.n_train // self.batch_size)

    # -- training ------------------------------------------------------------------
    @property
    def runs(self) -> int | None:
        """None for one network, R for R initialisations stacked side by side."""
        return self._runs

    def update(self, Xb, yb) -> StepRecord:
        """Exactly one update on exactly this batch (Xb: (m, d), yb: (m,) or (m, n_o))."""
        X, Y, labels = self._prepare(Xb, yb)
        return self._update(X, Y, labels, None)

    def step(self) -> StepRecord:
        """One update on the next minibatch of the epoch schedule."""
        return self._update(*self._next_batch())

    def _next_batch(self):
        """(X rows, Y, the labels to read the batch's from, indices) of the next
        minibatch; advances the schedule."""
        if self._X is None:
            raise RuntimeError("No training set: call trainer.set_data(X, y) first.")
        if self._perm is None or self._pos >= self._perm.size:
            self._start_epoch()
        idx = self._perm[self._pos:self._pos + self._batch_size]
        self._pos += idx.size
        return self._X[idx], self._Y[:, idx], self._labels, idx

    def _start_epoch(self):
        if self._perm is not None:
            self.epoch += 1
        self._epoch_rng = self.shuffle_rng.bit_generator.state  # a new dict, never changed
        self._perm = self.shuffle_rng.permutation(self.n_train)
        self._pos = 0

    @property
    def epoch_finished(self) -> bool:
        """True when the next step() starts a new epoch."""
        return self._perm is None or self._pos >= self._perm.size

    def run_epoch(self) -> StepRecord | None:
        """Run the rest of the current epoch (a whole one if it is complete);
        return the last update's record."""
        if self._X is None:
            raise RuntimeError("No training set: call trainer.set_data(X, y) first.")
        rec = self.step()
        while not self.epoch_finished:
            rec = self.step()
        return rec

    def gradients(self, Xb, yb) -> StepRecord:
        """One forward and backward pass on this batch, without the update.

        Like an update it draws dropout masks and moves BatchNorm's moving
        statistics; the parameters and the step count stay as they are."""
        X, Y, labels = self._prepare(Xb, yb)
        return self._forward_backward(X, Y, labels, None)

    def _update(self, X, Y, labels, idx) -> StepRecord:
        if self._runs is not None:
            self._before = [getattr(layer, name) for layer, name in self._slots]
        if self._flat_applies():
            return self._flat_update(X, Y, labels, idx)
        with _Quiet():
            records = self.model.forward(X.T, training=True, rng=self.dropout_rng)
            rec = self._loss_phase(records, Y, labels, idx)
            self.model.backward(records, records[-1].dh)
            self._apply_update(rec)
        return rec

    def _flat_applies(self) -> bool:
        """Plain SGD without penalties on a network ``flat.packs``: the update that
        computes on one buffer (the same bits as the update array by array)."""
        optimizer = self.optimizer
        return (self._flat is not None and type(optimizer) is SGD and optimizer.momentum == 0.0
                and self._l1 == 0.0 and self._l2 == 0.0)

    def _flat_update(self, X, Y, labels, idx) -> StepRecord:
        """One update with the gradients written into one new buffer g and the new
        parameters into another: p − α·g is two calls and its NaN/∞ test one."""
        flat, optimizer = self._flat, self.optimizer
        params = flat.current(self._params)
        grads, grads_out = flat.blank_by_layer()
        new, new_views = flat.blank()  # its views made now, before the update streams W
        with _Quiet():
            records = self.model.forward(X.T, training=True, rng=self.dropout_rng)
            rec = self._loss_phase(records, Y, labels, idx)
            self.model.backward(records, records[-1].dh, grads_out)
            np.multiply(grads, optimizer.learning_rate, out=new)  # α·g, as SGD.propose
            np.subtract(params, new, out=new)
            finite = math.isfinite(np.vdot(new, new)) if self.check_finite else True
        if finite and math.isfinite(rec.loss):
            # the usual case in as few steps as it takes (every Python step after the
            # update runs with the caches full of W: several times slower than warm)
            optimizer.iterations += 1
            flat.take(new, new_views)
            self._params = new_views
            self.steps_done += 1
            self.last_record = rec
            return rec  # no epoch listeners: no layer of a packed network keeps statistics
        grad_views = [g for pair in grads_out if pair is not None for g in pair]
        self._commit(rec, grad_views, new_views, {"iterations": optimizer.iterations + 1}, finite, new)
        return rec

    def _forward_backward(self, X, Y, labels, idx) -> StepRecord:
        """X: (m, d) rows of the batch; the network sees the (d, m) view Xᵀ."""
        records = self.model.forward(X.T, training=True, rng=self.dropout_rng)
        rec = self._loss_phase(records, Y, labels, idx)
        self.model.backward(records, records[-1].dh)
        self._add_penalty_gradients(records)
        return rec

    def _loss_phase(self, records, Y, labels, idx) -> StepRecord:
        """p, the loss and dz^o = p − y (or dh^o for MSE); the record of the update."""
        out = records[-1]
        out.dz, out.dh = self.loss.output_delta(out.z, out.h, Y, self.model.layers[-1].activation)
        loss = _batch_mean(self.loss.per_point(out.z, out.h, Y))
        return StepRecord(self.steps_done, self.epoch, idx, Y, loss, self._penalty(), records,
                          self.optimizer.learning_rate, labels)

    def _apply_update(self, rec: StepRecord) -> None:
        """Penalty gradients, the optimizer's proposal, finiteness, then commit."""
        self._add_penalty_gradients(rec.layers)
        grads = [g for r in rec.layers for g in r.grads.values()]
        new, pending = self.optimizer.propose(self._params, grads)
        finite = (squares_are_finite([new[j] for j in self._weights], self._runs)
                  if self.check_finite else True)
        self._commit(rec, grads, new, pending, finite)

    def _commit(self, rec, grads, new, pending, finite, flat=None) -> None:
        """Take the proposed parameters ``new`` (views of the buffer ``flat`` in the flat
        update) unless the update produced NaN/∞ (``finite``: the squares test's verdict)."""
        problem = self._problem(rec, grads, new, finite) if self.check_finite else None
        if problem is not None and not problem.applied:
            raise problem  # nothing changed: the last finite weights stay
        self.optimizer.commit(pending)
        if flat is None:
            for (layer, name), array in zip(self._param_slots, new):
                setattr(layer, name, array)  # new arrays: the record keeps the weights it used
        else:
            self._flat.take(flat, new)
        self._params = new
        if self._held:
            self._hold_stopped()
        if problem is not None:
            raise problem
        self.steps_done += 1
        self.last_record = rec
        if self._epoch_listeners and rec.batch_indices is not None and self.epoch_finished:
            for layer in self._epoch_listeners:  # the schedule's epoch just had its last batch
                layer.end_epoch()

    def _problem(self, rec, grads, new, finite) -> NonFiniteError | None:
        """The main run's NaN/∞, if any; other stacked runs that produced one are
        stopped here (and said so in ``newly_stopped``). ``finite``: whether the sum of
        squares of the new parameters was finite (a bool, or (runs,) bools)."""
        weights = [new[j] for j in self._weights]
        if self._runs is None:
            if math.isfinite(rec.loss) and finite:
                return None
            return first_problem(self.steps_done, rec.loss, [grads[j] for j in self._weights],
                                 weights, self._norm_names)
        bad = ~(np.isfinite(rec.loss) & finite)
        for r in self.stopped:
            bad[r] = False
        for r in np.flatnonzero(bad).tolist():
            problem = first_problem(self.steps_done, rec.loss, [grads[j] for j in self._weights],
                                    weights, self._norm_names, r)
            if problem is not None and r == 0:
                return problem
            if problem is not None:
                self._stop_run(r, problem)
        return None

    # -- stacked runs stopped by NaN/∞ -----------------------------------------------
    def _stop_run(self, r: int, problem: NonFiniteError) -> None:
        """Hold run r where it was before this update (the others go on)."""
        self.stopped[r] = self.steps_done
        self._held[r] = [array[r] for array in self._before]
        self.newly_stopped.append((r, problem))

    def _hold_stopped(self) -> None:
        """Put the stopped runs' held state back into new arrays (the update wrote its
        own values there; records keep theirs)."""
        for k, (layer, name) in enumerate(self._slots):
            array = getattr(layer, name).copy()
            for r, held in self._held.items():
                array[r] = held[k]
            setattr(layer, name, array)
        self._params = [p for _, _, p in self.model.parameters()]

    def phases(self, Xb=None, yb=None):
        """The next update as a generator of Phases in the lecture's order: forward
        layer by layer, the loss, backward from the output to layer 1, the update.

        Without a batch it takes the next minibatch of the schedule (like step()).
        Consuming every phase is exactly (bit for bit) one step()/update(); the
        generator's return value is the StepRecord."""
        if Xb is None:
            batch = self._next_batch()
        else:
            batch = (*self._prepare(Xb, yb), None)
        return self._phases(*batch)

    def _phases(self, X, Y, labels, idx):
        if self._runs is not None:
            self._before = [getattr(layer, name) for layer, name in self._slots]
        names = phase_labels(self.model, self.loss, self.optimizer, self._l1 > 0 or self._l2 > 0)
        records, h, mask = [], X.T, None
        for i in range(len(self.model.layers)):
            with _Quiet():
                rec, h, mask = self.model.forward_layer(i, h, mask, True, self.dropout_rng)
            records.append(rec)
            yield _frozen_phase("forward", i, names["forward"][i], records, None)
        with _Quiet():
            step = self._loss_phase(records, Y, labels, idx)
        yield _frozen_phase("loss", len(records) - 1, names["loss"], records, step)
        dh = records[-1].dh
        for i in range(len(records) - 1, -1, -1):
            with _Quiet():
                self.model.layers[i].backward(dh, records[i], need_dx=i > 0)
            dh = records[i].dx
            yield _frozen_phase("backward", i, names["backward"][i], records, step)
        with _Quiet():
            self._apply_update(step)
        yield _frozen_phase("update", -1, names["update"], records, step)
        return step

    def set_hyper(self, learning_rate=None, batch_size=None, l1=None, l2=None, momentum=None) -> None:
        """Change the settings that may change between updates (None: keep). ``momentum``
        applies to SGD only (Adam has none); ``batch_size`` is capped at the training-set
        size. Every value is checked before any is applied."""
        checked = {}
        if learning_rate is not None:
            checked["learning_rate"] = _check_learning_rate(learning_rate)
        if batch_size is not None:
            checked["batch_size"] = _check_batch_size(batch_size)
            if self.n_train:
                checked["batch_size"] = min(checked["batch_size"], self.n_train)
        for name, value in (("l1", l1), ("l2", l2)):
            if value is not None:
                checked[name] = _check_non_negative(value, name)
        if momentum is not None and hasattr(self.optimizer, "momentum"):
            checked["momentum"] = _check_momentum(momentum)
        for name, value in checked.items():
            target = self.optimizer if name == "momentum" else self
            setattr(target, name, value)

    def _penalty(self):
        """l1·Σ|w| + l2·Σw² over the Dense layers' weights, before the update: a float,
        or (runs,) for stacked runs (each run's exactly as it would be alone)."""
        l1, l2 = self._l1, self._l2
        if l1 == 0.0 and l2 == 0.0:
            return 0.0
        if self._runs is None:
            return sum(l1 * float(np.abs(layer.W).sum()) + l2 * float(np.vdot(layer.W, layer.W))
                       for _, layer in self._dense)
        total = 0.0
        for _, layer in self._dense:
            flat = layer.W.reshape(self._runs, 1, -1)
            absolute = np.add.reduce(np.abs(flat), axis=-1)[:, 0]
            squares = (flat @ flat.swapaxes(-1, -2))[:, 0, 0]  # the dot product vdot takes
            total = total + (l1 * absolute.astype(np.float64) + l2 * squares.astype(np.float64))
        return total

    def _add_penalty_gradients(self, records) -> None:
        """Adds the L1/L2 gradient to each Dense layer's W (weights only, never biases)."""
        l1, l2 = self._l1, self._l2
        if l1 == 0.0 and l2 == 0.0:
            return
        for i, layer in self._dense:
            W, rec = layer.W, records[i]
            rec.dW_penalty = l1 * np.sign(W) + (2.0 * l2) * W
            # a new dict: a copy of this record handed out at the backward phase keeps its own
            rec.grads = {"W": rec.dW + rec.dW_penalty, "b": rec.db}

    def _accuracy(self, out, labels):
        """(…, n_o, m) outputs → the fraction classified right (None for regression)."""
        if labels is None:
            return None
        predicted = out[..., 0, :] > 0.5 if self.loss.name == "binary_cross_entropy" else out.argmax(axis=-2)
        hits = np.count_nonzero(predicted == labels, axis=-1)
        return int(hits) / labels.size if np.ndim(hits) == 0 else hits / labels.size

    # -- evaluation ----------------------------------------------------------------
    def evaluate(self, X, y):
        """(mean data loss, accuracy or None) in inference mode; for stacked runs two
        (runs,) arrays (one pass of the stacked network evaluates them all)."""
        X, Y, labels = self._prepare(X, y)
        z, h = self.model.infer_output(X.T)
        return _batch_mean(self.loss.per_point(z, h, Y)), self._accuracy(h, labels)

    # -- checkpoints ---------------------------------------------------------------
    def state(self) -> dict:
        """Everything that determines the future of training. References, not copies:
        parameters, statistics and optimizer slots are replaced by every update, never
        written in place. The epoch's order is kept as the generator state it was drawn
        from (``epoch_rng``), not as N indices; "perm" is only there for an order that
        came from an old session file."""
        return {
            "layers": [dict(layer.state_arrays) for layer in self.model.layers],
            "optimizer": self.optimizer.get_state(),
            "shuffle_rng": self.shuffle_rng.bit_generator.state,  # a new dict each time
            "dropout_rng": self.dropout_rng.bit_generator.state,
            "steps_done": self.steps_done, "epoch": self.epoch,
            "epoch_rng": self._epoch_rng,
            "perm": self._perm if self._epoch_rng is None else None, "pos": self._pos,
            "batch_size": self._batch_size, "l1": self._l1, "l2": self._l2,
            "stopped": dict(self.stopped),
        }

    def restore(self, state: dict) -> None:
        """Return to a ``state()`` (the epoch's order is checked first: a permutation of
        another training set would index past this one at the next step)."""
        perm = self._epoch_order(state)
        self._check_schedule(perm, state["pos"])
        for layer, saved in zip(self.model.layers, state["layers"]):
            for name in layer.state_arrays:
                setattr(layer, name, saved[name])  # shared: nothing writes into them
        self._params = [p for _, _, p in self.model.parameters()]
        self.optimizer.set_state(state["optimizer"])
        self.shuffle_rng.bit_generator.state = state["shuffle_rng"]
        self.dropout_rng.bit_generator.state = state["dropout_rng"]
        self.steps_done, self.epoch = state["steps_done"], state["epoch"]
        self._perm, self._epoch_rng = perm, state.get("epoch_rng")
        self._pos = state["pos"]
        self.batch_size, self.l1, self.l2 = state["batch_size"], state["l1"], state["l2"]
        self.stopped = dict(state.get("stopped", {}))
        self._held = {r: [getattr(layer, name)[r] for layer, name in self._slots] for r in self.stopped}
        self.newly_stopped = []

    def _epoch_order(self, state: dict):
        """The epoch's permutation a state stands for: its own (an old session's), the
        one already drawn when the state is from this epoch, or drawn again from the
        generator state it came from."""
        epoch_rng = state.get("epoch_rng")
        if epoch_rng is None:
            return state.get("perm")
        if epoch_rng == self._epoch_rng and self._perm is not None and self._perm.size == self.n_train:
            return self._perm
        redraw = np.random.Generator(np.random.PCG64())
        redraw.bit_generator.state = epoch_rng
        return redraw.permutation(self.n_train)

    def _check_schedule(self, perm, pos) -> None:
        if perm is not None and (not isinstance(perm, np.ndarray) or perm.shape != (self.n_train,)):
            shape = getattr(perm, "shape", type(perm).__name__)
            raise ValueError(f"Expected perm to order the {self.n_train} training points. Received: perm of {shape}")
        size = 0 if perm is None else perm.size
        if isinstance(pos, bool) or not isinstance(pos, (int, np.integer)) or not 0 <= pos <= size:
            raise ValueError(f"Expected 0 <= pos <= {size}. Received: pos={pos!r}")
