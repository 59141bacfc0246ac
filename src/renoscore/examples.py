"""The example data shipped inside the package (so that it works after any install)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from renoscore.data import CommunityData, load_data

__all__ = ["example_data", "example_path"]


def example_path(name: str = "communities.csv") -> Path:
    """Path of a shipped example file (``communities.csv``: ~30 Zhengzhou-like estates).

    Examples
    --------
    >>> example_path().name
    'communities.csv'
    """
    return Path(str(resources.files("renoscore") / "example_data" / name))


def example_data() -> CommunityData:
    """The shipped example communities, validated against the default system.

    The table is synthetic, made by ``examples/generate_data.py`` following the domain brief
    (about 30 estates in five Zhengzhou districts, one of them the paper's LY community, with
    before/after phases).

    Examples
    --------
    >>> data = example_data()
    >>> "LY" in data.ids
    True
    """
    return load_data(example_path())
