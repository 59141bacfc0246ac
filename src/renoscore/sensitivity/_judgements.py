"""AHP judgements of a panel, moved and derived again for many perturbed panels at once.

The judgement source (:class:`~renoscore.sensitivity.sources.JudgementNoise`) moves the
judgements each expert gave along Saaty's scale; the priorities of each AHP node are then
derived again exactly as the base weights were -- completion of missing judgements,
aggregation within and across stakeholder groups, prioritisation -- for every perturbed panel
of a batch at once. Simulating the judgements and propagating them through the hierarchy
follows Hauser & Tadikamalla (1996). :func:`ahp_nodes` collects what each node needs and checks
that the panel reproduces the base weights.

Full references: :mod:`renoscore.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renoscore import ahp
from renoscore._calling import argument
from renoscore.errors import OptionError, Problem, WeightsError
from renoscore.panel import Panel
from renoscore.sensitivity.draws import saaty_step
from renoscore.sensitivity.sources import JudgementNoise
from renoscore.weighting import NodeWeights, Weights

__all__ = ["AhpNode", "ahp_nodes", "ahp_priorities"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass
class AhpNode:
    """What is needed to re-derive one node's AHP priorities for many perturbed panels."""

    group: int
    node: str
    children: tuple[str, ...]
    stack: FloatArray  # (E, n, n) raw judgements of the kept experts, NaN where not given
    pairs: tuple[IntArray, IntArray]  # upper-triangle cells given by at least one expert
    membership: IntArray
    expert_weights: FloatArray
    group_weights: FloatArray
    group_method: str
    prioritisation: str


def ahp_nodes(
    spec: JudgementNoise,
    weights: Weights,
    panel: Panel | None,
    group_ids: Sequence[str],
    completion: str,
) -> dict[int, AhpNode]:
    """The AHP nodes the judgement source moves, by group index, checked against the panel.

    Parameters
    ----------
    spec : JudgementNoise
        The judgement source (its ``nodes``, or every node weighted by AHP).
    weights : Weights
        The base weights.
    panel : Panel or None
        The panel the weights were derived from.
    group_ids : sequence of str
        The groups of the system, in the order of the model.
    completion : str
        How incomplete judgement matrices were completed.

    Returns
    -------
    dict of int to AhpNode

    Raises
    ------
    OptionError
        Named nodes that are not weighted by AHP, no AHP node, or no panel.
    WeightsError
        A node whose weights the panel does not reproduce, or experts the panel lacks.
    """
    wanted = spec.nodes
    candidates = [
        k
        for k, g in enumerate(group_ids)
        if _is_ahp(weights.nodes[g]) and len(weights.nodes[g].children) > 1
    ]
    if wanted is not None:
        names = {group_ids[k] for k in candidates}
        unknown = [w for w in wanted if w not in names]
        if unknown:
            raise OptionError(
                "judgement noise names nodes that are not weighted by AHP",
                [
                    Problem(
                        "not an AHP node",
                        path=w,
                        fix=f"choose among {sorted(names)}" if names else "weight a node by AHP",
                    )
                    for w in unknown
                ],
            )
        candidates = [k for k in candidates if group_ids[k] in wanted]
    if not candidates:
        raise OptionError(
            "judgement noise needs weights derived by AHP",
            [
                Problem(
                    "no node of these weights comes from AHP judgements",
                    fix="derive the weights with a panel (weights='ahp', panel=...) or drop the judgements source",
                )
            ],
        )
    if panel is None:
        raise OptionError(
            "judgement noise needs the expert panel",
            [
                Problem(
                    "no panel given",
                    fix=f"use {argument('panel')} (the panel the weights came from)",
                )
            ],
        )
    out = {k: _ahp_node(weights, panel, group_ids, k) for k in candidates}
    for k, node in out.items():
        base = ahp_priorities(node, completion)[0]
        expected = _subjective_base(weights.nodes[group_ids[k]])
        if not np.allclose(base, expected, rtol=1e-6, atol=1e-9):
            raise WeightsError(
                f"the weights of {node.node!r} were not derived from this panel",
                [
                    Problem(
                        f"re-derived {np.round(base, 4).tolist()}, the weights hold {np.round(expected, 4).tolist()}",
                        path=node.node,
                        fix="pass the panel (and completion method) the weights were derived with",
                    )
                ],
            )
    return out


