"""Lazy imports of optional dependencies, failing with a message that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from renoscore.errors import MissingDependencyError

__all__ = ["EXTRA_OF", "import_optional"]

#: The optional dependencies and the extra of renoscore that installs each.
EXTRA_OF = {
    "pandas": "pandas",
    "openpyxl": "pandas",
    "pyarrow": "pandas",
    "matplotlib": "plot",
    "dask": "dask",
    "distributed": "dask",
    "statsmodels": "check",
}


def import_optional(module: str, purpose: str) -> ModuleType:
    """Import an optional dependency or raise :class:`MissingDependencyError`.

    Parameters
    ----------
    module : str
        Dotted module name, e.g. ``"pandas"`` or ``"matplotlib.pyplot"``.
    purpose : str
        What the caller wanted to do, used in the error message.

    Returns
    -------
    module
        The imported module.

    Examples
    --------
    >>> np = import_optional("numpy", "this example")
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingDependencyError(top, EXTRA_OF.get(top, "all"), purpose) from exc
