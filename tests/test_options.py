"""The scoring options: validated once, given as keywords or as one object, kept in provenance."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace

import numpy as np
import pytest

import renoscore as rs
from renoscore._options import ScoringOptions
from renoscore.errors import OptionError
from renoscore.result import EvaluationResult


def test_every_invalid_option_is_listed_with_its_name() -> None:
    with pytest.raises(OptionError) as info:
        ScoringOptions(normalization="zscore")
    assert info.value.summary == "unknown normalization 'zscore'"
    assert info.value.problems[0].path == "normalization"
    assert info.value.problems[0].fix == "use goalposts or minmax"
    with pytest.raises(OptionError) as info:
        ScoringOptions(missing="drop", tie_method="first", min_coverage=1.5, tie_tolerance=-1)
    assert info.value.summary == "invalid scoring options"
    assert [p.path for p in info.value.problems] == [
        "missing",
        "min_coverage",
        "tie_method",
        "tie_tolerance",
    ]
    with pytest.raises(OptionError, match="invalid scoring options"):
        ScoringOptions(normalisation="goalposts")


@pytest.mark.parametrize(
    ("options", "summary"),
    [
        ({"normalization": "zscore"}, "unknown normalization 'zscore'"),
        ({"aggregation": "median"}, "unknown aggregation 'median'"),
        ({"missing": "drop"}, "unknown missing policy 'drop'"),
        ({"min_coverage": 1.5}, "min_coverage must be in [0, 1]"),
        ({"tie_method": "first"}, "unknown tie method"),
        ({"tie_tolerance": float("inf")}, "tol must be finite and >= 0"),
    ],
)
def test_evaluate_refuses_each_option_with_its_message(
    mini_system: rs.IndicatorSystem, options: dict[str, object], summary: str
) -> None:
    # The options are checked before the data are read.
    with pytest.raises(OptionError) as info:
        rs.evaluate(mini_system, [], **options)  # type: ignore[arg-type]
    assert info.value.summary == summary


def test_options_object_equals_keywords_and_is_recorded() -> None:
    system, data = rs.default_system(), rs.example_data()
    options = ScoringOptions(missing="impute_median", impute_by="district", min_coverage=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_object = rs.evaluate(system, data, options=options)
        by_keywords = rs.evaluate(
            system, data, missing="impute_median", impute_by="district", min_coverage=0.5
        )
    same_time = by_keywords.provenance.model_copy(update={"created": by_object.provenance.created})
    assert by_object.equals(replace(by_keywords, provenance=same_time))
    assert by_object.provenance.options == options
    assert by_object.provenance.impute_by == "district"
    with pytest.raises(OptionError, match="given twice"):
        rs.evaluate(system, data, options=options, missing="renormalize")


def test_result_written_before_the_options_class_reads_back() -> None:
    result = rs.evaluate(rs.default_system(), rs.example_data(), missing="renormalize")
    record = json.loads(result.to_json())
    del record["provenance"]["impute_by"]  # results written before impute_by was recorded
    del record["digest"]  # ... had no content digest either
    old = EvaluationResult.from_dict(record)
    assert old.provenance.impute_by is None
    assert old.provenance.options == ScoringOptions(missing="renormalize")
    np.testing.assert_array_equal(old.overall, result.overall)
    assert rs.compare(old, phases=("t0", "t1")).ids == rs.compare(result, phases=("t0", "t1")).ids


def test_replace_validates_and_names_the_tree_mean() -> None:
    options = ScoringOptions(aggregation="topsis")
    assert options.tree_method == "arithmetic"
    assert options.batch_relative
    assert options.replace(aggregation="geometric").tree_method == "geometric"
    with pytest.raises(OptionError, match="unknown aggregation"):
        options.replace(aggregation="median")