def _subjective_base(nw: NodeWeights) -> FloatArray:
    if nw.parts:
        return np.array(next(iter(nw.parts.values())), dtype=np.float64)
    return np.array(nw.local, dtype=np.float64)


def _ahp_node(weights: Weights, panel: Panel, group_ids: Sequence[str], k: int) -> AhpNode:
    node = group_ids[k]
    nw = weights.nodes[node]
    kept = [e.expert for e in nw.experts if not e.excluded]
    position = {e.id: i for i, e in enumerate(panel.experts)}
    missing = [e for e in kept if e not in position]
    if missing:
        raise WeightsError(
            f"the weights of {node!r} name experts the panel does not have",
            [Problem(f"experts {missing}", path=node, fix="pass the panel the weights came from")],
        )
    stack = panel.matrices(node, nw.children)[[position[e] for e in kept]]
    experts = [panel.experts[position[e]] for e in kept]
    groups = [e.group or e.id for e in experts]
    names = list(dict.fromkeys(groups))
    params = nw.parameters
    prov = weights.provenance
    combined = bool(nw.parts)
    group_method = str(
        prov.group_method if combined else params.get("group_method", prov.group_method)
    )
    prioritisation = str(
        prov.prioritisation if combined else params.get("prioritisation", prov.prioritisation)
    )
    iu, ju = np.triu_indices(len(nw.children), k=1)
    return AhpNode(
        group=k,
        node=node,
        children=nw.children,
        stack=stack,
        pairs=(iu.astype(np.intp), ju.astype(np.intp)),
        membership=np.array([names.index(g) for g in groups], dtype=np.intp),
        expert_weights=np.array([e.weight for e in experts], dtype=np.float64),
        group_weights=np.array([panel.group_weight(g) for g in names], dtype=np.float64),
        group_method=group_method or "aij",
        prioritisation=prioritisation or "eigenvector",
    )


def _is_ahp(nw: NodeWeights) -> bool:
    return nw.method == "ahp" or nw.method.startswith("combined(ahp")


def ahp_priorities(
    node: AhpNode, completion: str, moves: NDArray[np.int64] | None = None
) -> FloatArray:
    """Priorities of one AHP node for a batch of perturbed panels, shape (R, n).

    The same steps as :func:`renoscore.derive_weights`: completion of missing judgements,
    aggregation of individual judgements within and across stakeholder groups (weighted
    geometric means; Aczél & Saaty 1983, Forman & Peniwati 1998) or of individual priorities,
    then prioritisation (Saaty 1980) -- for every panel of the batch at once, through the one
    group aggregation :func:`renoscore.ahp.aggregate_panels`. Without ``moves`` the batch is
    the unperturbed panel alone.

    Parameters
    ----------
    node : AhpNode
        The node and its panel (:func:`ahp_nodes`).
    completion : str
        How incomplete judgement matrices are completed (:func:`renoscore.ahp.complete`).
    moves : ndarray of int, shape (R, experts, pairs), optional
        Saaty-scale steps of every given upper-triangle judgement in each of R panels.

    Returns
    -------
    ndarray, shape (R, children)
    """
    iu, ju = node.pairs
    if moves is None:
        P = node.stack[None].copy()
    else:
        P = np.array(np.broadcast_to(node.stack, (moves.shape[0], *node.stack.shape)))
        moved = saaty_step(P[:, :, iu, ju], moves)
        P[:, :, iu, ju] = moved
        P[:, :, ju, iu] = 1.0 / moved
    incomplete = np.isnan(P).any(axis=(0, 2, 3))
    if incomplete.any():
        P[:, incomplete] = ahp.complete(P[:, incomplete], method=completion, labels=node.children)
    return ahp.aggregate_panels(
        P,
        node.membership.tolist(),
        method=node.group_method,
        priority_method=node.prioritisation,
        group_weights=node.group_weights,
        expert_weights=node.expert_weights,
    ).priorities
