"""The forms a workspace can use: its own `forms/` first, then the built-in set shipped with the
package. A broken file is reported, never fatal for the others.

Each text is parsed once: in this process (by file version) and across runs by the parsed-forms
cache (form_cache.py, by the text's sha256) under the workspace's `results/.cache/forms/`.
`summaries()` lists the forms from that cache without importing pydantic or YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from inspect_kit.base.errors import FormError, FormNotFound, Located
from inspect_kit.base.paths import Workspace, builtin_forms_dir
from inspect_kit.formfiles.form_cache import FormCache, FormSummary
from inspect_kit.formfiles.form_text import LoadedForm, file_errors, read_form_file, sha256_text

Version = tuple[int, int]
"""(st_mtime_ns, st_size) of a form file as last read."""


def form_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class FormCatalog:
    """The forms a workspace can use: its own forms/ first, then the built-in set."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._cache: dict[Path, tuple[Version, LoadedForm]] = {}
        self._texts: dict[Path, tuple[Version, str, str]] = {}
        """path → (version, text, sha256): a file is read and hashed once per version."""
        # Only a workspace that has its results folder gets a cache folder in it (a command run
        # in some other folder leaves nothing behind).
        results = workspace.results_dir
        self.parsed = FormCache(results / ".cache" / "forms" if results.is_dir() else None)

    def _text(self, path: Path) -> tuple[str, str]:
        """(text, sha256) of the file as it is now."""
        with file_errors(path):
            stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        known = self._texts.get(path)
        if known and known[0] == key:
            return known[1], known[2]
        text = read_form_file(path)
        self._texts[path] = (key, text, sha := sha256_text(text))
        return text, sha

    def _load(self, path: Path, builtin: bool) -> LoadedForm:
        text, sha = self._text(path)
        cached = self._cache.get(path)
        if cached and cached[1].sha256 == sha and cached[1].builtin == builtin:
            return cached[1]
        form = self.parsed.form(sha)
        if form is not None:
            loaded = LoadedForm(form=form, path=path, source=text, sha256=sha, builtin=builtin)
        else:
            from inspect_kit.formfiles.loader import parse_form_text

            loaded = LoadedForm(form=parse_form_text(text, str(path)), path=path, source=text,
                                sha256=sha, builtin=builtin)  # fmt: skip
            self.parsed.put(loaded)
        self._cache[path] = (self._texts[path][0], loaded)
        return loaded

    def _summary(self, path: Path, builtin: bool) -> FormSummary:
        _, sha = self._text(path)
        cached = self._cache.get(path)
        if cached and cached[1].sha256 == sha:
            return FormSummary.of(cached[1])
        found = self.parsed.summary(sha, path, builtin)
        return found if found is not None else FormSummary.of(self._load(path, builtin))

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
                broken.append(_as_form_error(exc, path))
                continue
            forms.setdefault(loaded.form.form, loaded)
        return list(forms.values()), broken

    def summaries(self) -> tuple[list[FormSummary], list[FormError]]:
        """What `scan()` finds, as the figures a list shows: from the parsed-forms cache when
        every text is known there, so listing the forms parses nothing."""
        forms: dict[str, FormSummary] = {}
        broken: list[FormError] = []
        for path, builtin in self.sources():
            try:
                summary = self._summary(path, builtin)
            except (FormError, FormNotFound) as exc:
                broken.append(_as_form_error(exc, path))
                continue
            forms.setdefault(summary.form, summary)
        return list(forms.values()), broken

    def by_sha(self, sha256: str) -> LoadedForm | None:
        """The catalog's form whose text has this sha256, if one has (None: not a current form)."""
        for path, builtin in self.sources():
            try:
                if self._text(path)[1] == sha256:
                    return self._load(path, builtin)
            except (FormError, FormNotFound):
                continue
        return None

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


def _as_form_error(exc: FormError | FormNotFound, path: Path) -> FormError:
    return (
        exc if isinstance(exc, FormError) else FormError([Located(str(path), None, "", str(exc))])
    )
