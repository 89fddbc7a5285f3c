"""Fixtures for the reliability suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rel_helpers import fill_demo

from inspect_kit.base.paths import Workspace


@pytest.fixture(scope="session")
def _demo_results(tmp_path_factory) -> Path:
    """One small demo built per session (about a second); each test gets its own copy."""
    root = tmp_path_factory.mktemp("demo-template")
    (root / "forms").mkdir()
    fill_demo(Workspace(root))
    return root / "results"


@pytest.fixture
def demo_workspace(workspace: Workspace, _demo_results: Path) -> Workspace:
    shutil.rmtree(workspace.results_dir)
    shutil.copytree(_demo_results, workspace.results_dir)
    return workspace
