"""User settings kept between runs (rater name, default round, language), one JSON file.

The file lives in the platform's user config folder; INSPECT_KIT_CONFIG points elsewhere
(tests use it so a developer's own settings never leak in).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.settings_file import config_path

__all__ = ["KEYS", "Settings", "config_path", "load_settings", "save_settings", "update_setting"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rater: str = ""
    """The inspector's name, written on every sheet they score."""
    reviewer: str = ""
    """The office reviewer's name, written on every review decision (default: `rater`)."""
    round: str = ""
    """Default round (e.g. "2026"); empty means the current year."""
    lang: Literal["zh", "en"] = "zh"
    """Language of the interface."""
    organizer: str = ""
    """The organising body printed on the meeting pack's cover (`report --organizer`)."""
    timezone: str = "Asia/Shanghai"
    """Time zone exports show times in (an IANA name, e.g. Asia/Shanghai)."""

    photo_max_mb: int = Field(default=20, ge=1, le=2000)
    """Largest photo that may be attached, in MB (a bigger file is refused, not shrunk)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


KEYS = tuple(Settings.model_fields)


def load_settings() -> Settings:
    path = config_path()
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Settings()
    except (ValueError, ValidationError):
        # A damaged settings file must not stop field work; defaults are safe.
        return Settings()


def save_settings(settings: Settings) -> Path:
    from inspect_kit.base.fsio import atomic_write_bytes

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(settings.model_dump(), ensure_ascii=False, indent=2).encode("utf-8")
    atomic_write_bytes(path, payload)
    return path


def update_setting(key: str, value: str) -> Settings:
    if key not in KEYS:
        raise InspectKitError(f"没有设置项 {key}；可用：{', '.join(KEYS)}")
    if key == "round" and value.strip():
        from inspect_kit.base.rounds import parse_round

        value = parse_round(value)  # the default round follows the one round rule too
    try:
        settings = Settings.model_validate({**load_settings().model_dump(), key: value})
    except ValidationError:
        raise InspectKitError(f"{key} 的值 “{value}” 无效") from None
    save_settings(settings)
    return settings
