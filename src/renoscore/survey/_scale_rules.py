"""Rules of a scale set that span several fields, and its fit to an indicator system.

Each rule gives ``(path, reason, fix)`` located problems: :class:`~renoscore.survey.ScaleSet`
raises those of :func:`set_problems` when it is validated, :func:`~renoscore.survey.load_scales`
and :meth:`~renoscore.survey.ScaleSet.check_against` those of :func:`fit_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from renoscore._format import plain_number
from renoscore._validation import LocatedProblem, suggest
from renoscore.system import Indicator, IndicatorSystem
from renoscore.system.load import same_system

if TYPE_CHECKING:
    from renoscore.survey.scales import ScaleSet

__all__ = ["fit_problems", "set_problems"]


def set_problems(scales: ScaleSet) -> Iterator[LocatedProblem]:
    """Rules spanning several fields, as ``(path, reason, fix)``."""
    first: dict[str, int] = {}
    for r, rs in enumerate(scales.response_sets):
        if rs.id in first:
            yield (
                ("response_sets", r, "id"),
                f"response set {rs.id!r} is declared twice",
                "give every response set its own id",
            )
        first.setdefault(rs.id, r)
    responses = {rs.id: rs for rs in scales.response_sets}
    seen_scale: dict[str, int] = {}
    seen_item: dict[str, tuple[int, int]] = {}
    seen_column: dict[str, tuple[int, int]] = {}
    for s, scale in enumerate(scales.scales):
        where = ("scales", s)
        if scale.id in seen_scale:
            yield (
                (*where, "id"),
                f"scale {scale.id!r} is declared twice",
                "give every scale its own id",
            )
        seen_scale.setdefault(scale.id, s)
        if scale.response not in responses:
            yield (
                (*where, "response"),
                f"unknown response set {scale.response!r}",
                suggest(scale.response, list(responses))
                or f"declared response sets: {list(responses)}",
            )
        answers = responses.get(scale.response)
        top = scale.top_box
        if answers is not None and top is not None and not answers.min < top <= answers.max:
            lo, hi = answers.min, answers.max
            yield (
                (*where, "top_box"),
                f"top_box {top:g} is not above the lowest answer of {answers.id!r} "
                f"({lo:g}..{hi:g})",
                f"choose an answer in {lo:g}..{hi:g} above {lo:g} (e.g. 4 of 1-5)",
            )
        for i, item in enumerate(scale.items):
            if item.id in seen_item:
                ps, pi = seen_item[item.id]
                yield (
                    (*where, "items", i, "id"),
                    f"item {item.id!r} is also item {pi + 1} of scale {scales.scales[ps].id!r}",
                    "give every item its own id",
                )
            else:
                seen_item[item.id] = (s, i)
            col = item.source_column
            if col in seen_column and seen_column[col] != seen_item.get(item.id):
                ps, pi = seen_column[col]
                yield (
                    (*where, "items", i),
                    f"column {col!r} is already read by item {pi + 1} of scale "
                    f"{scales.scales[ps].id!r}",
                    "every item needs its own column",
                )
            else:
                seen_column.setdefault(col, (s, i))
    for c, code in enumerate(scales.missing_codes):
        inside = [rs.id for rs in scales.response_sets if rs.min <= code <= rs.max]
        if inside:
            yield (
                ("missing_codes", c),
                f"missing code {code:g} is a valid answer of response set {inside[0]!r}",
                "use a code outside every response range (e.g. 99)",
            )


def fit_problems(scales: ScaleSet, system: IndicatorSystem) -> list[LocatedProblem]:
    """How the scales misfit ``system``: another declared system, indicators it lacks or that
    two scales feed, response ranges outside an indicator's range."""
    problems: list[LocatedProblem] = []
    if scales.system is not None and not same_system(scales.system, system):
        problems.append(
            (
                ("system",),
                f"the scales are declared for system {scales.system!r}, not {system.id!r} "
                f"version {system.version}",
                "load the matching system, or change 'system:' in the scales file",
            )
        )
    ids = system.indicator_ids
    fed: dict[str, int] = {}
    responses = {rs.id: rs for rs in scales.response_sets}
    for s, scale in enumerate(scales.scales):
        if scale.indicator is None:
            continue
        where = ("scales", s, "indicator")
        if scale.indicator not in ids:
            problems.append(
                (
                    where,
                    f"system {system.id!r} has no indicator {scale.indicator!r}",
                    suggest(scale.indicator, ids) or "name an indicator of the system",
                )
            )
            continue
        if scale.indicator in fed:
            problems.append(
                (
                    where,
                    f"indicator {scale.indicator!r} is already fed by scale "
                    f"{scales.scales[fed[scale.indicator]].id!r}",
                    "let one scale feed each indicator",
                )
            )
        fed.setdefault(scale.indicator, s)
        node = system.node(scale.indicator)
        rs = responses.get(scale.response)
        if isinstance(node, Indicator) and rs is not None:
            lo, hi = node.range.min, node.range.max
            low, high = scale.score_range or (rs.min, rs.max)
            what = "top-box shares run" if scale.score_range else "answers run"
            if (lo is not None and low < lo) or (hi is not None and high > hi):
                problems.append(
                    (
                        where,
                        f"{what} {low:g}..{high:g} but {scale.indicator!r} accepts "
                        f"{plain_number(lo)}..{plain_number(hi)}",
                        "feed an indicator whose range contains the scale's scores",
                    )
                )
    return problems
