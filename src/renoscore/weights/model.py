"""The frozen weights of an indicator system: local weights per node, and where they came from.

:class:`Weights` holds the local weights of every group's children (:class:`NodeWeights`, with
the per-expert consistency of AHP nodes) and records where every number came from (method,
panel, data digest and phase, renoscore version; :class:`WeightsProvenance`). Global weights
are the products of local weights along the path from the goal (distributive synthesis, Saaty
1980). A :class:`Weights` can be saved to YAML or JSON and loaded back with
:func:`load_weights`, which checks that it belongs to the system it is used with, so that a
phase-2 evaluation can reuse the *frozen* weights of phase 1. :func:`derive_weights` makes one.

Examples
--------
>>> import renoscore as rs
>>> w = rs.derive_weights(rs.default_system())
>>> round(float(sum(w.indicator_weights())), 12)
1.0
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from renoscore._validation import LocatedProblem, located_error
from renoscore._version import __version__
from renoscore.errors import Problem, WeightsError
from renoscore.system import IndicatorSystem

__all__ = ["ExpertConsistency", "NodeWeights", "Weights", "WeightsProvenance", "load_weights"]

#: How far a node's local weights may sum from 1 (weights files are written with full
#: precision; this admits rounding, not hand-rounded weights such as 0.33 + 0.33 + 0.33).
WEIGHT_SUM_TOL = 1e-9


class _Frozen(BaseModel):
    # NaN and infinity are no weight, no lambda_max and no CR (and JSON cannot hold them).
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ExpertConsistency(_Frozen):
    """Consistency of one expert's judgements at one node."""

    expert: str
    group: str | None = None
    lambda_max: float
    ci: float
    cr: float
    acceptable: bool
    completed: bool = False
    excluded: bool = False
    priorities: tuple[float, ...]


class NodeWeights(_Frozen):
    """Local weights of one group's children, and where they came from."""

    node: str
    method: str
    children: tuple[str, ...]
    # NaN and infinity reach the distribution rule below, which names them with the fix.
    local: tuple[Annotated[float, Field(allow_inf_nan=True)], ...]
    lambda_max: float | None = None
    cr: float | None = None
    acceptable: bool | None = None
    experts: tuple[ExpertConsistency, ...] = ()
    parts: dict[str, tuple[float, ...]] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _a_distribution(self) -> NodeWeights:
        # A weights file is read back from disk and may have been edited: its local weights
        # must still be one finite, non-negative weight per distinct child, summing to 1.
        problems = list(_distribution_problems(self.children, self.local))
        if problems:
            raise located_error("node_weights", problems)
        return self


class WeightsProvenance(_Frozen):
    """Where a set of weights came from.

    ``group_names`` keeps the panel's names of its stakeholder groups (``{"en": ..., "zh":
    ...}`` by group id), so that reports name the groups in either language.
    """

    renoscore_version: str = __version__
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    panel: str | None = None
    prioritisation: str = "eigenvector"
    ri_table: str | None = None
    group_method: str | None = None
    group_names: dict[str, dict[str, str]] = Field(default_factory=dict)
    data_digest: str | None = None
    data_rows: int | None = None
    data_phase: str | None = None


