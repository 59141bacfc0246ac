"""The first stages every analysis shares: check the arguments, load the inputs, build the model.

:func:`~renoscore.sensitivity.uncertainty`, :func:`~renoscore.sensitivity.sensitivity` and
:func:`~renoscore.sensitivity.one_at_a_time` check their arguments with the same rules and
messages, validate the scoring options once (:class:`~renoscore._options.ScoringOptions`),
load the system, data and weights, keep the rows of one phase and build the
:class:`~renoscore.sensitivity.model.DrawModel`; these helpers are those stages, written once.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np

from renoscore._calling import argument
from renoscore._options import ScoringOptions
from renoscore.data import CommunityData, load_data
from renoscore.errors import OptionError, Problem, ResourceError
from renoscore.panel import Panel
from renoscore.pipeline.configuration import resolve_weights
from renoscore.sensitivity.model import DrawModel, Levels
from renoscore.sensitivity.sources import FACTORS, Sources
from renoscore.system import IndicatorSystem, load_system
from renoscore.weighting import Weights

__all__ = [
    "Inputs",
    "available_memory",
    "base_options",
    "check_int",
    "check_memory",
    "declared_factors",
    "prepare_model",
]


def check_int(name: str, value: int, low: int) -> None:
    """Refuse ``value`` unless it is an integer (not a bool) of at least ``low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise OptionError(
            f"{name} must be an integer >= {low}", [Problem(f"invalid {name}", value=value)]
        )


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``, else the free
    physical pages), or None when the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, AttributeError):
        return None


def check_memory(name: str, n: int, per_item: int, fixed: int, unit: str) -> None:
    """Refuse ``n`` items of ``per_item`` bytes (plus ``fixed``) that do not fit in memory.

    Raises
    ------
    ResourceError
        Naming the option, the memory needed and available, and the largest ``n`` that fits.

    Examples
    --------
    >>> check_memory("n", 10**12, 10**6, 0, "draws")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    renoscore.errors.ResourceError: n=1,000,000,000,000 draws need more memory than is available (1 problem)
      - ...
    """
    available = available_memory()
    need = n * per_item + fixed
    if available is None or need <= available:
        return
    fits = max(0, (available - fixed) // max(per_item, 1))
    raise ResourceError(
        f"{name}={n:,} {unit} need more memory than is available",
        [
            Problem(
                f"about {_size(need)} ({_size(per_item)} per {unit.rstrip('s')}); "
                f"{_size(available)} is available",
                value=n,
                fix=f"use {name} <= {fits:,}, or free memory",
            )
        ],
    )


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:,.0f} {unit}" if unit == "bytes" else f"{nbytes:,.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:,.1f} TiB"  # pragma: no cover - the loop returns


def _resolve_seed(seed: int | None) -> int:
    """The seed of every random stream: ``seed`` checked, or one drawn from the OS when None."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise OptionError(
            "seed must be a non-negative integer", [Problem("invalid seed", value=seed)]
        )
    return int(seed)


def declared_factors(sources: Sources, example: str = "") -> tuple[str, ...]:
    """The declared sources (:meth:`Sources.active`); an analysis needs at least one.

    ``example`` ends the suggested fix (e.g. ``", e.g. sources={'weights': {}}"``).
    """
    factors = sources.active()
    if not factors:
        raise OptionError(
            "declare at least one source of uncertainty",
            [Problem("sources is empty", fix=f"set one of {list(FACTORS)}{example}")],
        )
    return factors


def base_options(
    options: ScoringOptions | None,
    normalization: str,
    aggregation: str,
    missing: str,
    min_coverage: float,
    min_applicable: float,
    impute_by: str | None,
    tie_method: str,
    tie_tolerance: float,
) -> ScoringOptions:
    """The scoring options of the base evaluation, validated once: ``options`` or the keywords.

    Every analysis scores its base evaluation with these options, draws the method options
    around them and records them in its settings; the keywords are those of
    :func:`renoscore.evaluate`, in its order (see :meth:`ScoringOptions.of`).

    Raises
    ------
    OptionError
        Invalid options; or an outlier treatment, which the draws would have to repeat on
        every perturbed value (measurement error) and normalisation.
    """
    base = ScoringOptions.of(
        options,
        normalization=normalization,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        min_applicable=min_applicable,
        impute_by=impute_by,
        tie_method=tie_method,
        tie_tolerance=tie_tolerance,
    )
    if base.treat is not None:
        raise OptionError(
            "the uncertainty analyses do not take an outlier treatment",
            [
                Problem(
                    "treat is set",
                    path="treat",
                    fix="analyse the untreated scores (options without treat)",
                )
            ],
        )
    return base


class Inputs(NamedTuple):
    """What an analysis scores, as its caller gave it (loaded by :func:`prepare_model`)."""

    system: IndicatorSystem | str
    data: CommunityData | Any
    weights: Weights | str | None  # Weights, or how to derive them
    panel: Panel | None
    phase: str | None  # the phase analysed; needed when the data hold several
    weights_phase: str | None  # the phase data-driven weights are derived from


def prepare_model(
    inputs: Inputs,
    sources: Sources,
    options: ScoringOptions,
    *,
    levels: Levels,
    completion: str,
    seed: int | None,
    ranked: bool = True,
) -> DrawModel:
    """Load the inputs, keep the rows of one phase and build the draw model.

    ``seed`` is checked (or drawn, when None) after the inputs, by :func:`_resolve_seed`.
    With ``ranked``, fewer than two ranked communities are refused (there is no ranking to
    analyse).
    """
    system, data, weights = _load(inputs)
    model = DrawModel(
        system,
        data,
        weights,
        inputs.panel,
        sources,
        options=options,
        levels=levels,
        completion=completion,
        seed=_resolve_seed(seed),
    )
    if ranked:
        model.require_ranking()
    return model


def _load(inputs: Inputs) -> tuple[IndicatorSystem, CommunityData, Weights]:
    """The system, the rows of one phase and the weights; several phases need ``phase``."""
    data, weights, panel, phase, weights_phase = inputs[1:]
    system = load_system(inputs.system)
    if not isinstance(data, CommunityData):
        data = load_data(data, system)
    w = resolve_weights(system, data, weights, panel, weights_phase)
    phases = list(dict.fromkeys(data.phases))
    if phase is not None:
        if phase not in phases:
            raise OptionError(
                f"no rows in phase {phase!r}",
                [Problem("unknown phase", value=phase, fix=f"choose among {phases}")],
            )
        data = data.select(phase=phase)
    elif len(phases) > 1:
        raise OptionError(
            "the data hold several phases; ranks are within a phase",
            [Problem(f"phases {phases}", fix=f"use {argument('phase')} (e.g. the baseline phase)")],
        )
    if len(set(data.ids)) != data.n:
        raise OptionError(
            "duplicate community ids within the phase",
            [Problem("ambiguous rows", fix="give every community one row per phase")],
        )
    return system, data, w
