"""Shared fixtures. Keeps the developer's own settings and environment out of every test."""

from __future__ import annotations

import os

os.environ.pop("NO_COLOR", None)  # snapshot tests differ under NO_COLOR; pop before textual loads
os.environ.pop("INSPECT_KIT_HOME", None)

from pathlib import Path

import pytest

from inspect_kit.base.paths import Workspace

REPO = Path(__file__).resolve().parent.parent
BUILTIN_FORMS = REPO / "forms"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    config = tmp_path_factory.mktemp("config") / "config.json"
    monkeypatch.setenv("INSPECT_KIT_CONFIG", str(config))
    monkeypatch.delenv("INSPECT_KIT_HOME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("INSPECT_KIT_LAUNCHER", raising=False)


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    (tmp_path / "forms").mkdir()
    (tmp_path / "results").mkdir()
    return Workspace(tmp_path)


@pytest.fixture
def store(workspace):
    from inspect_kit.store.store import Store

    return Store(workspace)


@pytest.fixture(scope="session")
def edu_form():
    from inspect_kit.formfiles.loader import load_form_file

    return load_form_file(BUILTIN_FORMS / "edu-base-inspection.yaml", builtin=True)


@pytest.fixture(scope="session")
def builtin_forms():
    from inspect_kit.formfiles.catalog import form_files
    from inspect_kit.formfiles.loader import load_form_file

    return {p.stem: load_form_file(p, builtin=True) for p in form_files(BUILTIN_FORMS)}
