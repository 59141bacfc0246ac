"""The single source of renoscore's version number."""

__version__ = "0.1.0"
