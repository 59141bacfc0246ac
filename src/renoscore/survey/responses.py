"""The survey's former single module, kept as an import path: its names now live by idea.

Reading a respondent table is :mod:`renoscore.survey.read`, the scores and their reliability
:mod:`renoscore.survey.scores`, scoring :mod:`renoscore.survey.scoring`, and the survey's
errors and warnings :mod:`renoscore.errors`. Every name importable from here before still is.

Examples
--------
>>> from renoscore import survey
>>> from renoscore.survey.responses import read_responses, score_survey
>>> score_survey is survey.score_survey
True
>>> read_responses({"community_id": ["LY", "LY"], "phase": ["t0", "t0"], "b1": [4, 5]}).n
2
"""

from __future__ import annotations

from renoscore.errors import ReliabilityWarning, SurveyDataError
from renoscore.survey.read import SurveyResponses, read_responses
from renoscore.survey.scores import ScaleReliability, SurveyScores
from renoscore.survey.scoring import score_survey

__all__ = [
    "ReliabilityWarning",
    "ScaleReliability",
    "SurveyDataError",
    "SurveyResponses",
    "SurveyScores",
    "read_responses",
    "score_survey",
]
