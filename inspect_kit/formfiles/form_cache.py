"""Parsed forms kept on disk, by the sha256 of their YAML text: a form is parsed once.

Why: reading the four built-in forms with line positions (yaml_lines, pure Python) took
0.4-0.9 s of every start; the validated model, dumped as JSON, loads in ~3 ms a form. Each entry
also carries the few figures the home screen lists (`FormSummary`), so the first screen shows the
forms without importing pydantic or YAML at all.

An entry is used only when its file name, its own `sha256`, the cache format and the
fingerprint of the code that validates forms (the kit's version and the sources of the model and
the loader) all match, and its checksum holds; the full form is validated by the model again on
the way in. Anything else (a damaged, truncated, foreign or stale file) is a miss: the form is
parsed from its YAML and the entry written anew. Writes are atomic and best effort: a cache that
cannot be written (read-only workspace, full disk) only costs the parse next time.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit import __version__

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form
    from inspect_kit.formfiles.form_text import LoadedForm

CACHE_FORMAT = 2  # 2: the summary says whether the form requires review
_VALIDATING_CODE = ("domain/model.py", "formfiles/loader.py", "formfiles/rules.py",
                    "formfiles/table_rules.py", "formfiles/yaml_lines.py",
                    "formfiles/form_text.py", "formfiles/form_cache.py")  # fmt: skip
"""The sources whose change can change what a YAML text validates to (relative to the package)."""


@dataclass(frozen=True)
class FormSummary:
    """What the home screen lists of a form, without the model behind it."""

    form: str
    title: str
    title_en: str | None
    item_count: int
    total: float
    bonus_cap: float
    sha256: str
    path: Path
    builtin: bool = False
    review_required: bool = False
    """`review: required` (the results browser shows review states without the form model)."""

    def title_for(self, lang: str) -> str:
        return (self.title_en or self.title) if lang == "en" else self.title

    @classmethod
    def of(cls, loaded: LoadedForm) -> FormSummary:
        form = loaded.form
        return cls(form.form, form.title, form.title_en, form.item_count, float(form.total),
                   float(form.bonus_cap), loaded.sha256, loaded.path, loaded.builtin,
                   form.review == "required")  # fmt: skip


@cache
def code_fingerprint() -> str:
    """The kit's version and the bytes of the code that validates forms: an edited model (an
    editable install keeps its version) makes every entry stale."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for rel in _VALIDATING_CODE:
        with suppress(OSError):
            digest.update((package / rel).read_bytes())
    return digest.hexdigest()


def _checksum(summary: Any, form: Any) -> str:
    body = json.dumps([summary, form], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class FormCache:
    """The entries in `folder` (None: no cache, every form is parsed)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, sha256: str) -> Path | None:
        if self.folder is None or len(sha256) != 64 or not sha256.isalnum():
            return None
        return self.folder / f"{sha256}.json"

    def _entry(self, sha256: str) -> dict[str, Any] | None:
        path = self._path(sha256)
        if path is None:
            return None
        try:
            entry = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("format") != CACHE_FORMAT
            or entry.get("fingerprint") != code_fingerprint()
            or entry.get("sha256") != sha256
            or not isinstance(entry.get("summary"), dict)
            or not isinstance(entry.get("form"), dict)
            or entry.get("check") != _checksum(entry["summary"], entry["form"])
        ):
            return None
        return entry

    def summary(self, sha256: str, path: Path, builtin: bool) -> FormSummary | None:
        """The listed figures of the form with this text, or None (a miss)."""
        entry = self._entry(sha256)
        if entry is None:
            return None
        data = entry["summary"]
        try:
            return FormSummary(
                form=str(data["form"]), title=str(data["title"]),
                title_en=None if data["title_en"] is None else str(data["title_en"]),
                item_count=int(data["item_count"]), total=float(data["total"]),
                bonus_cap=float(data["bonus_cap"]), sha256=sha256, path=path, builtin=builtin,
                review_required=bool(data["review_required"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return None

    def form(self, sha256: str) -> Form | None:
        """The validated form with this text, or None (a miss: parse the YAML)."""
        entry = self._entry(sha256)
        if entry is None:
            return None
        from pydantic import ValidationError

        from inspect_kit.domain.model import Form

        try:
            return Form.model_validate(entry["form"])
        except ValidationError:
            return None

    def put(self, loaded: LoadedForm) -> None:
        """Keep the parsed form (best effort: a failure only costs the parse next time)."""
        path = self._path(loaded.sha256)
        if path is None:
            return
        summary = asdict(FormSummary.of(loaded))
        for key in ("sha256", "path", "builtin"):  # where the text is found, not what it says
            summary.pop(key)
        form = loaded.form.model_dump(mode="json")
        entry = {"format": CACHE_FORMAT, "fingerprint": code_fingerprint(),
                 "sha256": loaded.sha256, "summary": summary, "form": form,
                 "check": _checksum(summary, form)}  # fmt: skip
        from inspect_kit.base.fsio import TEMP_PREFIX, replace_file

        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}-{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            replace_file(tmp, path)  # whole or not at all; not fsynced: it can always be rebuilt
        except OSError:
            with suppress(OSError):
                tmp.unlink()
