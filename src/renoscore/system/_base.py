"""What every model of an indicator system is built on: the frozen base and bilingual text.

Examples
--------
>>> from renoscore.system._base import LocalizedText
>>> LocalizedText(en="metre", zh="米").get("zh")
'米'
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from renoscore._format import plain_number
from renoscore._validation import located_error, magnitude_problems

__all__ = ["FrozenModel", "LocalizedText", "ValueRange"]


class FrozenModel(BaseModel):
    """A frozen model that refuses unknown keys and non-finite numbers."""

    # Non-finite numbers (.nan, .inf in YAML) are never meaningful in a system declaration.
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


#: Characters a name may not hold: C0 controls (tab and line breaks too), DEL and C1 controls.
_CONTROL = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))


class LocalizedText(FrozenModel):
    """A name in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    @field_validator("en", "zh")
    @classmethod
    def _printable(cls, value: str) -> str:
        # A control character shows as nothing or garbles a report, and an Excel cell
        # cannot hold it: refused where the name is written, not where it is exported.
        bad = next((c for c in value if c in _CONTROL), None)
        if bad is not None:
            raise located_error(
                "name_control_character",
                [
                    (
                        (),
                        f"a control character (U+{ord(bad):04X}) in a name",
                        "remove it; a name is plain text on one line",
                    )
                ],
            )
        return value

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class ValueRange(FrozenModel):
    """Hard validity bounds of an indicator: data outside them is an error.

    ``None`` means unbounded. In YAML both ``{min: 0, max: 1}`` and ``[0, 1]`` are accepted.
    """

    min: float | None = None
    max: float | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The YAML shorthand [min, max] is valid too; editors must not flag it.
        mapping = handler.resolve_ref_schema(handler(core_schema))
        bound = {"anyOf": [{"type": "number"}, {"type": "null"}]}
        pair = {"type": "array", "prefixItems": [bound, bound], "minItems": 2, "maxItems": 2}
        return {"anyOf": [mapping, pair], "title": "ValueRange"}

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise located_error(
                    "range_pair",
                    [
                        (
                            (),
                            f"a range is a pair [min, max]; got {len(value)} values",
                            "write range: [min, max], or {min: ..., max: ...} (null for open)",
                        )
                    ],
                )
            return {"min": value[0], "max": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ValueRange:
        problems = magnitude_problems({"min": self.min, "max": self.max})
        if self.min is not None and self.max is not None and not self.min < self.max:
            problems.append(
                (
                    (),
                    f"range min {plain_number(self.min)} must be below max {plain_number(self.max)}",
                    "write the range as [min, max] with min < max",
                )
            )
        if problems:
            raise located_error("range_order", problems)
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the range (bounds included)."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)
