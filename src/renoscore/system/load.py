"""Reading an indicator system: from YAML, a mapping or a shipped name to a validated model.

Loading collects every problem in the file into one
:class:`~renoscore.errors.IndicatorSystemError` whose problems name the file, the line and the
fix. The systems shipped with renoscore are read once and kept; their JSON Schema lets editors
check a YAML system while it is written.

Earlier releases of the shipped systems stay loadable by name for reproducibility:
``load_system("old_community_renovation@1")`` is version 1.0.0, as published with renoscore's
first content release (see :mod:`renoscore._shipped`); a result records the id and version of
the system it was computed with.

Examples
--------
>>> from renoscore.system import available_systems, load_system
>>> "old_community_renovation" in available_systems()
True
>>> load_system("old_community_renovation@1").version
'1.0.0'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from renoscore._shipped import is_shipped, shipped_file, shipped_names, split_release
from renoscore._validation import describe_value, suggest, validate_document
from renoscore._yaml import Located, YamlLimits, read_yaml
from renoscore.errors import IndicatorSystemError, Problem
from renoscore.system.model import IndicatorSystem
from renoscore.system.rules import semantic_problems

__all__ = [
    "available_systems",
    "default_system",
    "is_shipped_system",
    "load_system",
    "same_system",
    "shipped_yaml",
    "system_json_schema",
]


def load_system(
    source: str | Path | bytes | Mapping[str, Any] | IndicatorSystem,
    *,
    limits: YamlLimits | None = None,
) -> IndicatorSystem:
    """Load and validate an indicator system.

    Parameters
    ----------
    source : str, Path, bytes, mapping or IndicatorSystem
        A YAML file path, YAML text (or its UTF-8 bytes), the name of a shipped system (see
        :func:`available_systems`; ``name@1`` is its release 1), a mapping in the YAML layout,
        or a system (returned as is).
    limits : YamlLimits, optional
        Bounds on size, depth and alias expansion of the YAML.

    Returns
    -------
    IndicatorSystem

    Raises
    ------
    IndicatorSystemError
        Listing every problem with its file, line, key path and fix.

    Examples
    --------
    >>> system = load_system("old_community_renovation")
    >>> len(system.indicators)
    72
    >>> load_system(system.to_yaml()) == system
    True
    """
    if isinstance(source, IndicatorSystem):
        return source
    if isinstance(source, Mapping):
        doc = Located(data=dict(source))
    elif isinstance(source, str) and is_shipped_system(source):
        doc = read_yaml(shipped_yaml(source), IndicatorSystemError, "indicator system", limits)
    else:
        doc = read_yaml(source, IndicatorSystemError, "indicator system", limits)
    if not isinstance(doc.data, Mapping):
        raise IndicatorSystemError(*_not_a_mapping(source, doc))
    return validate_document(
        IndicatorSystem,
        doc,
        IndicatorSystemError,
        "indicator system",
        rules=semantic_problems,
        rules_kind="system_semantics",
    )


#: Suffixes of community data tables, which are not indicator systems.
_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet")


def _not_a_mapping(source: object, doc: Located) -> tuple[str, list[Problem]]:
    """The summary and the problem of a source that did not give a YAML mapping."""
    shipped = ", ".join(available_systems(archived=True))
    if isinstance(source, (str, Path)) and "\n" not in str(source).strip():
        path = Path(str(source).strip())
        if str(path) and _is_file(path) and path.suffix.lower() in _DATA_SUFFIXES:
            return "a data table where the indicator system belongs", [
                Problem(
                    f"{path.name!r} is a {path.suffix.lower()[1:].upper()} table, not an "
                    "indicator system",
                    file=str(path),
                    fix="give the indicator system (a YAML file or a shipped name) first, then "
                    f"the data: renoscore validate SYSTEM {path.name}",
                )
            ]
        if isinstance(doc.data, str) and not _is_file(path):
            # A one-line string that is neither a file nor a shipped name is a YAML scalar.
            looks_like_path = path.suffix != "" or any(sep in str(source) for sep in "/\\")
            fix = suggest(str(source), available_systems(archived=True)) or (
                f"check the path; shipped systems are {shipped}"
            )
            if looks_like_path:
                return "indicator system file not found", [
                    Problem("no such file", file=str(source), fix=fix)
                ]
            return "unknown indicator system", [
                Problem(f"{str(source)!r} is not a file, nor the name of a shipped system", fix=fix)
            ]
    got = "empty" if doc.data is None else f"a {describe_value(doc.data).split(' ')[1]}"
    return "indicator system must be a YAML mapping", [
        Problem(
            f"the document is {got}, not a mapping",
            file=doc.file,
            line=1,
            fix="start with 'id:', 'version:', 'name:' and 'goal:'",
        )
    ]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def shipped_yaml(name: str) -> Path:
    """The path of a YAML file shipped with renoscore (a system or a panel) by its name.

    ``name@N`` is the file of content release ``N`` (see :mod:`renoscore._shipped`).

    Examples
    --------
    >>> shipped_yaml("panel_example").name
    'panel_example.yaml'
    >>> shipped_yaml("old_community_renovation@1").parent.name
    'v1'
    """
    return shipped_file("indicators", name)


def available_systems(*, archived: bool = False) -> tuple[str, ...]:
    """Names of the indicator systems shipped with renoscore.

    Parameters
    ----------
    archived : bool, default False
        Also list the earlier releases kept for reproducibility, as ``name@N``.

    Examples
    --------
    >>> available_systems()
    ('complete_community', 'old_community_renovation')
    >>> "old_community_renovation@1" in available_systems(archived=True)
    True
    """
    names = shipped_names("indicators", archived=archived)
    return tuple(n for n in names if not n.startswith("panel"))


def is_shipped_system(name: str) -> bool:
    """Whether ``name`` names a shipped system (``id``, or ``id@N`` of content release N).

    Examples
    --------
    >>> is_shipped_system("complete_community@1"), is_shipped_system("panel_example")
    (True, False)
    """
    return not name.startswith("panel") and is_shipped("indicators", name)


def same_system(declared: str, system: IndicatorSystem) -> bool:
    """Whether a declared system name (``id`` or ``id@N``) names ``system``.

    Examples
    --------
    >>> v1 = load_system("old_community_renovation@1")
    >>> same_system("old_community_renovation", v1), same_system("old_community_renovation@1", v1)
    (True, True)
    >>> same_system("complete_community@1", v1)
    False
    """
    base, release = split_release(declared)
    return base == system.id and (release is None or system.version.split(".")[0] == str(release))


def default_system() -> IndicatorSystem:
    """The shipped 4-dimension old-community-renovation system (老旧小区改造评价指标体系).

    Examples
    --------
    >>> default_system().id
    'old_community_renovation'
    """
    return _shipped_system("old_community_renovation")


@functools.lru_cache(maxsize=8)
def _shipped_system(name: str) -> IndicatorSystem:
    # Shipped files never change at run time and systems are frozen, so one parse is enough.
    return load_system(name)


def system_json_schema() -> dict[str, Any]:
    """The JSON Schema of the indicator-system YAML, for editors that validate YAML.

    Examples
    --------
    >>> system_json_schema()["title"]
    'IndicatorSystem'
    """
    schema = IndicatorSystem.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _schema_text() -> str:
    # The JSON Schema as the file docs/schema/ holds it (a test keeps the two equal).
    return json.dumps(system_json_schema(), indent=2, ensure_ascii=False) + "\n"
