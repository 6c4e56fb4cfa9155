"""Optimizers with Keras' update rules.

``update(params, grads)`` takes two lists of arrays in the same order (the
model's ``parameters()`` order) and returns the new parameters as new arrays (the
invariant stated in ``records``: parameters are replaced, never changed in place).
It is ``propose`` (compute the new parameters and slots, change nothing) followed by
``commit`` (take the slots): the trainer checks the proposal for NaN/∞ in between, and
a refused update leaves the optimizer exactly as it was. Slot arrays (momentum
velocities, Adam's m and v) are replaced too, never written in place, so
``get_state()`` hands out references, and a checkpoint costs no copy.
``get_state()``/``set_state()`` make the optimizer part of a trainer checkpoint.
Arrays may carry a leading run axis (several initialisations side by side): every
rule is element-wise.
"""

from __future__ import annotations

import numpy as np


def _minus(p: np.ndarray, step: np.ndarray) -> np.ndarray:
    """p − step, written into ``step`` (a temporary the caller made): one allocation
    per parameter, as an in-place update would need."""
    return np.subtract(p, step, out=step)


def _check_iterations(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Expected iterations to be an integer. Received: iterations={value!r}")
    if value < 0:
        raise ValueError(f"Expected iterations >= 0. Received: iterations={value}")
    return int(value)


def _check_momentum(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"Expected momentum to be a number. Received: momentum={value!r}")
    if not 0.0 <= value < 1.0:  # False for NaN too
        raise ValueError(f"Expected 0 <= momentum < 1. Received: momentum={value}")
    return float(value)


def _check_slots(name, slots):
    """None (not created yet) or a list of float arrays."""
    if slots is None:
        return None
    if not isinstance(slots, (list, tuple)) or not all(isinstance(s, np.ndarray) and s.dtype.kind == "f"
                                                      for s in slots):
        raise TypeError(f"Expected {name} to be None or a list of float arrays. Received: {name}={slots!r:.80}")
    return [s.copy() for s in slots]


def _check_learning_rate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"Expected learning_rate to be a number. Received: learning_rate={value!r}")
    if not (value > 0 and np.isfinite(value)):
        raise ValueError(f"Expected learning_rate > 0. Received: learning_rate={value}")
    return float(value)


class Optimizer:
    name = "optimizer"

    def __init__(self, learning_rate):
        self._lr = _check_learning_rate(learning_rate)
        self.iterations = 0  # updates applied so far (Adam's t)

    @property
    def learning_rate(self) -> float:
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value):
        # Changing α between updates keeps every slot: nothing resets.
        self._lr = _check_learning_rate(value)

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> list[np.ndarray]:
        """The new parameters; the optimizer's slots and step count move on."""
        new, pending = self.propose(params, grads)
        self.commit(pending)
        return new

    def propose(self, params, grads) -> tuple[list[np.ndarray], dict]:
        """(new parameters, the slot values to ``commit``), changing nothing."""
        raise NotImplementedError

    def commit(self, pending: dict) -> None:
        """Take the slots and step count of a ``propose``."""
        for name, value in pending.items():
            setattr(self, name, value)

    def formula(self) -> str:
        """The update rule in the lecture's notation (g = ∂L/∂W, for every parameter)."""
        raise NotImplementedError

    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def get_state(self) -> dict:
        """References, not copies: slot arrays are replaced by every update, never written."""
        state = {"iterations": self.iterations, "learning_rate": self._lr}
        for name in self._slot_names():
            slots = getattr(self, name)
            state[name] = None if slots is None else list(slots)
        return state

    def set_state(self, state: dict) -> None:
        """Return to a ``get_state()``; checked like the constructor's arguments, and
        nothing changes unless all of it is valid."""
        iterations = _check_iterations(state["iterations"])
        lr = _check_learning_rate(state["learning_rate"])
        slots = {name: _check_slots(name, state.get(name)) for name in self._slot_names()}
        self.iterations, self._lr = iterations, lr
        for name, value in slots.items():
            setattr(self, name, value)


