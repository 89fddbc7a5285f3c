"""The Store's copies of the form versions sheets were scored under (the main file's `forms`).

Read from the main file alone (store.ledger_storage.main_only): a sheet's form version, the
versions of a form, or whether one is known, never need the index rows or events, and reading
those too made starting a sheet take 0.5 s at 50k sheets (measured, issue 18).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import NotFound
from inspect_kit.domain.clock import now_iso
from inspect_kit.store.archive import add_rows
from inspect_kit.store.database import Database
from inspect_kit.store.ledger_storage import main_only, scoped_read
from inspect_kit.store.shard_names import LEGACY

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from inspect_kit.domain.model import Form
    from inspect_kit.formfiles.loader import LoadedForm
    from inspect_kit.store.index import MainEdit
    from inspect_kit.store.ledger_storage import Scope


class FormCopiesMixin:
    """form_versions / stored_form / remember_form over the main file's `forms` table."""

    db: Database
    _forms_cache: dict[str, Form]

    def edit(self, *, everything: bool = False,
             scope: Scope | None = None) -> AbstractContextManager[MainEdit]:  # fmt: skip
        raise NotImplementedError

    @staticmethod
    def _form_doc(loaded: LoadedForm) -> dict[str, Any]:
        return {
            "form": loaded.form.form, "version": loaded.form.version,
            "sha256": loaded.sha256, "source": loaded.source, "stored_at": now_iso(),
        }  # fmt: skip

    def _main_tree(self) -> dict[str, Any]:
        """The main file's own tables, without any companion (store.ledger)."""
        with self.db.snapshot() as db:
            return scoped_read(db, main_only)

    def form_versions(self, form_id: str | None = None) -> list[dict[str, Any]]:
        docs = (self._main_tree().get("forms") or {}).values()
        return [dict(d) for d in docs if form_id is None or d["form"] == form_id]

    def stored_form(self, sha256: str) -> Form:
        """The exact form version a sheet was scored under, from the database's copy."""
        if sha256 not in self._forms_cache:
            forms = (self._main_tree().get("forms") or {}).values()
            doc = next((d for d in forms if d.get("sha256") == sha256), None)
            if doc is None:
                raise NotFound(code="store.no_form_version", sha=sha256[:12])
            # Here, not at the top: the parser (YAML, the rules) is for old form versions only.
            from inspect_kit.formfiles.loader import parse_form_text

            self._forms_cache[sha256] = parse_form_text(doc["source"], f"<stored {doc['form']}>")
        return self._forms_cache[sha256]

    def remember_form(self, loaded: LoadedForm) -> None:
        """Keep a copy of this form version; the main file is written only when it lacks it
        (or still holds an old single-file archive, which moves into shards first)."""
        data = self._main_tree()
        known = {d.get("sha256") for d in (data.get("forms") or {}).values()}
        if loaded.sha256 in known and LEGACY not in data:
            return
        with self.edit(scope=main_only) as edit:
            edit.prepare()
            forms = edit.table("forms")
            if all(d.get("sha256") != loaded.sha256 for d in forms.values()):
                add_rows(forms, [self._form_doc(loaded)])
            edit.write()
