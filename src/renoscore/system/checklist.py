"""Checklist indicators: a procedure of named steps, each recorded yes or no, some of them gates.

Some indicators are procedures rather than measures. The decision rule of the source paper's
LY community, 一征三议两公开, has six named steps (征集意见 → 两委提议 → 各方商议 → 党员和居民代表
会议决议 → 决议公开 → 实施情况公开); an office records for each whether it is documented. A
checklist declares the steps as yes/no raw fields, in order, and names its *gates*: steps
without which the procedure is void. The indicator is

.. math::

    x = \\frac{1}{n} \\sum_{k=1}^{n} s_k \\; \\prod_{g \\in G} s_g ,

the share of the ``n`` steps done times every gate step: a decision taken without its
resolution (决议) is not a decision, so a missing gate scores 0 instead of costing one step.
The checklist writes this as the indicator's formula (``(a + b + ... ) / n * g``), so a
checklist is computed, checked and recorded like any derived indicator::

    checklist:
      steps: [ycsy_collect, ycsy_propose, ycsy_deliberate, ycsy_resolve,
              ycsy_publish_resolution, ycsy_publish_result]
      gates: [ycsy_resolve]

Examples
--------
>>> from renoscore.system.checklist import Checklist
>>> c = Checklist(steps=("a", "b", "c"), gates=("b",))
>>> c.formula
'(a + b + c) / 3 * b'
>>> c.value({"a": 1, "b": 1, "c": 0}), c.value({"a": 1, "b": 0, "c": 1})
(0.6666666666666666, 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator, model_validator

from renoscore._validation import ID_RE, LocatedProblem, located_error, suggest
from renoscore.system._base import FrozenModel
from renoscore.system.fields import clean_aliases

__all__ = ["Checklist"]


class Checklist(FrozenModel):
    """The steps of a procedure and its gates.

    Parameters
    ----------
    steps : tuple of str
        The yes/no raw fields of the steps, in the order the procedure runs (at least two).
    gates : tuple of str
        The steps that void the whole procedure when not done (a subset of ``steps``).
    """

    steps: tuple[str, ...] = Field(min_length=2)
    gates: tuple[str, ...] = ()

    _steps = field_validator("steps", "gates", mode="before")(lambda cls, v: clean_aliases(v))

    @field_validator("steps", "gates", mode="after")
    @classmethod
    def _ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not ID_RE.match(v)]
        if bad:
            raise located_error(
                "checklist_id",
                [((), f"{bad[0]!r} is not a raw field id", "name the steps by raw field ids")],
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        problems: list[LocatedProblem] = []
        seen: set[str] = set()
        for k, step in enumerate(self.steps):
            if step in seen:
                problems.append(
                    (("steps", k), f"step {step!r} is listed twice", "list every step once")
                )
            seen.add(step)
        for k, gate in enumerate(self.gates):
            if gate not in self.steps:
                problems.append(
                    (
                        ("gates", k),
                        f"gate {gate!r} is not one of the steps",
                        suggest(gate, self.steps) or "a gate is a step; list it under steps too",
                    )
                )
        if problems:
            raise located_error("checklist", problems)
        return self

    @property
    def formula(self) -> str:
        """The indicator's formula: the share of steps done times each gate."""
        share = f"({' + '.join(self.steps)}) / {len(self.steps)}"
        return " * ".join([share, *self.gates])

    def value(self, done: Mapping[str, Any]) -> float:
        """The checklist's value for one record of steps (``{step: 0 or 1}``)."""
        share = sum(float(done[s]) for s in self.steps) / len(self.steps)
        for gate in self.gates:
            share *= float(done[gate])
        return share
