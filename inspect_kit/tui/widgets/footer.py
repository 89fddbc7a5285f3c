"""Textual's footer, rebuilt only when what it shows changes.

Why: every focus change and every app focus event refreshes the bindings, and Textual's footer
then unmounts and mounts all its keys again, styling each one. Before the home screen's first
idle moment that happened three times for the same keys, each rebuild costing about as much as
mounting the screen's three tables. Here the keys are rebuilt when the shown bindings differ
from those last built (key, action, text, enabled, tooltip); the footer looks the same.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KitFooter(Footer):
    _built: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # What the key ends up with once mounted, set before: the footer's setting, as
                # its data binding sets it, except the command palette's key, which Textual does
                # not bind and leaves compact.
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # Textual's own rules: no rebuild now
            return
        shown = tuple(
            (name, binding.key, binding.action, binding.description, binding.show,
             binding.group, enabled, tooltip)
            for name, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        )  # fmt: skip
        if shown == self._built:
            return
        self._built = shown
        super().bindings_changed(screen)
