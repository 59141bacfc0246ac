"""``python -m renoscore.cli``: the ``renoscore`` command."""

from renoscore.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    raise SystemExit(main())
