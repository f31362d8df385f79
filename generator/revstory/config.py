"""revstory settings: one declarative schema, shared by the CLI and the mkdocs.yml plugin block.

Every option is documented once, here, in its ``description``; ``revstory --help`` and the
methodology page read the same text.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from revstory.errors import ConfigError
from revstory.load.options import LoadOptions

HeuristicModelName = Literal[
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "u_shaped",
    "w_shaped",
    "full_path",
    "j_shaped",
    "inverse_j",
    "time_decay",
]
#: Every model: the rule-based ones, then the data-driven ones (revstory/attribute/data_driven.py).
ModelName = Literal[HeuristicModelName, "markov", "shapley"]
HEURISTIC_MODELS: tuple[str, ...] = HeuristicModelName.__args__  # type: ignore[attr-defined]
ALL_MODELS: tuple[ModelName, ...] = ModelName.__args__  # type: ignore[attr-defined]


class AttributionConfig(BaseModel):
    """How journeys are built and credit is shared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lookback_days: int = Field(
        365,
        ge=0,
        le=3650,
        description="Touches count from this many days before a deal was created until it closed.",
    )
    half_life_days: float = Field(
        7.0, gt=0, description="Half-life of the time_decay model, in days before the close."
    )
    journey_mode: Literal["contact", "account"] = Field(
        "contact",
        description=(
            "contact: a touch belongs to a deal when its person is one of the deal's contacts; "
            "account: when its account is the deal's account."
        ),
    )
    reporting_currency: str = Field(
        "EUR",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code all revenue is reported in; other currencies need fx_rates.",
    )
    models: tuple[ModelName, ...] = Field(
        ALL_MODELS, min_length=1, description="Attribution models computed and shown."
    )
    default_model: ModelName = Field(
        "position_based", description="Model used for headline figures and rankings."
    )
    markov_order: int = Field(
        1, ge=1, le=3,
        description="Memory of the markov model: 1 looks at the last piece read, 2 and 3 at "
                    "the last two or three (more states, needs more journeys).",
    )
    min_deals: int = Field(
        3, ge=1, description="Below this many won deals an article's figures are flagged thin."
    )
    load: LoadOptions = Field(
        default_factory=LoadOptions,  # type: ignore[arg-type]
        description="How real exports are read: date order, stage labels, column mappings.",
    )


def _hint(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def format_validation_error(err: ValidationError, model: type[BaseModel], where: str) -> str:
    """Turn pydantic's error into one line per problem, with 'did you mean' hints."""
    lines = [f"invalid settings in {where}:"]
    allowed = list(model.model_fields)
    for e in err.errors():
        loc = " -> ".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            key = str(e["loc"][-1])
            lines.append(f"  - unknown setting '{key}'.{_hint(key, allowed)}")
        else:
            lines.append(f"  - {e['msg']} (at {loc})")
    return "\n".join(lines)


def make_config(values: dict[str, Any], where: str = "options") -> AttributionConfig:
    """Validate settings, dropping ``None`` values so defaults (or the config file) win."""
    clean = {k: v for k, v in values.items() if v is not None}
    try:
        return AttributionConfig(**clean)
    except ValidationError as err:
        raise ConfigError(format_validation_error(err, AttributionConfig, where)) from None
