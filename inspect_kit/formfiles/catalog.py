"""The forms a workspace can use: its own `forms/` first, then the built-in set shipped with the
package. A broken file is reported, never fatal for the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from inspect_kit.base.errors import FormError, FormNotFound, Located
from inspect_kit.base.paths import Workspace, builtin_forms_dir
from inspect_kit.formfiles.loader import LoadedForm, load_form_file


def form_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class FormCatalog:
    """The forms a workspace can use: its own forms/ first, then the built-in set."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._cache: dict[Path, tuple[tuple[int, int], LoadedForm]] = {}

    def _load(self, path: Path, builtin: bool) -> LoadedForm:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        loaded = load_form_file(path, builtin=builtin)
        self._cache[path] = (key, loaded)
        return loaded

    def sources(self) -> Iterator[tuple[Path, bool]]:
        for path in form_files(self.workspace.forms_dir):
            yield path, False
        builtin = builtin_forms_dir()
        if builtin.resolve() != self.workspace.forms_dir.resolve():
            for path in form_files(builtin):
                yield path, True

    def scan(self) -> tuple[list[LoadedForm], list[FormError]]:
        """Every usable form (workspace wins over built-in with the same id), every broken file."""
        forms: dict[str, LoadedForm] = {}
        broken: list[FormError] = []
        for path, builtin in self.sources():
            try:
                loaded = self._load(path, builtin)
            except (FormError, FormNotFound) as exc:
                broken.append(
                    exc
                    if isinstance(exc, FormError)
                    else FormError([Located(str(path), None, "", str(exc))])
                )
                continue
            forms.setdefault(loaded.form.form, loaded)
        return list(forms.values()), broken

    def get(self, form_id: str) -> LoadedForm:
        """A form by id, or by path to a YAML file."""
        candidate = Path(form_id)
        if candidate.suffix in (".yaml", ".yml") and candidate.exists():
            return self._load(candidate, False)
        broken_for_id: list[FormError] = []
        for path, builtin in self.sources():
            if path.stem == form_id:
                try:
                    loaded = self._load(path, builtin)
                except FormError as exc:
                    broken_for_id.append(exc)
                    continue
                if loaded.form.form == form_id:
                    return loaded
        forms, _ = self.scan()
        for loaded in forms:
            if loaded.form.form == form_id:
                return loaded
        if broken_for_id:
            raise broken_for_id[0]
        known = ", ".join(sorted(f.form.form for f in forms)) or "（无）"
        raise FormNotFound(code="form.unknown", form_id=form_id, known=known)
