"""Arrow text columns as numpy arrays, without a Python string per cell where possible.

pandas (with its Arrow-backed strings) and pyarrow's CSV reader keep text in Arrow buffers:
UTF-8 bytes and offsets. ``to_numpy`` makes one Python string per cell; for ASCII text
without null cells the bytes are laid out as fixed-width UCS-4 directly instead.

Examples
--------
>>> import pyarrow as pa
>>> text_cells(pa.chunked_array([["LY", "JS02"]])).tolist()
['LY', 'JS02']
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ascii_text", "series_text", "text_cells"]


def series_text(series: Any) -> NDArray[np.str_] | None:
    """An Arrow-backed pandas string column as a numpy text array, or None (not ASCII, nulls,
    or not Arrow-backed: the caller takes the general path)."""
    pa = sys.modules.get("pyarrow")
    dtype = series.dtype
    arrow_backed = getattr(dtype, "storage", None) == "pyarrow" or hasattr(dtype, "pyarrow_dtype")
    if pa is None or not arrow_backed:
        return None
    try:
        return ascii_text(pa.array(series.array))
    except Exception:  # any Arrow layout this does not know: the general path is exact
        return None


def text_cells(arr: Any) -> NDArray[Any]:
    """An Arrow string column (array or chunked) as numpy cells: ASCII as a text array,
    anything else as an object array of str."""
    try:
        fast = ascii_text(arr)
    except Exception:  # any Arrow layout this does not know: the general path is exact
        fast = None
    if fast is not None:
        return fast
    cells: NDArray[Any] = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    return cells


def ascii_text(arr: Any) -> NDArray[np.str_] | None:
    """An Arrow string array of ASCII text without nulls as a numpy text array, else None."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    large = pa.types.is_large_string(arr.type)
    if arr.null_count or not (large or pa.types.is_string(arr.type)):
        return None
    n = len(arr)
    _, off_buf, data_buf = arr.buffers()
    raw = np.frombuffer(off_buf, dtype=np.int64 if large else np.int32)
    offsets: NDArray[np.intp] = raw[arr.offset : arr.offset + n + 1].astype(np.intp)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else None
    lengths = np.diff(offsets)
    width = int(lengths.max()) if n else 0
    if width == 0 or data is None:
        return np.full(n, "", dtype="<U1")
    used = data[offsets[0] : offsets[-1]]
    if used.max() >= 0x80 or used.min() == 0:
        return None  # non-ASCII (UTF-8 needs decoding) or NUL characters
    points = np.zeros((n, width), dtype=np.uint32)
    # Rows of one length at a time: ids usually come in a few lengths.
    for length in np.flatnonzero(np.bincount(lengths)).tolist():
        if length == 0:
            continue
        if length == width and lengths[0] == width and bool((lengths == width).all()):
            points[:] = used.reshape(n, width)
            break
        rows = np.flatnonzero(lengths == length)
        points[rows, :length] = data[offsets[rows][:, None] + np.arange(length)]
    return points.view(f"<U{width}").reshape(n)
