"""Fixtures for the TUI tests (helpers live in tui_helpers.py)."""

from __future__ import annotations

import pytest

from inspect_kit.store.store import Subject


@pytest.fixture
def roster(store):
    store.add_subjects([
        Subject("eb-001", "东钱湖青少年科普教育基地", "education-base", "鄞州区"),
        Subject("eb-002", "月湖红色记忆馆", "education-base", "海曙区"),
    ])  # fmt: skip
    return store
