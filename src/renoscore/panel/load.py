"""Reading an expert panel: from YAML, a mapping or a shipped name to a validated panel.

Loading collects every problem of the file into one :class:`~renoscore.errors.PanelError`
whose problems name the file, the line and the fix; given a system, it also checks that every
judged node and label belongs to it.

Examples
--------
>>> from renoscore.panel import load_panel
>>> load_panel("panel_example").id
'panel_example'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from renoscore._validation import not_a_mapping, problems_at, validate_document
from renoscore._yaml import Located, YamlLimits, read_yaml
from renoscore.errors import PanelError, Problem
from renoscore.panel.model import Panel, fit_problems, panel_problems
from renoscore.system import IndicatorSystem
from renoscore.system.load import shipped_yaml

__all__ = ["example_panel", "load_panel"]


def load_panel(
    source: str | Path | bytes | Mapping[str, Any] | Panel,
    system: IndicatorSystem | None = None,
    *,
    limits: YamlLimits | None = None,
) -> Panel:
    """Load and validate an expert panel.

    Parameters
    ----------
    source : str, Path, bytes, mapping or Panel
        A YAML path, YAML text (or its UTF-8 bytes), the name of a shipped panel
        (``"panel_example"``), a mapping in the YAML layout, or a panel.
    system : IndicatorSystem, optional
        When given, every judged node and label is checked against it.
    limits : YamlLimits, optional
        Bounds on the YAML.

    Returns
    -------
    Panel

    Raises
    ------
    PanelError
        Listing every problem with file, line and fix.

    Examples
    --------
    >>> panel = load_panel("panel_example")
    >>> panel.groups[0].id
    'planning'
    """
    if isinstance(source, Panel):
        panel, doc = source, Located(data=None)
    else:
        doc = _read(source, limits)
        panel = validate_document(
            Panel, doc, PanelError, "panel", rules=panel_problems, rules_kind="panel_semantics"
        )
    if system is not None:
        misfits = fit_problems(panel, system)
        if misfits:
            raise PanelError(
                f"panel {panel.id!r} does not fit system {system.id!r}",
                problems_at(doc, misfits),
            )
    return panel


def _read(source: str | Path | bytes | Mapping[str, Any], limits: YamlLimits | None) -> Located:
    """The panel document with its lines; anything but a mapping is refused."""
    if isinstance(source, Mapping):
        doc = Located(data=dict(source))
    elif isinstance(source, str) and _is_shipped(source):
        doc = read_yaml(shipped_yaml(source), PanelError, "panel", limits)
    else:
        doc = read_yaml(source, PanelError, "panel", limits)
    if not isinstance(doc.data, Mapping):
        if isinstance(source, str) and isinstance(doc.data, str) and "\n" not in source:
            problem = Problem(
                f"{source!r} is not a file, nor the name of a shipped panel",
                fix="check the path",
            )
        else:
            problem = not_a_mapping(doc, "start with 'id:' and 'experts:'")
        raise PanelError("a panel must be a YAML mapping", [problem])
    return doc


def _is_shipped(name: str) -> bool:
    return (
        name.startswith("panel")
        and "\n" not in name
        and "/" not in name
        and (shipped_yaml(name).is_file())
    )


def example_panel() -> Panel:
    """The shipped example panel of three experts (domain brief §4) for the default system.

    Examples
    --------
    >>> example_panel().system
    'old_community_renovation'
    """
    return load_panel("panel_example")
