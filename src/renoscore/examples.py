"""The example data shipped inside the package (so that it works after any install).

The current example matches the current shipped systems; the example of an earlier content
release is kept beside it (``version=1``) with the system it was made for, so that the numbers
published with that release can be reproduced.
"""

from __future__ import annotations

from pathlib import Path

from renoscore._shipped import release_folder
from renoscore.data import CommunityData, load_data

__all__ = ["example_data", "example_path"]


def example_path(name: str = "communities.csv", version: int | None = None) -> Path:
    """Path of a shipped example file (``communities.csv``: ~30 Zhengzhou-like estates).

    Parameters
    ----------
    name : str
        ``communities.csv`` or ``survey_responses.csv``.
    version : int, optional
        The content release (default: the current one; ``1`` for the first).

    Examples
    --------
    >>> example_path().name, example_path(version=1).parent.name
    ('communities.csv', 'v1')
    """
    return release_folder("example_data", version) / name


def example_data(version: int | None = None) -> CommunityData:
    """The shipped example communities, validated against the default system.

    The table is synthetic, made by ``examples/generate_data.py`` following the domain brief
    and the source paper (about 30 estates in five Zhengzhou districts, one of them the paper's
    LY community in 二七区, with before, during and after phases).

    Parameters
    ----------
    version : int, optional
        The content release; ``version=1`` is the first example, validated against
        ``old_community_renovation@1``.

    Examples
    --------
    >>> data = example_data()
    >>> "LY" in data.ids
    True
    >>> example_data(version=1).system_version
    '1.0.0'
    """
    if version is None:
        return load_data(example_path())
    from renoscore.system import load_system

    return load_data(
        example_path(version=version), load_system(f"old_community_renovation@{version}")
    )
