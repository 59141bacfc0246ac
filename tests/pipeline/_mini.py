"""Two hand-checked communities of the mini system, and a second phase of them."""

from __future__ import annotations

import renoscore as rs
from renoscore.data import load_data


def _mini_data(system: rs.IndicatorSystem, rows: list[dict[str, object]]) -> rs.CommunityData:
    return load_data(rows, system)


# ---------------------------------------------------------------- hand-checked numbers
# Community A: f_a 0.65 -> (0.65-0.3)/0.7 = 0.5; f_b 1 -> 1; s_dist 900 -> (900-1500)/(300-1500)
# = 0.5; s_sat 4.6 -> clipped to 1. Facilities (0.5+1)/2 = 0.75, services (0.5+1)/2 = 0.75,
# overall 0.6*0.75 + 0.4*0.75 = 0.75 -> 75 ("good").
# Community B: f_a 1.0 -> 1; f_b 0 -> 0; s_dist 300 -> 1; s_sat 2.5 -> 0.5. Facilities 0.5,
# services 0.75, overall 0.6*0.5 + 0.4*0.75 = 0.6 -> 60 ("fair", 60 is the pass line).
ROWS = [
    {"community_id": "A", "phase": "t0", "f_a": 0.65, "f_b": 1, "s_dist": 900, "s_sat": 4.6},
    {"community_id": "B", "phase": "t0", "f_a": 1.0, "f_b": 0, "s_dist": 300, "s_sat": 2.5},
]


# ---------------------------------------------------------------- phases
PHASE_ROWS = [
    *ROWS,
    {"community_id": "A", "phase": "t1", "f_a": 1.0, "f_b": 1, "s_dist": 900, "s_sat": 3.0},
    {"community_id": "C", "phase": "t1", "f_a": 0.5, "f_b": 1, "s_dist": 400, "s_sat": 3.0},
]
