"""What every screen reads from the app: the workspace, the store, the form catalog, the
settings and the language, all handed in by the CLI (the composition root), and the one place
that shows a failed worker's error. Navigation lives in `app.py`; screens type their `app`
with this class so they never import the app module (no screen ↔ app cycle)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from textual.app import App
from textual.notifications import SeverityLevel

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.safe_text import safe_lines

if TYPE_CHECKING:
    from inspect_kit.base.config import Settings
    from inspect_kit.base.paths import Workspace
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.formfiles.form_text import LoadedForm
    from inspect_kit.services.drafts import DraftsService
    from inspect_kit.services.panels import PanelsService
    from inspect_kit.services.revisions import Revisions
    from inspect_kit.store.store import Store


def error_text(error: BaseException, lang: str = "zh") -> str:
    """A worker's failure in plain words, never a traceback."""
    if isinstance(error, InspectKitError):
        return error.render(lang)
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


class KitApp(App[None]):
    """The app's shared state; `InspectApp` adds the screens and moving between them."""

    def __init__(self, workspace: Workspace, *, store: Callable[[], Store], catalog: FormCatalog,
                 settings: Settings, lang: str) -> None:  # fmt: skip
        super().__init__()
        self.workspace = workspace
        self._open_store = store
        self.catalog = catalog
        self.settings = settings
        self.lang = lang
        self.forms: list[LoadedForm] = []
        """The catalog's forms as a screen last loaded them (empty until one did; the home
        screen lists summaries only, see FormCatalog.summaries)."""

    # Opened on first use (a factory from the CLI) so the first frame does not wait for disk.
    @cached_property
    def store(self) -> Store:
        return self._open_store()

    @cached_property
    def panels(self) -> PanelsService:
        """Panel results and the figures behind every view of them (services/panels.py)."""
        from inspect_kit.services.panels import PanelsService

        return PanelsService(self.store, self.catalog)

    @cached_property
    def drafts(self) -> DraftsService:
        """Find, start, resume and delete drafts, each under its lock (services/drafts.py)."""
        from inspect_kit.services.drafts import DraftsService

        return DraftsService(self.store, self.workspace, self.catalog, self.lang)

    @cached_property
    def revisions(self) -> Revisions:
        """Amend and void, under the draft lock (services/revisions.py)."""
        from inspect_kit.services.revisions import Revisions

        return Revisions(self.store, self.workspace, self.lang)

    def grade_name(self, form_id: str, grade: str) -> str:
        """A stored grade as shown: the form's `grade_en` in English (stored grades are Chinese)."""
        if self.lang != "en" or not grade:
            return grade
        from inspect_kit.i18n.form_text import grade_for

        loaded = next((f for f in self.forms if f.form.form == form_id), None)
        if loaded is None:
            try:
                loaded = self.catalog.get(form_id)
            except InspectKitError:
                return grade
        return grade_for(loaded.form, grade, self.lang)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:  # fmt: skip
        """Every notification (screens' too) shows its text literally: messages carry names."""
        super().notify(safe_lines(message), title=safe_lines(title), severity=severity,
                       timeout=timeout, markup=False)  # fmt: skip

    def show_error(self, error: BaseException) -> None:
        """The one place a failed worker's error reaches the user (screens forward theirs)."""
        self.notify(error_text(error, self.lang), severity="error", timeout=10)
