"""JSON export: the full stored records in UTF-8 (Chinese as is), like `results list --json`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def write_json(path: Path, records: Sequence[Mapping[str, Any]]) -> int:
    """Write the records to `path`; returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps([dict(r) for r in records], ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return len(records)
