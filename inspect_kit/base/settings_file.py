"""Where the user's settings file is, and the one setting read before anything else loads:
the language, which `--help` and click's usage errors need before a command runs (so this
module stays free of pydantic; base/config.py validates the whole file)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def config_path() -> Path:
    env = os.environ.get("INSPECT_KIT_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("inspect-kit")) / "config.json"


def configured_lang() -> str:
    """The settings' language; "zh" when the file is missing, damaged or names no language."""
    try:
        lang = json.loads(config_path().read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return "zh"
    return lang if lang in ("zh", "en") else "zh"
