"""Generate renoscore's synthetic resident survey: one row per respondent of the example estates.

Usage::

    python examples/generate_survey.py [--seed 20240602]
                                       [--communities src/renoscore/example_data/communities.csv]
                                       [--out src/renoscore/example_data/survey_responses.csv]
    python examples/generate_survey.py --check      # print the calibration, write nothing

The default run rewrites the file shipped with renoscore (``examples/data/survey_responses.csv``
links to it); ``tests/survey/test_survey.py`` checks that the run reproduces it byte for byte. Only
numpy and scipy are needed.

What it follows (renoscore domain brief §3.6 and §5.5)
------------------------------------------------------
* Respondents are drawn for every estate and phase of ``communities.csv`` where social capital
  is measured (``t0``, ``t1``, ``t2``; not ``t_proc``): ``max(30, ceil(10 % of households))``
  plus a few, at most 80. The ``t2`` follow-up (three years after) loses a quarter of the
  ``t0`` sample, so some follow-ups fall below 30 and are flagged by ``score_survey``; the
  largest estates cannot reach 10 % of their households with 80 respondents and are flagged too.
* Items of the shipped scales (``resident_survey.yaml``): belonging b1-b3, identity i1-i3,
  cohesion and trust t1-t5 (t4, t5 reverse-worded), reciprocity r1-r3 (1-5 agreement),
  service satisfaction s1-s5 (1-5, at ``t0`` and ``t1`` only, as the indicator), neighbours
  known n1 (a count; a few answers above 30 are left for the top-coding).
* Ordered probit: respondent factor scores ``eta`` per scale (correlation 0.55 among the
  social-capital scales, 0.3 with service satisfaction; renters -0.3 SD and long tenure
  +0.2 SD per SD of tenure years, centred within the estate), item propensity
  ``lambda eta + sqrt(1 - lambda^2) e`` with loadings U(0.6, 0.8) per item, answer
  ``1 + #{t in 1.5, 2.5, 3.5, 4.5 : mu' + s * propensity > t}`` with ``s = 0.95``; the offset
  ``mu'`` of each estate and scale is solved (bisection, vectorised) so that the expected
  answer equals the estate's value in ``communities.csv`` (the column of the scale's
  indicator; a missing value is replaced by the estate's mean of the other social-capital
  scales, or the brief's t0 mean). Reverse-worded items are written as ``6 - answer``.
  The generated alphas fall in the brief's 0.75-0.85 (``--check`` prints them).
* Item non-response 2 %: 1.5 % empty cells and 0.5 % coded 98 (说不清, don't know), declared as
  a missing code in the scales file.
* Covariates: ``age`` (18-90, share aged 60+ from the estate), ``tenure`` (owner/renter, renter
  share from the estate), ``tenure_years``.
* Residents' AHP at ``t0`` (群众下单): the six pairs of the four dimensions in columns
  ``ahp_<a>_vs_<b>``, signed 1-9 coding (negative: the right-hand dimension matters more).
  Group priorities [P]: owners facilities .40, services .25, participation .15, social capital
  .20; renters .25 / .40 / .10 / .25. Each respondent's log priorities add N(0, 0.3), each
  judgement's log N(0, 0.45), rounded to the nearest Saaty value; 4 % skip the AHP block and
  2 % skip one pair.

Deviations and open points [P]
------------------------------
* The brief gives no covariate effects; the renter and tenure effects above are proposals.
* Answers are independent across estates and phases (no panel of the same residents).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_IN = ROOT / "src" / "renoscore" / "example_data" / "communities.csv"
DEFAULT_OUT = ROOT / "src" / "renoscore" / "example_data" / "survey_responses.csv"
SEED = 20240602

sys.path.insert(0, str(ROOT / "src"))
from renoscore.survey import load_scales  # noqa: E402
from renoscore.system import load_system  # noqa: E402

_SET = load_scales("resident_survey")
_SYSTEM = load_system("old_community_renovation")
_RESPONSE = {r.id: r for r in _SET.response_sets}
# scale id -> (indicator column, item ids, reverse-worded items); the neighbours known (a count)
# are drawn apart.
SCALES: dict[str, tuple[str, list[str], set[str]]] = {
    sc.id: (sc.indicator, [i.id for i in sc.items], {i.id for i in sc.items if i.reverse})
    for sc in _SET.scales
    if sc.indicator is not None and sc.id != "neighbours_known"
}
#: How a scale is scored: "mean" of 1-5 answers, "top" (share answering 4-5), "binary" (yes/no).
KIND = {
    sc.id: "binary"
    if _RESPONSE[sc.response].max == 1
    else ("top" if sc.score == "top_box" else "mean")
    for sc in _SET.scales
    if sc.id in SCALES
}
#: Phases in which each scale's indicator is measured (no answers are drawn elsewhere).
SCALE_PHASES = {s: _SYSTEM.node(ind).phases for s, (ind, _, _) in SCALES.items()}
SOCIAL = ["belonging", "identity", "trust", "reciprocity"]
FALLBACK = {"belonging": 3.5, "identity": 3.4, "trust": 3.4, "reciprocity": 3.3}
SURVEY_PHASES = ("t0", "t1", "t2")
DIMENSIONS = ["facilities", "public_services", "participation", "social_capital"]
GROUP_PRIORITIES = {
    "owner": np.array([0.40, 0.25, 0.15, 0.20]),
    "renter": np.array([0.25, 0.40, 0.10, 0.25]),
}
ITEM_SCALE_SD = 0.95
THRESHOLDS = np.array([1.5, 2.5, 3.5, 4.5])
NONRESPONSE_EMPTY = 0.015
NONRESPONSE_CODE = 0.005
DONT_KNOW = 98


def _read_communities(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _value(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _sample_sizes(rows: list[dict[str, str]], rng: np.random.Generator) -> NDArray[np.int64]:
    hh = np.array([_value(r["households"]) for r in rows])
    base = np.maximum(30, np.ceil(0.10 * hh))
    n = np.minimum(80, base + rng.integers(0, 9, size=len(rows)))
    # The t2 follow-up keeps three quarters of the estate's t0 sample.
    t0_n = {r["community_id"]: n[k] for k, r in enumerate(rows) if r["phase"] == "t0"}
    for k, r in enumerate(rows):
        if r["phase"] == "t2":
            n[k] = round(0.75 * t0_n[r["community_id"]])
    return n.astype(np.int64)


def _targets(rows: list[dict[str, str]]) -> NDArray[np.float64]:
    """Target per survey row and scale: the estate's value in communities.csv.

    A missing mean-scored social-capital value is replaced by the estate's mean of the other
    social-capital scales (or the brief's t0 mean); a missing share by 0.5.
    """
    names = list(SCALES)
    mu = np.array([[_value(r[SCALES[s][0]]) for s in names] for r in rows])
    social = mu[:, : len(SOCIAL)]
    with np.errstate(invalid="ignore"):
        row_mean = np.nanmean(np.where(np.isfinite(social), social, np.nan), axis=1)
    for j, s in enumerate(names):
        if s in SOCIAL:
            fill = np.where(np.isfinite(row_mean), row_mean, FALLBACK[s])
        else:
            fill = np.full(len(rows), 0.5)
        mu[:, j] = np.where(np.isfinite(mu[:, j]), mu[:, j], fill)
    return mu


def _offsets(mu: NDArray[np.float64], kinds: list[str]) -> NDArray[np.float64]:
    """Latent offsets that give each scale its target (columns follow ``kinds``).

    ``mean``: the expected ordered-probit answer equals the target; ``top``: P(answer >= 4),
    i.e. P(offset + s * z > 3.5), equals it; ``binary``: P(offset + z > 0) equals it.
    """
    out = _mean_offsets(mu)
    share = np.clip(mu, 0.005, 0.995)
    top = 3.5 + ITEM_SCALE_SD * stats.norm.ppf(share)
    binary = stats.norm.ppf(share)
    kind = np.array(kinds)
    out = np.where(kind == "top", top, out)
    return np.where(kind == "binary", binary, out)


def _mean_offsets(mu: NDArray[np.float64]) -> NDArray[np.float64]:
    """Latent offsets whose expected ordered-probit answer equals ``mu`` (vectorised bisection).

    E[answer] = 1 + sum_t Phi((offset - t) / s) over the thresholds t; it increases in offset.
    """
    lo = np.full(mu.shape, -5.0)
    hi = np.full(mu.shape, 11.0)
    for _ in range(60):
        mid = (lo + hi) / 2.0
        expected = 1.0 + stats.norm.cdf((mid[..., None] - THRESHOLDS) / ITEM_SCALE_SD).sum(-1)
        below = expected < mu
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return (lo + hi) / 2.0


def _saaty_signed(ratio: NDArray[np.float64]) -> NDArray[np.int64]:
    """Nearest signed Saaty answer: v in 1..9 when ratio >= 1, -v when below."""
    up = np.clip(np.rint(ratio), 1, 9)
    down = np.clip(np.rint(1.0 / ratio), 1, 9)
    out = np.where(ratio >= 1.0, up, np.where(down == 1, 1, -down))
    return out.astype(np.int64)


def generate(communities: Path = DEFAULT_IN, seed: int = SEED) -> tuple[list[str], list[list[str]]]:
    """Build the respondent table: the header and the rows as text cells."""
    rng = np.random.default_rng(seed)
    all_rows = _read_communities(communities)
    rows = [r for r in all_rows if r["phase"] in SURVEY_PHASES]
    n = _sample_sizes(rows, rng)
    R = int(n.sum())
    grp = np.repeat(np.arange(len(rows)), n)
    names = list(SCALES)
    S = len(names)

    # Covariates
    share60 = np.array([_value(r["share_60plus"]) for r in rows])[grp]
    renter_share = np.array([_value(r["renter_share"]) for r in rows])[grp]
    renter = rng.random(R) < renter_share
    old = rng.random(R) < share60
    age = np.where(old, rng.integers(60, 91, R), rng.integers(18, 60, R))
    tenure_years = np.where(
        renter, rng.integers(1, 9, R), np.minimum(age - 17, rng.integers(3, 41, R))
    )

    # Factor scores: correlated scales, covariate effects centred within the estate
    corr = np.full((S, S), 0.30)
    corr[: len(SOCIAL), : len(SOCIAL)] = 0.55
    np.fill_diagonal(corr, 1.0)
    eta = rng.standard_normal((R, S)) @ np.linalg.cholesky(corr).T
    counts = np.bincount(grp, minlength=len(rows)).astype(float)
    ty_z = (tenure_years - tenure_years.mean()) / tenure_years.std()
    shift = -0.3 * renter + 0.2 * ty_z
    shift -= (np.bincount(grp, weights=shift, minlength=len(rows)) / counts)[grp]
    eta[:, : len(SOCIAL)] += shift[:, None]

    mu = _targets(rows)
    kinds = [KIND[s] for s in names]
    with np.errstate(invalid="ignore"):
        offset = _offsets(mu, kinds)[grp]  # (R, S)
    header = ["community_id", "phase", "respondent_id", "age", "tenure", "tenure_years"]
    columns: list[NDArray[np.float64]] = []
    phase = np.array([r["phase"] for r in rows])[grp]
    for j, s in enumerate(names):
        _, items, reverse = SCALES[s]
        lam = rng.uniform(0.6, 0.8, size=len(items))
        e = rng.standard_normal((R, len(items)))
        propensity = lam * eta[:, j : j + 1] + np.sqrt(1.0 - lam**2) * e
        if kinds[j] == "binary":
            answer = (offset[:, j : j + 1] + propensity > 0).astype(float)
        else:
            latent = offset[:, j : j + 1] + ITEM_SCALE_SD * propensity
            answer = 1.0 + (latent[..., None] > THRESHOLDS).sum(-1)
        asked = np.isin(phase, SCALE_PHASES[s])
        for i, item in enumerate(items):
            col = 6.0 - answer[:, i] if item in reverse else answer[:, i]
            columns.append(np.where(asked, col, np.nan))
            header.append(item)

    # Neighbours known: negative binomial around the estate mean; answers above 30 stay raw.
    nk = np.array([_value(r["c_neighbours_known"]) for r in rows])
    nk = np.where(np.isfinite(nk), nk, 8.0)[grp] * np.exp(0.25 * eta[:, 0])
    size = 3.0
    neighbours = rng.negative_binomial(size, size / (size + nk)).astype(float)
    columns.append(neighbours)
    header.append("n1")

    # Item non-response: empty cells and "don't know" codes
    answers = np.column_stack(columns)
    u = rng.random(answers.shape)
    answers = np.where(u < NONRESPONSE_EMPTY, np.nan, answers)
    answers = np.where(
        (u >= NONRESPONSE_EMPTY)
        & (u < NONRESPONSE_EMPTY + NONRESPONSE_CODE)
        & np.isfinite(answers),
        DONT_KNOW,
        answers,
    )

    # Residents' AHP at t0
    pairs = [(a, b) for a in range(4) for b in range(a + 1, 4)]
    w_group = np.where(renter[:, None], GROUP_PRIORITIES["renter"], GROUP_PRIORITIES["owner"])
    log_w = np.log(w_group) + 0.3 * rng.standard_normal((R, 4))
    a_idx = np.array([p[0] for p in pairs])
    b_idx = np.array([p[1] for p in pairs])
    log_ratio = log_w[:, a_idx] - log_w[:, b_idx] + 0.45 * rng.standard_normal((R, len(pairs)))
    ahp = _saaty_signed(np.exp(log_ratio)).astype(float)
    asked = phase == "t0"
    skip_block = rng.random(R) < 0.04
    skip_one = (rng.random(R) < 0.02)[:, None] & (
        np.arange(len(pairs))[None, :] == rng.integers(0, len(pairs), R)[:, None]
    )
    ahp = np.where((asked & ~skip_block)[:, None] & ~skip_one, ahp, np.nan)
    header += [f"ahp_{DIMENSIONS[a]}_vs_{DIMENSIONS[b]}" for a, b in pairs]

    ids = np.array([r["community_id"] for r in rows])[grp]
    within = np.arange(R) - np.repeat(np.cumsum(n) - n, n) + 1
    body: list[list[str]] = []
    table = np.column_stack([answers, ahp])
    for k in range(R):
        cells = [
            str(ids[k]),
            str(phase[k]),
            f"{ids[k]}-{phase[k]}-{within[k]:03d}",
            str(int(age[k])),
            "renter" if renter[k] else "owner",
            str(int(tenure_years[k])),
        ]
        cells += ["" if not math.isfinite(v) else str(int(v)) for v in table[k]]
        body.append(cells)
    return header, body


def write(header: list[str], body: list[list[str]], out: Path) -> None:
    """Write the table as UTF-8 CSV with Unix line ends."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    out.write_bytes(buf.getvalue().encode("utf-8"))


def write_back(header: list[str], body: list[list[str]], communities: Path) -> int:
    """Put the survey's estate scores into ``communities.csv``, so that the two files agree.

    Every questionnaire cell that holds a value (not empty, not ``n/a``) becomes the scored
    survey value of its estate and phase, written with the column's decimals (the decimals the
    file already uses). Returns the number of cells written.
    """
    from renoscore import survey

    scores = survey.score_survey([dict(zip(header, b, strict=True)) for b in body], warn=False)
    where = {
        (cid, ph): g for g, (cid, ph) in enumerate(zip(scores.ids, scores.phases, strict=True))
    }
    with communities.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    head = table[0]
    changed = 0
    for j, ind in enumerate(scores.indicator_ids):
        if ind is None or ind not in head:
            continue
        col = head.index(ind)
        for row in table[1:]:
            cell = row[col]
            g = where.get((row[0], row[1]))
            if g is None or cell in ("", "n/a") or not math.isfinite(scores.mean[g, j]):
                continue
            decimals = len(cell.split(".")[1]) if "." in cell else 0
            row[col] = f"{scores.mean[g, j]:.{decimals}f}"
            changed += 1
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(table)
    communities.write_bytes(buf.getvalue().encode("utf-8"))
    return changed


def check(header: list[str], body: list[list[str]], communities: Path) -> None:
    """Print the calibration: sample sizes, alphas and target vs generated means."""
    sys.path.insert(0, str(ROOT / "src"))
    import renoscore as rs
    from renoscore import survey

    rows = [dict(zip(header, b, strict=True)) for b in body]
    scores = survey.score_survey(rows, households=rs.load_data(communities), warn=False)
    print(scores.reliability_table())
    print(f"respondents {len(body)}; n per group {scores.n[:, 0].min()}-{scores.n[:, 0].max()}; "
          f"low-n groups {int(scores.low_n.any(axis=1).sum())}")  # fmt: skip
    data = rs.load_data(communities)
    for j, ind in enumerate(scores.indicator_ids):
        if ind is None:
            continue
        rows_in, found = scores._rows_in(data)
        target = data.column(ind)[rows_in]
        ok = found & np.isfinite(target) & np.isfinite(scores.mean[:, j])
        diff = scores.mean[ok, j] - target[ok]
        r = np.corrcoef(scores.mean[ok, j], target[ok])[0, 1]
        print(f"{ind:24s} corr {r:.3f}  mean diff {diff.mean():+.3f}  sd diff {diff.std():.3f}")
    res = survey.resident_ahp(rows, group_column="tenure", phase="t0")
    print(res.table())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--communities", type=Path, default=DEFAULT_IN)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="print the calibration only")
    parser.add_argument(
        "--write-back",
        action="store_true",
        help="also put the survey's estate scores into the communities file",
    )
    args = parser.parse_args(argv)
    header, body = generate(args.communities, args.seed)
    if args.check:
        check(header, body, args.communities)
        return 0
    write(header, body, args.out)
    print(f"wrote {len(body)} respondents to {args.out}")
    if args.write_back:
        cells = write_back(header, body, args.communities)
        print(f"wrote {cells} survey scores into {args.communities}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
