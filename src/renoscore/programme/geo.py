"""Places on a local plane: projection, distances, the nearest services, GeoJSON boundaries.

A city is small next to the Earth, so the map and the distances use the equirectangular
projection about the centre ``(lat0, lon0)`` of the points, in metres::

    x = R * (lon - lon0) * cos(lat0),    y = R * (lat - lat0)      (angles in radians)

with ``R = 6,371,008.8 m`` (the mean Earth radius, IUGG). Within 20 km of the centre the
distances differ from the great-circle ones by well under 1 % (Snyder 1987, *Map
Projections: A Working Manual*, USGS PP 1395, p. 90), less than a life circle's blur.

Examples
--------
>>> import numpy as np
>>> x, y = local_xy(np.array([34.75, 34.76]), np.array([113.65, 113.65]), 34.75, 113.65)
>>> round(float(y[1]))  # 0.01 degree of latitude
1112
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renoscore.errors import DataValidationError, Problem

__all__ = [
    "EARTH_RADIUS_M",
    "Boundary",
    "centre",
    "example_services",
    "local_xy",
    "nearest",
    "read_boundaries",
    "read_points",
]

#: Mean Earth radius in metres (IUGG).
EARTH_RADIUS_M = 6_371_008.8


def local_xy(
    lat: NDArray[np.float64], lon: NDArray[np.float64], lat0: float, lon0: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Metres east and north of ``(lat0, lon0)`` (equirectangular projection)."""
    k = np.pi / 180.0
    x = EARTH_RADIUS_M * (np.asarray(lon) - lon0) * k * np.cos(lat0 * k)
    y = EARTH_RADIUS_M * (np.asarray(lat) - lat0) * k
    return x, y


def nearest(
    x: NDArray[np.float64], y: NDArray[np.float64], px: NDArray[np.float64], py: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """For every point ``(x, y)`` the nearest of ``(px, py)`` and its distance (one matrix).

    Examples
    --------
    >>> i, d = nearest(np.array([0.0]), np.array([0.0]), np.array([3.0, 1.0]), np.array([4.0, 0.0]))
    >>> int(i[0]), float(d[0])
    (1, 1.0)
    """
    d = np.hypot(x[:, None] - px[None, :], y[:, None] - py[None, :])
    idx = np.argmin(d, axis=1)
    return idx.astype(np.intp), d[np.arange(x.size), idx]


@dataclass(frozen=True)
class Boundary:
    """A named polygon (outer rings of a GeoJSON Polygon or MultiPolygon, as lat/lon)."""

    name: str
    rings: tuple[NDArray[np.float64], ...]  # each (k, 2): lon, lat


def read_boundaries(source: str | Path | dict[str, Any], name_key: str = "name") -> list[Boundary]:
    """Polygons of a GeoJSON FeatureCollection (file or parsed), named by a property.

    Raises
    ------
    DataValidationError
        Not GeoJSON, or a feature whose geometry is not a (Multi)Polygon.
    """
    where = str(source) if not isinstance(source, dict) else None
    try:
        doc = source if isinstance(source, dict) else json.loads(Path(source).read_text("utf-8"))
        features = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise DataValidationError(
            "cannot read the boundaries",
            [Problem(str(exc), file=where, fix="give a GeoJSON FeatureCollection of polygons")],
        ) from None
    out, problems = [], []
    for k, f in enumerate(features):
        geom = (f or {}).get("geometry") or {}
        kind, coords = geom.get("type"), geom.get("coordinates")
        polys = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
        if not polys:
            problems.append(
                Problem(
                    f"feature {k} is a {kind}, not a polygon", file=where, fix="keep polygons only"
                )
            )
            continue
        name = str((f.get("properties") or {}).get(name_key, k))
        rings = tuple(np.asarray(q[0], dtype=np.float64) for q in polys)  # type: ignore[index]
        out.append(Boundary(name, rings))
    if problems:
        raise DataValidationError("invalid boundaries", problems)
    return out


def read_points(source: Any) -> list[dict[str, Any]]:
    """Service points (columns ``service``, ``name``, ``lat``, ``lon``) from any table source.

    Raises
    ------
    DataValidationError
        A missing column or a coordinate that is not a number within its range.
    """
    from renoscore._sources import read_source
    from renoscore._tables import DEFAULT_MAX_BYTES, ReadHints

    known = ("service", "name", "lat", "lon")
    hints = ReadHints(score=lambda row: sum(str(c).strip() in known for c in row))
    t = read_source(source, None, None, DEFAULT_MAX_BYTES, hints)
    problems = [
        Problem(f"no column {c!r}", file=t.source, column=c, fix="add it")
        for c in ("service", "lat", "lon")
        if c not in t.columns
    ]
    if problems:
        raise DataValidationError("invalid service points", problems)
    out = []
    for r in range(t.n):
        try:
            lat, lon = float(t.columns["lat"][r]), float(t.columns["lon"][r])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "not a coordinate",
                    file=t.source,
                    line=t.line(r),
                    row=r + 1,
                    column="lat",
                    value=(t.columns["lat"][r], t.columns["lon"][r]),
                    fix="decimal degrees (WGS 84)",
                )
            )
            continue
        name = t.columns["name"][r] if "name" in t.columns else ""
        out.append(
            {"service": str(t.columns["service"][r]), "name": str(name), "lat": lat, "lon": lon}
        )
    if problems:
        raise DataValidationError("invalid service points", problems)
    return out


def example_services() -> list[dict[str, Any]]:
    """The shipped example service points (``example_data/services.csv``)."""
    from importlib import resources

    path = resources.files("renoscore") / "example_data" / "services.csv"
    import csv
    import io

    return read_points(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))))


def centre(lat: Sequence[float], lon: Sequence[float]) -> tuple[float, float]:
    """The middle of the points' bounding box (the projection's centre)."""
    a, o = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    return float((np.nanmin(a) + np.nanmax(a)) / 2), float((np.nanmin(o) + np.nanmax(o)) / 2)
