"""Random (consistency) index tables RI(n), named after the studies that tabulated them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from renoscore.ahp._checks import FloatArray
from renoscore.errors import OptionError, Problem

__all__ = ["DEFAULT_RI_TABLE", "RI_TABLES", "random_index", "ri_of_order", "ri_table_name"]

#: Default random-index table (see :func:`random_index` for the reasons).
DEFAULT_RI_TABLE = "saaty1980"

# Random-index tables, n -> RI. n = 1, 2 are always 0 (a 1x1 or 2x2 reciprocal matrix is consistent).
_SAATY1980 = {
    3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
    11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}  # fmt: skip
_SAATY2005 = {
    3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49,
    11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59,
}  # fmt: skip
_ALONSO_LAMATA2006 = {
    3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417, 8: 1.4056, 9: 1.4499,
    10: 1.4854, 11: 1.5141, 12: 1.5365, 13: 1.5551, 14: 1.5713, 15: 1.5838,
}  # fmt: skip
_DONEGAN_DODD1991 = {
    3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733,
    10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969, 16: 1.5078,
    17: 1.5153, 18: 1.5262, 19: 1.5313, 20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976,
    50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339,
}  # fmt: skip

_TUMMALA_LING1998 = {
    3: 0.5799, 4: 0.8921, 5: 1.1159, 6: 1.2358, 7: 1.3322, 8: 1.3952, 9: 1.4537, 10: 1.4882,
    11: 1.5117, 12: 1.5356, 13: 1.5571, 14: 1.5714, 15: 1.5831,
}  # fmt: skip

#: The named random-index tables, ``name -> {n: RI}`` (read-only). See :func:`random_index`.
RI_TABLES: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        "saaty1980": MappingProxyType(_SAATY1980),
        "saaty2005": MappingProxyType(_SAATY2005),
        "alonso_lamata2006": MappingProxyType(_ALONSO_LAMATA2006),
        "donegan_dodd1991": MappingProxyType(_DONEGAN_DODD1991),
        "tummala_ling1998": MappingProxyType(_TUMMALA_LING1998),
    }
)


_RI_CACHE: dict[str, tuple[str, FloatArray, bool]] = {}


def _ri_dense(table: str | Mapping[int, float]) -> tuple[str, FloatArray, bool]:
    """RI as a dense array indexed by n (NaN where unknown), its name, and whether a formula
    extends it beyond its range."""
    if isinstance(table, str) and table in _RI_CACHE:
        return _RI_CACHE[table]
    if isinstance(table, str):
        if table not in RI_TABLES:
            raise OptionError(
                "unknown random-index table",
                [
                    Problem(
                        f"{table!r} is not a table",
                        value=table,
                        fix=f"use one of {tuple(RI_TABLES)} or a mapping {{n: RI}}",
                    )
                ],
            )
        values: Mapping[int, float] = RI_TABLES[table]
        name = table
        interpolate = table == "donegan_dodd1991"
        formula = table == "alonso_lamata2006"
    elif isinstance(table, Mapping):
        problems = []
        for key, value in table.items():
            if not (isinstance(key, int | np.integer) and key >= 1):
                problems.append(
                    Problem("a key is not a matrix order >= 1", value=key, fix="use int keys")
                )
            elif not (
                isinstance(value, int | float | np.floating) and math.isfinite(value) and value >= 0
            ):
                problems.append(Problem(f"RI for n={key} is not a finite number >= 0", value=value))
            elif key >= 3 and value <= 0:
                problems.append(Problem(f"RI for n={key} must be > 0", value=value))
        if problems:
            raise OptionError("invalid random-index mapping", problems)
        values = {int(k): float(v) for k, v in table.items()}
        name, interpolate, formula = "custom", False, False
    else:
        raise OptionError(
            "invalid random-index table",
            [Problem("ri must be a table name or a mapping {n: RI}", value=table)],
        )
    top = max([2, *values.keys()])
    dense = np.full(top + 1, np.nan)
    dense[1:3] = 0.0
    for key, value in values.items():
        dense[key] = value
    if interpolate:
        # Donegan & Dodd tabulate n = 3-20 and then every 5 or 10; fill the gaps linearly.
        known = np.flatnonzero(~np.isnan(dense))
        dense = np.interp(np.arange(top + 1), known, dense[known])
        dense[0] = np.nan
    if name != "custom":
        dense.setflags(write=False)
        _RI_CACHE[name] = (name, dense, formula)
    return name, dense, formula


def _alonso_lamata_formula(n: FloatArray) -> FloatArray:
    # Alonso & Lamata (2006) fit the mean lambda_max of random matrices as 2.7699 n - 4.3513, so
    # RI = (lambda_mean - n) / (n - 1) = (1.7699 n - 4.3513) / (n - 1); their acceptance rule
    # lambda_max < n + 0.1 (1.7699 n - 4.3513) is CR < 0.1 with this RI.
    return (1.7699 * n - 4.3513) / (n - 1)


def random_index(n: ArrayLike, table: str | Mapping[int, float] = DEFAULT_RI_TABLE) -> FloatArray:
    """Random (consistency) index RI(n): the mean CI of random reciprocal matrices.

    CR = CI / RI (Saaty, 1977). ``RI = 0`` for ``n <= 2``. Named tables:

    ``"saaty1980"`` (default), n <= 15
        0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 (n = 3-10), 1.51, 1.48, 1.56, 1.57, 1.59
        (n = 11-15), as transcribed from Saaty (1980) by pyDecision's ``ahp_method`` and other
        public implementations (all carry the non-monotone 1.48 at n = 12). Published
        transcriptions disagree for n = 11-15 (some print Saaty's later, smoothed values; compare
        ``"saaty2005"``); the n <= 10 values are the ones quoted throughout the applied
        literature, e.g. n = 4: 0.90, n = 5: 1.12.
    ``"saaty2005"``, n <= 15
        0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59 (Saaty, 2005,
        p. 31, as transcribed by AHPy). Chinese texts quoting RI(4) = 0.89 use this table.
    ``"alonso_lamata2006"``, any n >= 3
        0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365, 1.5551,
        1.5713, 1.5838 (n = 3-15, 100,000 random matrices each; Alonso & Lamata, 2006). Beyond
        n = 15 their regression ``mean lambda_max = 2.7699 n - 4.3513`` gives
        ``RI(n) = (1.7699 n - 4.3513) / (n - 1)``; their acceptance rule
        ``lambda_max < n + 0.1 (1.7699 n - 4.3513)`` is exactly ``CR < 0.1`` with this RI (the
        critical lambda_max is ``1.17699 n - 0.43513``, not ``1.7699 n - 4.3513``). The tabulated
        values reproduce the regression coefficients to 3 digits.
    ``"donegan_dodd1991"``, n <= 100
        0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643,
        1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371 (n = 3-20), then n = 25: 1.5619,
        30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213,
        100: 1.6339 (Donegan & Dodd, 1991, as transcribed by AHPy; the non-monotone value at
        n = 90 is kept as transcribed). Orders between tabulated ones are interpolated linearly.

    ``"tummala_ling1998"``, n <= 15
        0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356, 1.5571,
        1.5714, 1.5831 (n = 3-15), Tummala & Ling (1998) as transcribed and attributed by
        pymcdm 1.4 (``pymcdm.weights.subjective.AHP.RI_M``); not checked against the paper.

    A mapping ``{n: RI}`` is used as given.

    Why ``"saaty1980"`` is the default: it is the table behind the CR < 0.10 rule (Saaty, 1980)
    and the one used by the applied literature this library serves (Chinese renovation-evaluation
    studies quote RI(4) = 0.90, RI(5) = 1.12), so CRs computed here match published ones; the
    alternatives differ by up to 0.06 and can move a borderline matrix across 0.10.

    Parameters
    ----------
    n : int or array_like of int
        Matrix orders (>= 1).
    table : str or mapping, default "saaty1980"
        A table name or a mapping ``{n: RI}``.

    Returns
    -------
    ndarray
        RI with the shape of ``n`` (a 0-d array for a scalar).

    Raises
    ------
    OptionError
        For an unknown table, an order < 1, or an order beyond the table without a formula (the
        message names the table and its largest n).

    References
    ----------
    Saaty (1977, 1980, 2005); Donegan & Dodd (1991); Tummala & Ling (1998); Alonso & Lamata
    (2006).

    Examples
    --------
    >>> print(random_index([3, 4, 5]))
    [0.58 0.9  1.12]
    >>> print(random_index(20, "alonso_lamata2006").round(4))
    1.634
    """
    name, dense, formula = _ri_dense(table)
    try:
        arr = np.asarray(n)
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise TypeError
    except TypeError:
        raise OptionError(
            "matrix order must be an integer", [Problem("not an integer order", value=n)]
        ) from None
    if np.any(arr < 1):
        raise OptionError(
            "matrix order must be >= 1",
            [Problem("order < 1", value=np.unique(arr[arr < 1]).tolist())],
        )
    top = dense.size - 1
    inside = arr <= top
    out = np.full(arr.shape, np.nan)
    out[inside] = dense[arr[inside]]
    beyond = ~inside
    if np.any(beyond):
        if not formula:
            raise OptionError(
                f"random-index table {name!r} stops at n = {top}",
                [
                    Problem(
                        f"no RI for n = {np.unique(arr[beyond]).tolist()} in {name!r} (max n = {top})",
                        fix="use 'alonso_lamata2006' (has a formula for any n) or pass a mapping {n: RI}",
                    )
                ],
            )
        out[beyond] = _alonso_lamata_formula(arr[beyond].astype(np.float64))
    if np.any(np.isnan(out)):
        missing = np.unique(arr[np.isnan(out)]).tolist()
        raise OptionError(
            f"random-index table {name!r} has no value for some orders",
            [Problem(f"no RI for n = {missing}", fix="add them to the mapping {n: RI}")],
        )
    return out


def ri_table_name(table: str | Mapping[int, float]) -> str:
    """The name under which a random-index table is recorded, after checking it.

    Parameters
    ----------
    table : str or mapping
        A table name or a mapping ``{n: RI}``, as for :func:`random_index`.

    Returns
    -------
    str
        The table's name, or ``"custom"`` for a mapping.

    Raises
    ------
    OptionError
        For an unknown name or an invalid mapping.

    Examples
    --------
    >>> ri_table_name("saaty2005"), ri_table_name({3: 0.5})
    ('saaty2005', 'custom')
    """
    name, _, _ = _ri_dense(table)
    return name


def ri_of_order(n: int, table: str | Mapping[int, float]) -> tuple[str, float]:
    """The name of a random-index table and its RI for one matrix order (a scalar look-up).

    What :func:`ri_table_name` and :func:`random_index` give for one ``n``, without building an
    array: the look-up of a one-matrix call.

    Parameters
    ----------
    n : int
        The matrix order (>= 1).
    table : str or mapping
        A table name or a mapping ``{n: RI}``.

    Returns
    -------
    (str, float)
        The table's name (``"custom"`` for a mapping) and RI(n).

    Raises
    ------
    OptionError
        As :func:`random_index`.

    Examples
    --------
    >>> ri_of_order(4, "saaty1980")
    ('saaty1980', 0.9)
    """
    name, dense, _ = _ri_dense(table)
    if 1 <= n < dense.size:
        value = float(dense[n])
        if value == value:  # not NaN: the table has this order
            return name, value
    return name, float(random_index(n, table))
