"""Resident surveys: from questionnaire answers to indicator values and residents' weights.

Half of the default system (participation and social capital) is measured by asking
residents, and the renovation model starts with "residents place orders" (群众下单): what
residents need must steer the work. This package turns a respondent-level questionnaire file
into what the rest of renoscore uses:

* :mod:`~renoscore.survey.scales` -- scales declared in YAML (items, response range, reverse
  coding, minimum answered share, the indicator each feeds); the shipped ``resident_survey``
  set holds the social-capital scales of the domain brief §3.6 and service satisfaction;
* :func:`score_survey` -- respondent scale scores, community means with n, SD, SE and a
  confidence interval, low-n flags, Cronbach's alpha and McDonald's omega
  (:mod:`~renoscore.survey.reliability`); :meth:`SurveyScores.apply_to` puts the means into
  community data for :func:`renoscore.evaluate`;
* :func:`resident_ahp` -- residents' pairwise-comparison answers to one AHP stack, consistency
  per respondent and AIJ aggregation by stakeholder group;
* :func:`importance_performance` -- Martilla & James (1977) importance-performance analysis,
  with a chart and an HTML section for the report.

One idea a module: :mod:`~renoscore.survey.read` (respondent tables),
:mod:`~renoscore.survey.scoring` and :mod:`~renoscore.survey.scores` (score_survey and what it
gives), :mod:`~renoscore.survey.pairwise`, :mod:`~renoscore.survey.resident_ahp` and
:mod:`~renoscore.survey.resident_weights` (residents' judgements), :mod:`~renoscore.survey.ipa`,
:mod:`~renoscore.survey.quadrants` and :mod:`~renoscore.survey.ipa_chart` (IPA).
``renoscore.survey.responses`` keeps the former import path.

Examples
--------
>>> import renoscore as rs
>>> from renoscore import survey
>>> scores = survey.score_survey(
...     survey.example_responses(), households=rs.example_data(), warn=False
... )
>>> data = scores.apply_to(rs.example_data())
>>> result = rs.evaluate(rs.default_system(), data, missing="renormalize")
>>> residents = survey.resident_ahp(survey.example_responses(), group_column="tenure", phase="t0")
>>> sorted(residents.group_weights())
['owner', 'renter']
"""

from __future__ import annotations

from pathlib import Path

from renoscore._shipped import release_folder
from renoscore.errors import ReliabilityWarning, ScaleError, SurveyDataError
from renoscore.survey.ipa import (
    QUADRANT_NAMES,
    QUADRANTS,
    IPAResult,
    importance_performance,
    ipa_for_dimensions,
    ipa_html,
    ipa_quadrants,
    plot_ipa,
)
from renoscore.survey.read import SurveyResponses, read_responses
from renoscore.survey.reliability import (
    ALPHA_WARN_BELOW,
    ItemAnalysis,
    alpha_if_item_deleted,
    corrected_item_total,
    covariances,
    cronbach_alpha,
    item_analysis,
    omega_total,
)
from renoscore.survey.resident_ahp import (
    PAIR_CODINGS,
    ResidentAHP,
    decode_judgements,
    pair_columns,
    resident_ahp,
)
from renoscore.survey.scales import (
    DEFAULT_MIN_ANSWERED,
    Item,
    ResponseSet,
    Scale,
    ScaleSet,
    available_scales,
    default_scales,
    load_scales,
)
from renoscore.survey.scores import ScaleReliability, SurveyScores
from renoscore.survey.scoring import score_survey

__all__ = [
    "ALPHA_WARN_BELOW",
    "DEFAULT_MIN_ANSWERED",
    "PAIR_CODINGS",
    "QUADRANTS",
    "QUADRANT_NAMES",
    "IPAResult",
    "Item",
    "ItemAnalysis",
    "ReliabilityWarning",
    "ResidentAHP",
    "ResponseSet",
    "Scale",
    "ScaleError",
    "ScaleReliability",
    "ScaleSet",
    "SurveyDataError",
    "SurveyResponses",
    "SurveyScores",
    "alpha_if_item_deleted",
    "available_scales",
    "corrected_item_total",
    "covariances",
    "cronbach_alpha",
    "decode_judgements",
    "default_scales",
    "example_responses",
    "example_responses_path",
    "importance_performance",
    "ipa_for_dimensions",
    "ipa_html",
    "ipa_quadrants",
    "item_analysis",
    "load_scales",
    "omega_total",
    "pair_columns",
    "plot_ipa",
    "read_responses",
    "resident_ahp",
    "score_survey",
]


def example_responses_path(version: int | None = None) -> Path:
    """Path of the shipped synthetic respondent file (``survey_responses.csv``); ``version=1``
    is the file of the first content release.

    Examples
    --------
    >>> example_responses_path().name
    'survey_responses.csv'
    """
    return release_folder("example_data", version) / "survey_responses.csv"


def example_responses() -> SurveyResponses:
    """The shipped synthetic respondents of the example communities.

    Made by ``examples/generate_survey.py`` following the domain brief §5.5: 30-80 respondents
    per estate and phase where social capital is measured, ordered-probit items around the
    estate's scale means, 2 % item non-response, covariates (age, tenure years, owner/renter),
    and residents' pairwise judgements of the four dimensions at ``t0``.

    Examples
    --------
    >>> example_responses().n > 1000
    True
    """
    return read_responses(example_responses_path())
