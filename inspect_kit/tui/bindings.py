"""Key bindings in the interface language: the descriptions shown in the footer and the help."""

from __future__ import annotations

from textual.dom import DOMNode

from inspect_kit.i18n.catalog import STRINGS, tr


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give a screen's bindings their descriptions in `lang` (binding id 'x.name' → 'key.name')."""
    if lang == "zh":
        return
    from dataclasses import replace

    # Textual has no public way to relabel a node's bindings after they are built; its
    # BindingsMap is the one place the footer and the help read descriptions from.
    bindings_map = node._bindings  # noqa: SLF001
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [
            replace(b, description=tr(f"key.{b.id.split('.', 1)[1]}", lang))
            if b.id and f"key.{b.id.split('.', 1)[-1]}" in STRINGS
            else b
            for b in bindings
        ]
