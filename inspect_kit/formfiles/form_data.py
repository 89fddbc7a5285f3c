"""A loaded form as plain data (`inspect-kit forms show FORM --json`), for scripts and editors.

Every field of the form file is kept as written (texts in both languages, options, defects,
bands with their `when`), and each section and item also gets what the kit works out from it:
its full marks (`points`), whether it is scored, required, and a bonus (加分) item.
"""

from __future__ import annotations

from typing import Any

from inspect_kit.domain.model import Form


def form_data(form: Form) -> dict[str, Any]:
    data = form.model_dump(mode="json", exclude={"sections"}, exclude_none=True)
    data["sections"] = []
    for section in form.sections:
        entry = section.model_dump(mode="json", exclude={"items"}, exclude_none=True)
        entry["max_raw"] = section.max_raw
        entry["items"] = [
            {
                **item.model_dump(mode="json", exclude_none=True),
                "points": item.max_points,
                "scored": item.scored,
                "required": item.is_required,
                "bonus": section.bonus,
            }
            for item in section.items
        ]
        data["sections"].append(entry)
    return data