class Weights(_Frozen):
    """Local and global weights for every node of an indicator system.

    Use :func:`derive_weights` to make one, :meth:`save` / :func:`load_weights` to freeze and
    reuse it, and :meth:`check` to make sure it belongs to a system.
    """

    system_id: str
    system_version: str
    indicator_ids: tuple[str, ...]
    nodes: dict[str, NodeWeights]
    provenance: WeightsProvenance = WeightsProvenance()

    @model_validator(mode="after")
    def _a_tree(self) -> Weights:
        # The nodes must form one tree: every node under its own key, no node the child of two
        # parents or of itself, one root. Otherwise global weights are not products along a path.
        problems = list(_tree_problems(self.nodes, self.indicator_ids))
        if problems:
            raise located_error("weights_tree", problems)
        return self

    # ------------------------------------------------------------------ access
    def local(self, node: str) -> dict[str, float]:
        """Local weights of the children of ``node``, keyed by child id."""
        try:
            nw = self.nodes[node]
        except KeyError:
            raise WeightsError(
                f"no weights for node {node!r}", [Problem("unknown node", path=node)]
            ) from None
        return dict(zip(nw.children, nw.local, strict=True))

    def global_weights(self) -> dict[str, float]:
        """Global weight of every node: the product of local weights from the goal down."""
        child_of = {
            c: (n, w)
            for n, nw in self.nodes.items()
            for c, w in zip(nw.children, nw.local, strict=True)
        }
        out: dict[str, float] = {}
        roots = [n for n in self.nodes if n not in child_of]

        def visit(node: str, weight: float) -> None:
            out[node] = weight
            nw = self.nodes.get(node)
            if nw is not None:
                for c, w in zip(nw.children, nw.local, strict=True):
                    visit(c, weight * w)

        for r in roots:
            visit(r, 1.0)
        return out

    def indicator_weights(self) -> NDArray[np.float64]:
        """Global indicator weights in the system's indicator order (they sum to 1)."""
        g = self.global_weights()
        return np.array([g[i] for i in self.indicator_ids], dtype=np.float64)

    def check(self, system: IndicatorSystem) -> None:
        """Raise :class:`WeightsError` unless these weights belong to ``system``.

        The system id and version, the indicators and every group's children must match. A
        new version of a system may keep its tree but change what its indicators mean (their
        goalposts, units, sources), so weights made for another version are refused too; if
        the weights still hold, say so by writing the new version into the weights file.
        """
        problems: list[Problem] = []
        if self.system_id != system.id:
            problems.append(
                Problem(
                    f"weights are for system {self.system_id!r}, not {system.id!r}",
                    fix="derive weights for this system, or load the system they were made for",
                )
            )
        elif self.system_version != system.version:
            problems.append(
                Problem(
                    f"weights are for version {self.system_version!r} of system {system.id!r}, "
                    f"not version {system.version!r}",
                    path="system_version",
                    fix="re-derive the weights for this version; or, if they still hold for it, "
                    f"set system_version: {system.version!r} in the weights file",
                )
            )
        if self.indicator_ids != system.indicator_ids:
            extra = sorted(set(self.indicator_ids) - set(system.indicator_ids))
            missing = sorted(set(system.indicator_ids) - set(self.indicator_ids))
            reason = "the indicators differ"
            if extra or missing:
                reason += f": not in the system {extra}, missing from the weights {missing}"
            else:
                reason += " in order"
            problems.append(Problem(reason, fix="re-derive the weights for this system"))
        group_ids = {g.id for g in system.groups}
        for stray in [n for n in self.nodes if n not in group_ids]:
            problems.append(
                Problem(
                    f"weights for {stray!r}, which is not a group of system {system.id!r}",
                    path=stray,
                    fix="re-derive the weights for this system",
                )
            )
        for group in system.groups:
            nw = self.nodes.get(group.id)
            kids = tuple(c.id for c in group.children)
            if nw is None:
                problems.append(Problem(f"no weights for group {group.id!r}", path=group.id))
            elif nw.children != kids:
                problems.append(
                    Problem(
                        f"children of {group.id!r} differ: weights have {list(nw.children)}, the system {list(kids)}",
                        path=group.id,
                    )
                )
        if problems:
            raise WeightsError("these weights do not fit the indicator system", problems)

    @property
    def plot(self) -> Any:
        """Charts of these weights (needs the ``plot`` extra): ``weights.plot()`` draws the
        hierarchy; see :class:`renoscore.plot.WeightsPlots`."""
        from renoscore import _views

        return _views.weights_plots(self)

    # ------------------------------------------------------------------ files
    def to_dict(self) -> dict[str, Any]:
        """The weights as plain data."""
        return self.model_dump(mode="json")

    def to_yaml(self) -> str:
        """The weights as YAML text."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)

    def to_json(self) -> str:
        """The weights as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def save(self, path: str | Path, *, overwrite: bool = True) -> None:
        """Write the weights to ``path`` (``.json``, else YAML).

        Written whole or not at all (:mod:`renoscore._files`); ``overwrite=False`` refuses an
        existing file (:class:`~renoscore.errors.OutputError`).
        """
        from renoscore._files import write_text

        path = Path(path)
        text = self.to_json() if path.suffix.lower() == ".json" else self.to_yaml()
        write_text(path, text, overwrite=overwrite)

    def table(self) -> list[dict[str, Any]]:
        """One record per node: id, parent, method, local and global weight."""
        g = self.global_weights()
        rows: list[dict[str, Any]] = []
        for node, nw in self.nodes.items():
            for c, w in zip(nw.children, nw.local, strict=True):
                rows.append(
                    {"node": c, "parent": node, "method": nw.method, "local": w, "global": g[c]}
                )
        return rows

    def _repr_html_(self) -> str:
        """Escaped HTML for notebooks (names in English; see :func:`renoscore.report.repr_html`)."""
        from renoscore import _views

        return _views.weights_html(self)


