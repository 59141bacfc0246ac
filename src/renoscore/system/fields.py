"""The columns of a data table that are not indicators: raw fields and context columns.

A **raw field** is a count or measure an office keeps (lifts installed, eligible stairwells,
households) from which a derived indicator is computed by its ``formula``. It has a unit and a
range, and is read and checked like an indicator, but is not scored itself.

A **context column** (district, build year, street) is kept beside the scores, not scored.
Declaring it gives it an id, a name in both languages and the headers offices use for it.

Both may list ``aliases``: other headers that mean the same column (``加装电梯数``).

Examples
--------
>>> from renoscore.system.fields import RawField
>>> field = RawField.model_validate({"id": "households", "name": {"en": "households",
...     "zh": "总户数"}, "unit": "户", "range": [0, None]})
>>> field.unit.code, field.unit.info.whole
('households', True)
"""

from __future__ import annotations

from pydantic import Field, field_validator

from renoscore._validation import ID_PATTERN
from renoscore.system._base import FrozenModel, LocalizedText, ValueRange
from renoscore.system.units import Unit

__all__ = ["ContextColumn", "RawField", "clean_aliases"]


def clean_aliases(value: object) -> object:
    """Aliases as a tuple of stripped text; a single string is one alias.

    Examples
    --------
    >>> clean_aliases(" 小区 ")
    ('小区',)
    """
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        return tuple(v.strip() if isinstance(v, str) else v for v in value)
    return value


class RawField(FrozenModel):
    """A raw count or measure, read from the data and used by derived indicators' formulas.

    Parameters
    ----------
    id : str
        The name formulas use, and the column header that always matches.
    name : LocalizedText
        Shown in templates and messages; a header equal to either form matches.
    unit : Unit
        The unit of the values (``count``, ``households``, ``m2`` ...).
    range : ValueRange
        Hard validity bounds; a value outside them is a data error.
    aliases : tuple of str
        Other headers that mean this field.
    description, source : str, optional
        What is counted, and where the figure comes from (shown in the template).
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    unit: Unit
    range: ValueRange
    aliases: tuple[str, ...] = ()
    description: str | None = None
    source: str | None = None

    _aliases = field_validator("aliases", mode="before")(lambda cls, v: clean_aliases(v))


class ContextColumn(FrozenModel):
    """A declared context column: kept with every row, never scored.

    Parameters
    ----------
    id : str
        The key the column is kept under (``data.context[id]``).
    name : LocalizedText
        Its name in both languages; a header equal to either form matches.
    aliases : tuple of str
        Other headers that mean this column (``所属街道``, ``街道``).
    description : str, optional
    """

    id: str = Field(pattern=ID_PATTERN)
    name: LocalizedText
    aliases: tuple[str, ...] = ()
    description: str | None = None

    _aliases = field_validator("aliases", mode="before")(lambda cls, v: clean_aliases(v))
