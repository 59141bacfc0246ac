"""The scoring options, declared and validated once: :class:`ScoringOptions`.

Eight choices decide how raw indicator values become scores, ranks and grades: how values are
normalised, how indicator scores are aggregated, what happens to missing cells (and within
which context column they are imputed), how much of a community's weight must be observed,
how much of a group's weight must apply for it to be scored, and how ties are ranked.
:func:`renoscore.evaluate` takes them as keywords or as one frozen :class:`ScoringOptions`,
records them in the result's provenance, and :func:`renoscore.compare` reads them back to
decide whether two results compare. The analyses that re-run the evaluation (uncertainty,
sensitivity, one-at-a-time) and the command line take the same object, so the names, the
choices and the messages live here only.

The names of the choices say what is chosen: :data:`ScoreNormalization` is how *raw values*
become 0-100 scores (not the normalisation inside TOPSIS or of an entropy weighting).

Examples
--------
>>> options = ScoringOptions(missing="renormalize")
>>> options.tree_method, options.batch_relative
('arithmetic', False)
>>> ScoringOptions(normalization="zscore")
Traceback (most recent call last):
...
renoscore.errors.OptionError: unknown normalization 'zscore' (1 problem)
  - normalization: not a normalisation renoscore offers (value 'zscore') -> use goalposts or minmax
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from renoscore._calling import argument
from renoscore.errors import OptionError, Problem
from renoscore.ranking import TieMethod

__all__ = [
    "AGGREGATIONS",
    "BATCH_RELATIVE",
    "DEFAULT_OPTIONS",
    "MISSING_POLICIES",
    "NORMALIZATIONS",
    "TIE_METHODS",
    "TREE_AGGREGATIONS",
    "Aggregation",
    "MissingPolicy",
    "ScoreNormalization",
    "ScoringOptions",
    "TreatmentOptions",
    "TreeAggregation",
]

#: How raw indicator values become 0-100 scores: fixed goalposts, or min-max over the batch.
ScoreNormalization: TypeAlias = Literal["goalposts", "minmax"]
#: How indicator scores become the overall score: a weighted mean up the tree (arithmetic or
#: geometric), or one of three methods that replace the overall score only.
Aggregation: TypeAlias = Literal["arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"]
#: The weighted means that run up the tree (every group score).
TreeAggregation: TypeAlias = Literal["arithmetic", "geometric"]
#: What to do with missing cells.
MissingPolicy: TypeAlias = Literal["error", "renormalize", "impute_mean", "impute_median"]

NORMALIZATIONS: tuple[str, ...] = get_args(ScoreNormalization)
AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
TREE_AGGREGATIONS: tuple[str, ...] = get_args(TreeAggregation)
MISSING_POLICIES: tuple[str, ...] = get_args(MissingPolicy)
TIE_METHODS: tuple[str, ...] = get_args(TieMethod)
#: Overall scores from these methods are relative to the batch, not to fixed goalposts.
BATCH_RELATIVE: tuple[str, ...] = ("topsis", "grey_relational")


class TreatmentOptions(BaseModel):
    """How outliers are treated before scoring (COINr's ``Treat``; :mod:`renoscore.audit.treatment`).

    Parameters
    ----------
    winmax : int, default 5
        Points winsorised at most per indicator.
    skew_threshold, kurt_threshold : float, default 2 and 3.5
        An indicator is treated when ``|skewness| >= skew_threshold`` and
        ``kurtosis >= kurt_threshold``.
    log : bool
        Log-transform an indicator that winsorisation does not bring within the thresholds.
        Never with goalposts (a transform would change the goalposts' units): the default is
        True with min-max, False with goalposts.
    combine : bool, default False
        Log-transform the winsorised values instead of the original ones.

    Examples
    --------
    >>> ScoringOptions(treat=True).treat.log, ScoringOptions(treat=True, normalization="minmax").treat.log
    (False, True)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    winmax: int = Field(default=5, ge=0)
    skew_threshold: float = Field(default=2.0, gt=0.0)
    kurt_threshold: float = Field(default=3.5, gt=0.0)
    log: bool | None = None
    combine: bool = False


class ScoringOptions(BaseModel):
    """The scoring options of an evaluation, validated once and frozen.

    Parameters
    ----------
    normalization : {"goalposts", "minmax"}, default "goalposts"
        ``goalposts``: each indicator scored from its floor (0) to its target (100), so a
        community's score does not depend on the batch. ``minmax``: relative to the batch.
    aggregation : {"arithmetic", "geometric", "topsis", "grey_relational", "fuzzy"}
        Weighted arithmetic (default) or geometric mean up the tree; the last three replace
        only the overall score (see :func:`renoscore.evaluate`).
    missing : {"error", "renormalize", "impute_mean", "impute_median"}, default "error"
        What to do with missing cells.
    min_coverage : float, default 2/3
        A community whose observed share of the goal's weight is below this is not scored.
    min_applicable : float, default 0.5
        A group is scored only where the indicators that apply to the row carry at least this
        share of its weight; below it the group is *not assessed* and counts as missing in its
        parent. A group's ``min_applicable`` in the system YAML takes precedence; 0 restores
        the plain renormalisation (a group is scored from any one applicable indicator).
    impute_by : str, optional
        A context column within which to impute.
    tie_method : {"min", "max", "dense", "average", "ordinal"}, default "min"
        How tied scores are ranked.
    tie_tolerance : float, default 1e-9
        The score difference (on 0-100) below which two scores tie.
    treat : bool, dict or TreatmentOptions, optional
        Treat outliers before scoring, as COINr's ``Treat`` does (winsorise up to ``winmax``
        points, then a log transform with min-max): True for the defaults. Off by default.

    Raises
    ------
    OptionError
        Every invalid option, each located by its name and with the choices that are valid.

    Examples
    --------
    >>> ScoringOptions(aggregation="geometric", min_coverage=0.5).model_dump()["min_coverage"]
    0.5
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    normalization: ScoreNormalization = "goalposts"
    aggregation: Aggregation = "arithmetic"
    missing: MissingPolicy = "error"
    min_coverage: float = 2.0 / 3.0
    min_applicable: float = 0.5
    impute_by: str | None = None
    tie_method: TieMethod = "min"
    tie_tolerance: float = 1e-9
    treat: TreatmentOptions | None = None

    @field_validator("treat", mode="before")
    @classmethod
    def _treatment(cls, spec: Any, info: ValidationInfo) -> Any:
        """``treat=True`` means the defaults, False none; the log step follows the scale."""
        if spec is False or spec is None:
            return None
        fields = (
            {} if spec is True else (spec.model_dump() if isinstance(spec, BaseModel) else spec)
        )
        if not isinstance(fields, dict):
            return spec  # pydantic reports the type
        goalposts = info.data.get("normalization", "goalposts") == "goalposts"
        if fields.get("log") is None:
            return {**fields, "log": not goalposts}
        if fields["log"] and goalposts:
            raise ValueError("a log transform would change the goalposts' units")
        return fields

    def __init__(self, **options: Any) -> None:
        try:
            super().__init__(**options)
        except ValidationError as exc:
            raise _option_error(exc) from None

    @field_validator("min_coverage", "min_applicable")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0.0 <= value <= 1.0:
            raise ValueError("out of range")
        return value

    @field_validator("tie_tolerance")
    @classmethod
    def _tolerance(cls, value: float) -> float:
        if not (math.isfinite(value) and value >= 0):
            raise ValueError("invalid tol")
        return value

    @classmethod
    def of(cls, options: ScoringOptions | None = None, **keywords: Any) -> ScoringOptions:
        """The options given either as one object or as keywords (left at their defaults).

        Parameters
        ----------
        options : ScoringOptions, optional
            Options already validated.
        **keywords
            The same options as keywords, as :func:`renoscore.evaluate` takes them.

        Raises
        ------
        OptionError
            An invalid keyword, or a keyword that differs from its default while ``options``
            is given too (the same option given twice).

        Examples
        --------
        >>> ScoringOptions.of(missing="renormalize").missing
        'renormalize'
        >>> ScoringOptions.of(ScoringOptions(missing="renormalize"), missing="error").missing
        'renormalize'
        """
        if options is None:
            return cls(**keywords)
        defaults = cls.model_fields
        twice = [k for k, v in keywords.items() if k in defaults and v != defaults[k].default]
        if twice:
            raise OptionError(
                "scoring options given twice",
                [
                    Problem(
                        "given as a keyword and in options",
                        path=name,
                        value=keywords[name],
                        fix=f"use {argument('options', 'ScoringOptions(...)')} or the keyword, "
                        "not both",
                    )
                    for name in twice
                ],
            )
        return options

    def replace(self, **changes: Any) -> ScoringOptions:
        """A validated copy with some options changed.

        Examples
        --------
        >>> ScoringOptions().replace(normalization="minmax").batch_relative
        True
        """
        return ScoringOptions(**{**self.model_dump(), **changes})

    @property
    def tree_method(self) -> TreeAggregation:
        """The weighted mean that runs up the tree (the geometric one only if chosen)."""
        return "geometric" if self.aggregation == "geometric" else "arithmetic"

    @property
    def batch_relative(self) -> bool:
        """Whether overall scores depend on the batch (min-max, TOPSIS, grey relational)."""
        return self.normalization == "minmax" or self.aggregation in BATCH_RELATIVE


#: The default options: every function that takes the options as keywords reads its defaults
#: from here, so that a default has one home.
DEFAULT_OPTIONS = ScoringOptions()


#: Per option: the error summary (from the value), the problem and its fix.
_MESSAGES: dict[str, tuple[Callable[[Any], str], str, str]] = {
    "normalization": (
        lambda v: f"unknown normalization {v!r}",
        "not a normalisation renoscore offers",
        "use goalposts or minmax",
    ),
    "aggregation": (
        lambda v: f"unknown aggregation {v!r}",
        "not an aggregation renoscore offers",
        "use arithmetic, geometric, topsis, grey_relational or fuzzy",
    ),
    "missing": (
        lambda v: f"unknown missing policy {v!r}",
        "not a missing-data policy",
        "use error, renormalize, impute_mean or impute_median",
    ),
    "min_coverage": (
        lambda v: "min_coverage must be in [0, 1]",
        "out of range",
        "give the share of the goal's weight that must be observed, e.g. 2/3",
    ),
    "min_applicable": (
        lambda v: "min_applicable must be in [0, 1]",
        "out of range",
        "give the share of a group's weight that must apply to a row, e.g. 0.5",
    ),
    "tie_method": (
        lambda v: "unknown tie method",
        "method must be one of 'min', 'max', 'dense', 'average', 'ordinal'",
        "e.g. 'min' (competition ranking) or 'average' (mid-ranks)",
    ),
    "treat": (
        lambda v: "invalid outlier treatment",
        "not a treatment renoscore can apply",
        "treat=True, or e.g. treat={'winmax': 3}; with goalposts no log transform "
        "(use normalization='minmax' for one)",
    ),
    "tie_tolerance": (
        lambda v: "tol must be finite and >= 0",
        "invalid tol",
        "give the score difference (on 0-100) below which scores tie, e.g. 1e-9",
    ),
}


def _option_error(exc: ValidationError) -> OptionError:
    """One :class:`OptionError` listing every invalid option, located by its name."""
    summaries: list[str] = []
    problems: list[Problem] = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or None
        value = err.get("input")
        if name in _MESSAGES:
            summary, reason, fix = _MESSAGES[name]
            summaries.append(summary(value))
            problems.append(Problem(reason, path=name, value=value, fix=fix))
        else:
            summaries.append("invalid scoring options")
            problems.append(
                Problem(
                    err["msg"],
                    path=name,
                    value=value if not isinstance(value, dict) else None,
                    fix=f"the scoring options are {', '.join(ScoringOptions.model_fields)}",
                )
            )
    message = summaries[0] if len(summaries) == 1 else "invalid scoring options"
    return OptionError(message, problems)
