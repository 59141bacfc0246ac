"""Tests of renoscore.sensitivity.oat: one weight at a time."""

from __future__ import annotations

import pytest

from renoscore.errors import OptionError
from renoscore.sensitivity import (
    one_at_a_time,
)


# ----------------------------------------------------------------------------- one at a time
def test_one_at_a_time(example) -> None:  # type: ignore[no-untyped-def]
    system, data, _, weights = example
    oat = one_at_a_time(
        system, data, weights, phase="t0", missing="renormalize", changes=(-0.2, 0.0, 0.2)
    )
    # w_j (1 + delta) / (1 + w_j delta) (OECD/JRC 2008 renormalisation): 0.409 -> 0.4537.
    w = 0.409 / (0.409 + 0.279 + 0.118 + 0.194)
    assert oat.weight_after[0, 2] == pytest.approx(w * 1.2 / (1 + 0.2 * w), abs=1e-3)
    assert oat.children == ("facilities", "public_services", "participation", "social_capital")
    # No change, no rank change.
    assert (oat.spearman[:, 1] == 1.0).all()
    assert (oat.mean_abs_shift[:, 1] == 0.0).all()
    assert len(oat.records()) == 12
    assert "facilities" in oat.table()
    with pytest.raises(OptionError):
        one_at_a_time(system, data, weights, phase="t0", missing="renormalize", node="f_elevator")
    with pytest.raises(OptionError):
        one_at_a_time(system, data, weights, phase="t0", missing="renormalize", changes=(-1.5,))
