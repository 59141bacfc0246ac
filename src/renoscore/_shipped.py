"""The content shipped inside the package, by release: systems, panels, scales and example data.

The shipped indicator systems, expert panels, survey scales and example tables change together
as one *content release*. The current release lives in ``indicators/``, ``scales/`` and
``example_data/``; every earlier one is kept, unchanged, in a ``v<N>/`` folder beside it, so
that a result computed with it can be reproduced. A shipped name may carry a release:
``old_community_renovation@1`` (also ``@v1`` or ``@1.0.0``: the major number counts) is
release 1; without one, or with the current release, the name is the current file.

Examples
--------
>>> from renoscore._shipped import CONTENT_RELEASE, split_release
>>> split_release("old_community_renovation@1"), split_release("panel_example")
(('old_community_renovation', 1), ('panel_example', None))
>>> CONTENT_RELEASE
2
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

__all__ = [
    "CONTENT_RELEASE",
    "RELEASES",
    "is_shipped",
    "release_folder",
    "shipped_file",
    "shipped_names",
    "split_release",
]

#: The release of the content in the package's top folders.
CONTENT_RELEASE = 2
#: Every release shipped, oldest first.
RELEASES: tuple[int, ...] = (1, 2)

_RELEASE = re.compile(r"^v?(\d+)(?:\.\d+)*$")


def split_release(name: str) -> tuple[str, int | None]:
    """``name@release`` as ``(name, release)``; ``release`` is None when the name has none.

    A release that is not a number (``@latest``) is kept in the name, so that the lookup
    fails with the name the user wrote.

    Examples
    --------
    >>> split_release("resident_survey@v1"), split_release("x@1.0.0"), split_release("x@y")
    (('resident_survey', 1), ('x', 1), ('x@y', None))
    """
    base, sep, tail = name.partition("@")
    match = _RELEASE.match(tail) if sep else None
    if match is None:
        return name, None
    return base, int(match.group(1))


def release_folder(kind: str, release: int | None = None) -> Path:
    """The folder of one kind of content (``indicators``, ``scales``, ``example_data``).

    Examples
    --------
    >>> release_folder("indicators", 1).parts[-2:]
    ('indicators', 'v1')
    """
    folder = Path(str(resources.files("renoscore") / kind))
    if release is None or release == CONTENT_RELEASE:
        return folder
    return folder / f"v{release}"


def shipped_file(kind: str, name: str, suffix: str = ".yaml") -> Path:
    """The path of a shipped file by its (possibly release-qualified) name; it may not exist.

    Examples
    --------
    >>> shipped_file("indicators", "panel_example@1").parent.name
    'v1'
    """
    base, release = split_release(name)
    return release_folder(kind, release) / f"{base}{suffix}"


def is_shipped(kind: str, name: str, suffix: str = ".yaml") -> bool:
    """Whether ``name`` (``id`` or ``id@N``) is a shipped file of one kind.

    Examples
    --------
    >>> is_shipped("indicators", "old_community_renovation@2"), is_shipped("scales", "a/b")
    (True, False)
    """
    if not name or any(c in name for c in "/\\\n") or name.startswith("."):
        return False
    return shipped_file(kind, name, suffix).is_file()


def shipped_names(kind: str, *, archived: bool = False, suffix: str = ".yaml") -> list[str]:
    """The names of the shipped files of one kind; ``archived`` adds ``name@N`` of the earlier
    releases.

    Examples
    --------
    >>> "resident_survey@1" in shipped_names("scales", archived=True)
    True
    """
    names = []
    for release in RELEASES if archived else (CONTENT_RELEASE,):
        folder = release_folder(kind, release)
        if not folder.is_dir():
            continue
        tag = "" if release == CONTENT_RELEASE else f"@{release}"
        names += [
            p.name.removesuffix(suffix) + tag for p in folder.iterdir() if p.name.endswith(suffix)
        ]
    return sorted(names)