def _distribution_problems(
    children: tuple[str, ...], local: tuple[float, ...]
) -> Iterator[LocatedProblem]:
    """What keeps ``local`` from being one weight per distinct child, summing to 1."""
    if len(local) != len(children):
        yield (
            ("local",),
            f"{len(local)} local weights for {len(children)} children",
            "give one weight per child, in the order of 'children'",
        )
    repeated = sorted({c for c in children if children.count(c) > 1})
    if repeated:
        yield (("children",), f"children listed twice: {repeated}", "list every child once")
    bad = [w for w in local if not (math.isfinite(w) and w >= 0)]
    # A weight above 1 cannot belong to weights that sum to 1; it is refused before the sum,
    # which would overflow for weights such as 1e308.
    over = [w for w in local if math.isfinite(w) and w > 1.0 + WEIGHT_SUM_TOL]
    if bad:
        yield (
            ("local",),
            f"local weights must be finite and non-negative; got {bad}",
            "re-derive the weights (renoscore.derive_weights)",
        )
    elif over:
        yield (
            ("local",),
            f"a local weight is at most 1; got {[float(f'{w:.6g}') for w in over]}",
            "re-derive the weights, or correct them so that they sum to 1",
        )
    elif local and abs(math.fsum(local) - 1.0) > WEIGHT_SUM_TOL:
        yield (
            ("local",),
            f"local weights sum to {math.fsum(local):.12g}, not 1",
            "re-derive the weights, or correct them so that they sum to 1",
        )


def _tree_problems(
    nodes: Mapping[str, NodeWeights], indicator_ids: tuple[str, ...]
) -> Iterator[LocatedProblem]:
    """What keeps ``nodes`` from forming one tree whose leaves are ``indicator_ids``."""
    parent: dict[str, str] = {}
    for key, nw in nodes.items():
        if nw.node != key:
            yield (
                ("nodes", key, "node"),
                f"the weights of {nw.node!r} are filed under {key!r}",
                "file every node's weights under its own id",
            )
        for child in nw.children:
            if child in parent:
                yield (
                    ("nodes", key, "children"),
                    f"{child!r} is a child of both {parent[child]!r} and {key!r}",
                    "every node has one parent",
                )
            parent.setdefault(child, key)
    leaves = {c for c in parent if c not in nodes}
    for stray in sorted(leaves - set(indicator_ids)):
        yield (
            ("nodes", parent[stray], "children"),
            f"{stray!r} is neither a node with weights nor one of the indicator_ids",
            "keep exactly the groups and indicators of one indicator system",
        )
    for lost in [i for i in indicator_ids if i not in leaves]:
        yield (
            ("indicator_ids",),
            f"indicator {lost!r} is not the child of any node",
            "re-derive the weights (renoscore.derive_weights)",
        )
    roots = [n for n in nodes if n not in parent]
    if nodes and len(roots) != 1:
        yield (
            ("nodes",),
            f"the nodes form {len(roots)} trees (roots {roots}), not one",
            "keep exactly the groups of one indicator system",
        )


def load_weights(
    source: str | Path | Mapping[str, Any], system: IndicatorSystem | None = None
) -> Weights:
    """Load frozen weights from a YAML/JSON file, text or mapping; check them against ``system``.

    Raises
    ------
    WeightsError
        When the file is not valid weights, or the weights do not fit ``system``.

    Examples
    --------
    >>> import renoscore as rs
    >>> w = rs.derive_weights(rs.default_system())
    >>> rs.load_weights(w.to_yaml(), rs.default_system()) == w
    True
    """
    from pydantic import ValidationError

    from renoscore._validation import problems_from_validation
    from renoscore._yaml import Located, read_yaml

    doc = (
        Located(data=dict(source))
        if isinstance(source, Mapping)
        else read_yaml(source, WeightsError, "weights")
    )
    try:
        weights = Weights.model_validate(doc.data)
    except ValidationError as exc:
        raise WeightsError(
            "invalid weights file", problems_from_validation(exc, doc, Weights)
        ) from None
    if system is not None:
        weights.check(system)
    return weights
