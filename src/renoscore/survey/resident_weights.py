"""What :func:`~renoscore.survey.resident_ahp` gives: residents' weights and their consistency.

:class:`ResidentAHP` holds the residents' judgement matrices as one stack, each respondent's
consistency, and the aggregate by stakeholder group (AIJ; Aczél & Saaty, 1983; Forman &
Peniwati, 1998); it reports them per group (:meth:`ResidentAHP.report`) and turns the
residents into an expert panel (:meth:`ResidentAHP.to_panel`) for
:func:`renoscore.derive_weights`.

References
----------
Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal of
Mathematical Psychology 27(1), 93-102.
Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
analytic hierarchy process. European Journal of Operational Research 108(1), 165-169.

Examples
--------
The residents of the example survey, before renovation, by tenure:

>>> from renoscore import survey
>>> residents = survey.resident_ahp(survey.example_responses(), group_column="tenure", phase="t0")
>>> print(residents.table(digits=2))
group   n     complete  CR<thr     mean CR  used  facilities  public_services  participation  social_capital
------  ----  --------  ---------  -------  ----  ----------  ---------------  -------------  --------------
renter  276   272       226 (82%)  0.064    276   0.25        0.39             0.11           0.25
owner   787   764       647 (82%)  0.062    787   0.40        0.25             0.15           0.20
all     1063  1036      873 (82%)  0.062    1063  0.32        0.32             0.13           0.23
CR threshold 0.1 (saaty1980); 36 respondent(s) answered no pair, 0 too few pairs
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore import ahp
from renoscore._format import text_number, text_percent
from renoscore._validation import ID_RE
from renoscore.panel import Expert, FullMatrix, Panel, StakeholderGroup
from renoscore.survey._text import text_table

__all__ = ["ResidentAHP"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ResidentAHP:
    """Residents' judgements as one AHP stack, their consistency and the group aggregate.

    Attributes
    ----------
    criteria : tuple of str
        The criteria compared (row/column order of the matrices).
    respondent_ids, community_ids, phases, groups : tuple
        One entry per respondent in the stack (respondents who answered enough pairs).
    rows : ndarray of intp
        Their rows in the respondent table (0-based).
    matrices : ndarray, shape (m, n, n)
        Their judgement matrices, skipped pairs completed.
    answered : ndarray of int, shape (m,)
        Pairs each respondent answered (of ``n (n - 1) / 2``).
    consistency : renoscore.ahp.Consistency
        Per respondent: lambda_max, CI, CR, GCI, acceptability, priorities.
    aggregate : renoscore.ahp.GroupAggregate
        The group and panel result (AIJ).
    not_asked : int
        Respondents in scope who answered no pair (not in the stack).
    too_few : tuple of str
        Respondents whose answered pairs do not link every criterion (not in the stack).
    options : dict
        Coding, pattern, completion, threshold, RI table, exclusion rule.
    """

    criteria: tuple[str, ...]
    respondent_ids: tuple[str, ...]
    community_ids: tuple[str, ...]
    phases: tuple[str | None, ...]
    groups: tuple[Hashable, ...]
    rows: NDArray[np.intp]
    matrices: FloatArray
    answered: NDArray[np.int64]
    consistency: ahp.Consistency
    aggregate: ahp.GroupAggregate
    not_asked: int
    too_few: tuple[str, ...]
    options: dict[str, Any]

    @property
    def m(self) -> int:
        """Respondents in the stack."""
        return len(self.respondent_ids)

    def weights(self) -> dict[str, float]:
        """The residents' weights of the criteria (all groups)."""
        return dict(zip(self.criteria, self.aggregate.priorities.tolist(), strict=True))

    def group_weights(self) -> dict[Hashable, dict[str, float]]:
        """Each contributing group's weights of the criteria."""
        return {
            g: dict(zip(self.criteria, row, strict=True))
            for g, row in zip(
                self.aggregate.group_names, self.aggregate.group_priorities.tolist(), strict=True
            )
        }

    def report(self) -> list[dict[str, Any]]:
        """Consistency and weights per stakeholder group, then a row ``all`` for the panel.

        Columns: group, respondents, complete (answered every pair), consistent (CR below the
        threshold), share_consistent, mean_cr, median_cr, used (contributing to the aggregate),
        group_weight, and one weight column per criterion.
        """
        groups = np.array([str(g) for g in self.groups], dtype=str)
        full = self.answered == len(self.criteria) * (len(self.criteria) - 1) // 2
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        cr = np.asarray(self.consistency.cr, dtype=np.float64)
        excluded = np.zeros(self.m, dtype=bool)
        excluded[list(self.aggregate.excluded)] = True
        names = [str(g) for g in self.aggregate.group_names]
        gw = dict(zip(names, self.aggregate.group_weights.tolist(), strict=True))
        gp = dict(zip(names, self.aggregate.group_priorities.tolist(), strict=True))
        out: list[dict[str, Any]] = []
        labels = [str(g) for g in dict.fromkeys(self.groups)]
        for label, mask in [*((g, groups == g) for g in labels), ("all", np.ones(self.m, bool))]:
            k = int(mask.sum())
            row: dict[str, Any] = {
                "group": label,
                "respondents": k,
                "complete": int((full & mask).sum()),
                "consistent": int((ok & mask).sum()),
                "share_consistent": float((ok & mask).sum() / k) if k else None,
                "mean_cr": float(cr[mask].mean()) if k else None,
                "median_cr": float(np.median(cr[mask])) if k else None,
                "used": int((mask & ~excluded).sum()),
                "group_weight": gw.get(label) if label != "all" else 1.0,
            }
            prio = self.aggregate.priorities.tolist() if label == "all" else gp.get(label)
            for c, crit in enumerate(self.criteria):
                row[crit] = prio[c] if prio is not None else None
            out.append(row)
        return out

    def respondent_records(self) -> list[dict[str, Any]]:
        """One row per respondent in the stack: ids, group, pairs answered, CR, priorities."""
        prio = np.asarray(self.consistency.priorities)
        cr = np.asarray(self.consistency.cr, dtype=np.float64)
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        excluded = set(self.aggregate.excluded)
        return [
            {
                "respondent_id": self.respondent_ids[k],
                "community_id": self.community_ids[k],
                "phase": self.phases[k],
                "group": self.groups[k],
                "pairs_answered": int(self.answered[k]),
                "cr": float(cr[k]),
                "consistent": bool(ok[k]),
                "used": k not in excluded,
                **{c: float(prio[k, i]) for i, c in enumerate(self.criteria)},
            }
            for k in range(self.m)
        ]

    def table(self, digits: int = 3) -> str:
        """A text table of :meth:`report`."""
        rows = self.report()
        head = ["group", "n", "complete", "CR<thr", "mean CR", "used", *self.criteria]
        body = [
            [
                r["group"],
                str(r["respondents"]),
                str(r["complete"]),
                f"{r['consistent']} ({text_percent(r['share_consistent'] or 0)})",
                text_number(r["mean_cr"], ".3f"),
                str(r["used"]),
                *(text_number(r[c], f".{digits}f") for c in self.criteria),
            ]
            for r in rows
        ]
        note = (
            f"CR threshold {self.options['threshold']} ({self.options['ri']}); "
            f"{self.not_asked} respondent(s) answered no pair, {len(self.too_few)} too few pairs"
        )
        return text_table(head, body) + "\n" + note

    def to_panel(
        self, node: str, *, panel_id: str = "residents", only_consistent: bool = False
    ) -> Panel:
        """The residents as an expert panel judging ``node`` (for
        :func:`renoscore.derive_weights`).

        Each respondent becomes an expert of their stakeholder group with the (completed)
        matrix, on the ``positive`` scale (a completed entry is a derived ratio and may lie
        beyond Saaty's 9); group and respondent ids are turned into valid ids (``owner``,
        ``ly_r0001``).
        Group weights are those used by the aggregate.

        Parameters
        ----------
        node : str
            The node of the indicator system whose children are the criteria (e.g. the goal).
        panel_id : str
            The panel's id.
        only_consistent : bool, default False
            Leave out respondents whose CR fails the threshold.

        Returns
        -------
        Panel
        """
        ok = np.asarray(self.consistency.acceptable, dtype=bool)
        keep = np.flatnonzero(ok) if only_consistent else np.arange(self.m)
        group_ids = _slugs([str(g) for g in dict.fromkeys(self.groups)], "group")
        gmap = dict(zip(dict.fromkeys(self.groups), group_ids, strict=True))
        weights = dict(
            zip(self.aggregate.group_names, self.aggregate.group_weights.tolist(), strict=True)
        )
        # Respondent ids are often numbered within each community: prefix the community then.
        own = [self.respondent_ids[k] for k in keep.tolist()]
        if len(set(own)) != len(own):
            own = [f"{self.community_ids[k]}_{self.respondent_ids[k]}" for k in keep.tolist()]
        expert_ids = _slugs(own, "r")
        experts = [
            Expert(
                id=eid,
                group=gmap[self.groups[k]],
                judgements={
                    node: FullMatrix(
                        labels=self.criteria,
                        matrix=tuple(tuple(float(x) for x in row) for row in self.matrices[k]),
                    )
                },
            )
            for eid, k in zip(expert_ids, keep.tolist(), strict=True)
        ]
        groups = [
            StakeholderGroup(id=gid, weight=float(weights.get(g, 1.0)) or 1.0)
            for g, gid in gmap.items()
        ]
        # A completed matrix holds derived ratios (a skipped pair filled from the others can
        # exceed 9), not answers on Saaty's scale: the panel reads them as positive ratios.
        return Panel(id=panel_id, scale="positive", groups=tuple(groups), experts=tuple(experts))

    def __repr__(self) -> str:
        ok = int(np.count_nonzero(self.consistency.acceptable))
        w = ", ".join(f"{c} {v:.3f}" for c, v in self.weights().items())
        return (
            f"ResidentAHP({self.m} respondents, {ok} with CR < {self.options['threshold']}; "
            f"weights {w})"
        )


def _slugs(texts: Sequence[str], prefix: str) -> list[str]:
    """Valid, unique ids for arbitrary texts (``R-001`` -> ``r_001``; non-ASCII -> prefix_k)."""
    out: list[str] = []
    seen: set[str] = set()
    for k, text in enumerate(texts):
        slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
        if not slug or not ID_RE.match(slug):
            slug = (
                f"{prefix}_{slug}"
                if slug and ID_RE.match(f"{prefix}_{slug}")
                else f"{prefix}_{k + 1}"
            )
        base, i = slug, 2
        while slug in seen:
            slug, i = f"{base}_{i}", i + 1
        seen.add(slug)
        out.append(slug)
    return out
