"""Key bindings in the interface language: the descriptions the footer and the help screen show.

The kit's own bindings carry an id `screen.name` whose text is `key.name` in the catalog.
Textual's own bindings (Focus Next, Cursor up, Quit, palette ...) are worded by `TEXTUAL_ZH`;
in the Chinese UI one Textual adds later and that table lacks is hidden rather than shown in
English. Screens read their bindings through `localize_active` (see screens/base.py).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode

from inspect_kit.i18n.catalog import STRINGS, tr
from inspect_kit.i18n.toolkit_messages import TEXTUAL_ZH


def describe(binding: Binding, lang: str) -> Binding:
    """`binding` with its description and tooltip in `lang`."""
    if binding.id and (key := f"key.{binding.id.split('.', 1)[-1]}") in STRINGS:
        return replace(binding, description=tr(key, lang), tooltip="")
    if lang != "zh" or not (binding.description or binding.tooltip):
        return binding  # Textual's own wording is English already
    if not (binding.description + binding.tooltip).isascii():
        return binding  # written in Chinese where it is bound
    description = TEXTUAL_ZH.get(binding.description, "")
    tooltip = TEXTUAL_ZH.get(binding.tooltip, "")
    return replace(binding, description=description, tooltip=tooltip,
                   show=binding.show and bool(description))  # fmt: skip


def localize_active(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    """A screen's active bindings as the footer and help should show them in `lang`."""
    out = {}
    for key, active in bindings.items():
        binding = describe(active.binding, lang)
        out[key] = active._replace(binding=binding, tooltip=binding.tooltip)
    return out


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give a node's own bindings their descriptions in `lang` (for code that reads the node's
    bindings directly; the footer and help read `localize_active`)."""
    # Textual has no public way to relabel a node's bindings after they are built; its
    # BindingsMap is the one place descriptions live.
    bindings_map = node._bindings  # noqa: SLF001
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [describe(b, lang) for b in bindings]