class SGD(Optimizer):
    """Plain: w ← w − α·g. Momentum μ: v ← μ·v − α·g; w ← w + v.
    Nesterov: w ← w + μ·v − α·g (with the new v), as Keras."""

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        self.momentum = _check_momentum(momentum)
        self.nesterov = bool(nesterov)
        self.velocities: list[np.ndarray] | None = None

    def _slot_names(self):
        return ("velocities",)

    def get_state(self) -> dict:
        return {**super().get_state(), "momentum": self.momentum}

    def set_state(self, state: dict) -> None:
        momentum = _check_momentum(state.get("momentum", self.momentum))
        super().set_state(state)
        self.momentum = momentum

    def propose(self, params, grads):
        lr, iterations = self._lr, self.iterations + 1
        if self.momentum == 0.0:
            # p − α·g written into α·g, the update's one new array per parameter (_minus
            # inlined: a Python call per parameter shows in a small network's update)
            steps = [lr * g for g in grads]
            return [np.subtract(p, s, out=s) for p, s in zip(params, steps)], {"iterations": iterations}
        velocities = self.velocities or [np.zeros_like(p) for p in params]
        mu, new, new_v = self.momentum, [], []
        for p, g, v in zip(params, grads, velocities):
            v = v * mu  # v ← μv − αg, into a new array (the old one may sit in a checkpoint)
            v -= lr * g
            new_v.append(v)
            new.append(p + (mu * v - lr * g) if self.nesterov else p + v)
        return new, {"iterations": iterations, "velocities": new_v}

    def formula(self):
        if self.momentum == 0.0:
            return "W ← W − α·∂L/∂W  (and b, γ, β alike)"
        if self.nesterov:
            return f"v ← μv − α·∂L/∂W;  W ← W + μv − α·∂L/∂W  (Nesterov, μ = {self.momentum:g})"
        return f"v ← μv − α·∂L/∂W;  W ← W + v  (momentum μ = {self.momentum:g})"

    def get_config(self):
        return {"name": self.name, "learning_rate": self._lr, "momentum": self.momentum,
                "nesterov": self.nesterov}


class Adam(Optimizer):
    """Keras: α_t = α·sqrt(1−β2^t)/(1−β1^t); m ← m + (1−β1)(g − m);
    v ← v + (1−β2)(g² − v); w ← w − α_t·m/(sqrt(v) + ε)."""

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        for name, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= float(value) < 1.0:
                raise ValueError(f"Expected 0 <= {name} < 1. Received: {name}={value}")
        if not float(epsilon) > 0:
            raise ValueError(f"Expected epsilon > 0. Received: epsilon={epsilon}")
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] | None = None

    def _slot_names(self):
        return ("m", "v")

    def propose(self, params, grads):
        ms = self.m or [np.zeros_like(p) for p in params]
        vs = self.v or [np.zeros_like(p) for p in params]
        t = self.iterations + 1
        lr_t = self._lr * np.sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)
        new, new_m, new_v = [], [], []
        for p, g, m, v in zip(params, grads, ms, vs):
            m = m + (1.0 - self.beta_1) * (g - m)  # new slot arrays, as the parameters
            v = v + (1.0 - self.beta_2) * (g * g - v)
            step = np.sqrt(v)
            step += self.epsilon
            np.divide(m, step, out=step)
            step *= lr_t
            new.append(_minus(p, step))
            new_m.append(m)
            new_v.append(v)
        return new, {"iterations": t, "m": new_m, "v": new_v}

    def formula(self):
        return ("g = ∂L/∂W;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  "
                "W ← W − α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + ε)  (Adam)")

    def get_config(self):
        return {"name": self.name, "learning_rate": self._lr, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon}


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def optimizer_from_config(config: dict) -> Optimizer:
    config = dict(config)
    name = config.pop("name", None)
    if name not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer. Expected one of {', '.join(OPTIMIZERS)}. Received: name={name!r}")
    return OPTIMIZERS[name](**config)
