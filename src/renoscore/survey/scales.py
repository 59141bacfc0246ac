"""Questionnaire scales declared in YAML: items, response range, reverse coding, target indicator.

A *scale set* lists the multi-item scales of a resident questionnaire and the indicator of the
system each scale feeds. Every scale names a *response set* (the answer format: range, whether
answers are whole numbers, top-coding, point labels), its items (the column each is read from,
whether it is reverse-scored, its wording in Chinese and English) and the smallest share of the
items a respondent must answer for a scale score (2/3 by default)::

    id: resident_survey
    version: "1.0"
    name: {en: Resident survey, zh: 居民问卷}
    system: old_community_renovation
    min_answered: 2/3
    missing_codes: [99]             # "don't know" / refused: read as not answered
    response_sets:
      - id: agree5
        min: 1
        max: 5
        labels:
          - {en: strongly disagree, zh: 非常不同意}
          - ...
    scales:
      - id: trust
        indicator: c_trust
        name: {en: Neighbourhood cohesion and trust, zh: 邻里信任与凝聚}
        response: agree5
        items:
          - id: t1
            text: {en: ..., zh: ...}
          - id: t4
            reverse: true           # scored min + max - answer
            text: {en: ..., zh: ...}

Loading collects every problem into one :class:`ScaleError` whose problems name the file, the
line and the fix, like the indicator-system loader.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika
16(3), 297-334.
Chavis, D. M., Lee, K. S. & Acosta, J. D. (2008). The Sense of Community (SCI) Revised: the
reliability and validity of the SCI-2. 2nd International Community Psychology Conference,
Lisbon.
Sampson, R. J., Raudenbush, S. W. & Earls, F. (1997). Neighborhoods and violent crime: a
multilevel study of collective efficacy. Science 277(5328), 918-924.
Onyx, J. & Bullen, P. (2000). Measuring social capital in five communities. Journal of Applied
Behavioral Science 36(1), 23-42.

Examples
--------
>>> from renoscore.survey import default_scales
>>> scales = default_scales()
>>> [s.id for s in scales.scales][:4]
['belonging', 'identity', 'trust', 'reciprocity']
>>> [i.id for i in scales.scale("trust").items if i.reverse]
['t4', 't5']
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from renoscore._shipped import is_shipped, shipped_file, shipped_names
from renoscore._validation import (
    ID_PATTERN,
    LocatedProblem,
    located_error,
    problems_from_validation,
    suggest,
)
from renoscore._yaml import Located, YamlLimits, dotted, read_yaml
from renoscore.errors import Problem, ScaleError
from renoscore.survey._scale_rules import fit_problems, set_problems
from renoscore.system import IndicatorSystem, LocalizedText

__all__ = [
    "DEFAULT_MIN_ANSWERED",
    "Item",
    "ResponseSet",
    "Scale",
    "ScaleError",
    "ScaleSet",
    "available_scales",
    "default_scales",
    "load_scales",
]

#: Share of a scale's items a respondent must answer for a scale score (domain brief §3.6).
DEFAULT_MIN_ANSWERED = 2.0 / 3.0


def _fraction(value: Any) -> Any:
    """``2/3`` written as text is read as the fraction; numbers pass through."""
    if isinstance(value, str):
        try:
            return float(Fraction(value.replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            raise located_error(
                "fraction",
                [((), f"{value!r} is not a number or fraction", "write e.g. 2/3 or 0.667")],
            ) from None
    return value


Share = Annotated[float, BeforeValidator(_fraction), Field(gt=0.0, le=1.0, allow_inf_nan=False)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ResponseSet(_Frozen):
    """An answer format: the range of valid answers and their labels.

    Parameters
    ----------
    id : str
        Referenced by the scales that use it.
    min, max : float
        The lowest and highest valid answer (e.g. 1 and 5).
    integer : bool
        Whether answers are whole numbers (a Likert item); a fraction is then an error.
    top_code : bool
        Answers above ``max`` are set to ``max`` (e.g. "neighbours known, top-coded at 30")
        instead of being rejected.
    labels : tuple of LocalizedText
        One label per point from ``min`` to ``max`` (integer sets only), for reports.
    """

    id: str = Field(pattern=ID_PATTERN)
    min: float
    max: float
    integer: bool = True
    top_code: bool = False
    labels: tuple[LocalizedText, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> ResponseSet:
        problems: list[LocatedProblem] = []
        if not self.min < self.max:
            problems.append((("max",), "max must be above min", "write e.g. min: 1, max: 5"))
        elif self.labels:
            points = self.max - self.min + 1
            if not self.integer:
                problems.append(
                    (("labels",), "labels need integer: true", "remove the labels or set integer")
                )
            elif len(self.labels) != points:
                problems.append(
                    (
                        ("labels",),
                        f"{len(self.labels)} labels for {points:g} points ({self.min:g}..."
                        f"{self.max:g})",
                        "give one label per answer point, from min to max",
                    )
                )
        if self.integer and not (float(self.min).is_integer() and float(self.max).is_integer()):
            problems.append(
                (("min",), "an integer response set needs whole-number bounds", "e.g. 1 and 5")
            )
        if problems:
            raise located_error("response_set", problems)
        return self


class Item(_Frozen):
    """One questionnaire item.

    Parameters
    ----------
    id : str
        The item's id; also its column in the response file unless ``column`` is given.
    column : str, optional
        The header of the item's column in the response file (any text, e.g. ``Q12``).
    reverse : bool
        Reverse-scored: the answer ``x`` counts as ``min + max - x``.
    text : LocalizedText
        The wording asked, in English and Chinese.
    """

    id: str = Field(pattern=ID_PATTERN)
    column: str | None = Field(default=None, min_length=1)
    reverse: bool = False
    text: LocalizedText

    @property
    def source_column(self) -> str:
        """The column the item is read from."""
        return self.column if self.column is not None else self.id


class Scale(_Frozen):
    """A multi-item scale and the indicator it feeds.

    Parameters
    ----------
    id : str
        The scale's id.
    name : LocalizedText
        Its name.
    indicator : str, optional
        The indicator of the system whose value is the community mean of this scale.
    response : str
        The id of the response set of every item.
    items : tuple of Item
        The items, at least one.
    min_answered : float, optional
        Smallest share of the items a respondent must answer (default: the set's).
    score : {"mean", "top_box"}
        A respondent's scale score: the mean of the answered items (default), or the share
        of them at or above ``top_box`` (满意率: the share answering 满意 or 非常满意). The
        community value is the mean of the respondents' scores either way, so a top-box scale
        feeds a share 0-1 indicator.
    top_box : float, optional
        The lowest answer that counts for a top-box score (4 on a 1-5 scale: 满意 and above).
    source : str, optional
        Where the items come from (the parent scale, adapted).
    description : str, optional
        Free text.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    indicator: str | None = Field(default=None, pattern=ID_PATTERN)
    response: str
    items: tuple[Item, ...] = Field(min_length=1)
    min_answered: Share | None = None
    score: Literal["mean", "top_box"] = "mean"
    top_box: float | None = None
    source: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _top_box(self) -> Scale:
        if (self.score == "top_box") != (self.top_box is not None):
            raise located_error(
                "top_box",
                [
                    (
                        ("top_box",) if self.top_box is not None else ("score",),
                        "a top-box score needs 'top_box' (the lowest answer that counts), and "
                        "'top_box' needs score: top_box",
                        "write score: top_box and top_box: 4 (satisfied or above), or neither",
                    )
                ],
            )
        return self

    @property
    def score_range(self) -> tuple[float, float] | None:
        """The range of the scale's scores when it does not follow the answers (top box: 0-1)."""
        return (0.0, 1.0) if self.score == "top_box" else None

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The items' ids in order."""
        return tuple(i.id for i in self.items)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the items are read from, in order."""
        return tuple(i.source_column for i in self.items)

    @property
    def k(self) -> int:
        """Number of items."""
        return len(self.items)


class ScaleSet(_Frozen):
    """The scales of a questionnaire.

    Parameters
    ----------
    id, version : str
        Identify the set.
    name : LocalizedText
        Its name.
    system : str, optional
        The id of the indicator system its indicators belong to.
    min_answered : float
        Default share of a scale's items a respondent must answer (2/3).
    missing_codes : tuple of float
        Answer codes that mean "don't know" or "refused" (e.g. 98, 99); read as not answered,
        before any top-coding. A code may not be a valid answer of any response set.
    response_sets : tuple of ResponseSet
        The answer formats.
    scales : tuple of Scale
        The scales.
    """

    id: str = Field(pattern=ID_PATTERN)
    version: str
    name: LocalizedText
    description: str | None = None
    system: str | None = None
    min_answered: Share = DEFAULT_MIN_ANSWERED
    missing_codes: tuple[float, ...] = ()
    response_sets: tuple[ResponseSet, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # "version: 1.0" in YAML is a float; keep it as the text the author wrote.
        if isinstance(value, Mapping) and isinstance(value.get("version"), (int, float)):
            value = {**value, "version": str(value["version"])}
        return value

    @model_validator(mode="after")
    def _check(self) -> ScaleSet:
        problems = list(set_problems(self))
        if problems:
            raise located_error("scale_set", problems)
        return self

    @cached_property
    def _responses(self) -> dict[str, ResponseSet]:
        return {r.id: r for r in self.response_sets}

    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scales' ids in order."""
        return tuple(s.id for s in self.scales)

    def scale(self, scale_id: str) -> Scale:
        """The scale with this id.

        Raises
        ------
        ScaleError
            If there is none (with a did-you-mean).
        """
        for s in self.scales:
            if s.id == scale_id:
                return s
        raise ScaleError(
            f"scale set {self.id!r} has no scale {scale_id!r}",
            [
                Problem(
                    "unknown scale",
                    value=scale_id,
                    fix=suggest(scale_id, self.scale_ids) or f"scales are {list(self.scale_ids)}",
                )
            ],
        )

    def response_set(self, scale: Scale | str) -> ResponseSet:
        """The response set of a scale."""
        s = self.scale(scale) if isinstance(scale, str) else scale
        return self._responses[s.response]

    def min_share(self, scale: Scale | str) -> float:
        """The share of items a respondent must answer for ``scale``."""
        s = self.scale(scale) if isinstance(scale, str) else scale
        return s.min_answered if s.min_answered is not None else self.min_answered

    def min_items(self, scale: Scale | str) -> int:
        """The number of items a respondent must answer: ``ceil(share * k)``, at least 1."""
        s = self.scale(scale) if isinstance(scale, str) else scale
        # 1e-9 keeps 2/3 of 3 items at exactly 2 despite rounding of the stored share.
        return max(1, math.ceil(self.min_share(s) * s.k - 1e-9))

    def select(self, scale_ids: list[str] | tuple[str, ...]) -> ScaleSet:
        """A set with only these scales (in the given order).

        Raises
        ------
        ScaleError
            Naming every unknown scale id.
        """
        unknown = [s for s in scale_ids if s not in self.scale_ids]
        if unknown:
            raise ScaleError(
                f"scale set {self.id!r} has no such scales",
                [
                    Problem(
                        "unknown scale",
                        value=s,
                        fix=suggest(s, self.scale_ids) or f"scales are {list(self.scale_ids)}",
                    )
                    for s in unknown
                ],
            )
        chosen = tuple(self.scale(s) for s in dict.fromkeys(scale_ids))
        return self.model_copy(update={"scales": chosen})

    def check_against(self, system: IndicatorSystem) -> None:
        """Raise :class:`ScaleError` unless every scale's indicator fits ``system``.

        Each indicator must exist in the system, be fed by one scale only, and have a range
        that contains the scale's response range (a scale mean lies inside it).
        """
        problems = [
            Problem(reason, fix=fix, path=dotted(path) or None)
            for path, reason, fix in fit_problems(self, system)
        ]
        if problems:
            raise ScaleError(f"scale set {self.id!r} does not fit system {system.id!r}", problems)

    def to_yaml_dict(self) -> dict[str, Any]:
        """The set as plain data in the YAML layout."""
        return self.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- loading
def available_scales(*, archived: bool = False) -> tuple[str, ...]:
    """Names of the scale sets shipped with renoscore (``archived``: with ``name@N`` of the
    earlier content releases, kept for reproducibility).

    Examples
    --------
    >>> "resident_survey" in available_scales()
    True
    >>> "resident_survey@1" in available_scales(archived=True)
    True
    """
    return tuple(shipped_names("scales", archived=archived))


def load_scales(
    source: str | Path | bytes | Mapping[str, Any] | ScaleSet | None = None,
    system: IndicatorSystem | None = None,
    *,
    limits: YamlLimits | None = None,
) -> ScaleSet:
    """Load and validate a scale set.

    Parameters
    ----------
    source : str, Path, bytes, mapping or ScaleSet, optional
        A YAML path, YAML text, the name of a shipped set (see :func:`available_scales`), a
        mapping in the YAML layout, or a set (returned as is). Default: the shipped
        ``resident_survey`` set (``resident_survey@1``: its first release).
    system : IndicatorSystem, optional
        When given, every scale's indicator is checked against it.
    limits : YamlLimits, optional
        Bounds on the YAML.

    Returns
    -------
    ScaleSet

    Raises
    ------
    ScaleError
        Listing every problem with its file, line, key path and fix.

    Examples
    --------
    >>> scales = load_scales("resident_survey")
    >>> scales.min_items("trust")  # 2/3 of 5 items, rounded up
    4
    """
    if source is None:
        source = "resident_survey"
    doc = Located(data=None)
    if isinstance(source, ScaleSet):
        scales = source
    else:
        if isinstance(source, Mapping):
            doc = Located(data=dict(source))
        elif isinstance(source, str) and is_shipped("scales", source):
            if limits is None:
                scales = _shipped_scales(source)
                if system is not None:
                    scales.check_against(system)
                return scales
            doc = read_yaml(shipped_file("scales", source), ScaleError, "scale set", limits)
        else:
            doc = read_yaml(source, ScaleError, "scale set", limits)
        if not isinstance(doc.data, Mapping):
            if isinstance(source, str) and isinstance(doc.data, str) and "\n" not in source:
                problem = Problem(
                    f"{source!r} is not a file, nor the name of a shipped scale set",
                    fix=suggest(source, available_scales(archived=True))
                    or f"shipped sets: {', '.join(available_scales(archived=True))}",
                )
            else:
                got = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
                problem = Problem(
                    f"the document is {got}, not a mapping",
                    file=doc.file,
                    line=1,
                    fix="start with 'id:', 'version:', 'name:', 'response_sets:' and 'scales:'",
                )
            raise ScaleError("a scale set must be a YAML mapping", [problem])
        try:
            scales = ScaleSet.model_validate(doc.data)
        except ValidationError as exc:
            raise ScaleError(
                f"invalid scale set{' in ' + doc.file if doc.file else ''}",
                problems_from_validation(exc, doc, ScaleSet),
            ) from None
    if system is not None:
        misfits = fit_problems(scales, system)
        if misfits:
            raise ScaleError(
                f"scale set {scales.id!r} does not fit system {system.id!r}",
                [
                    Problem(
                        reason,
                        fix=fix,
                        file=doc.file,
                        line=doc.line_of(path) if doc.data is not None else None,
                        path=dotted(path) or None,
                    )
                    for path, reason, fix in misfits
                ],
            )
    return scales


@functools.lru_cache(maxsize=8)
def _shipped_scales(name: str) -> ScaleSet:
    # Shipped files never change at run time and scale sets are frozen: parse each once.
    return load_scales(shipped_file("scales", name))


def default_scales() -> ScaleSet:
    """The shipped resident-survey scales (domain brief §3.6) for the default system.

    Belonging, identity, neighbourhood cohesion and trust, reciprocity (1-5 agreement), public
    service satisfaction (1-5) and neighbours known by name (a count top-coded at 30).

    Examples
    --------
    >>> default_scales().scale("belonging").indicator
    'c_belonging'
    """
    return load_scales("resident_survey")
