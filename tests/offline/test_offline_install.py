"""The offline kit as an office would use it: built here from the package index, then
installed into a fresh venv with no network (`--no-index`, no pip configuration, and inside a
network namespace with no interfaces where the system allows one), and run through its
launcher; and the Windows kit checked for a wheel of every dependency on every Python listed.
Both need the package index to build; without it they are skipped with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inspect_kit.offline import completeness
from inspect_kit.offline.build import build_kit
from inspect_kit.offline.platforms import PLATFORMS, parse_python, this_platform, this_python

WINDOWS_PYTHONS = ["3.11", "3.12", "3.13"]


@pytest.fixture(scope="module")
def index_reachable(tmp_path_factory) -> None:
    probe = tmp_path_factory.mktemp("probe")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.12",
             "--dest", str(probe), "tinydb"],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.skip("the package index did not answer within 180 s: the kit cannot be built here")
    if done.returncode != 0:
        pytest.skip(f"the package index is not reachable, the kit cannot be built here: "
                    f"{done.stderr.strip().splitlines()[-1:]}")  # fmt: skip


def _no_network_prefix() -> list[str]:
    """`unshare -rn` (a network namespace with only a downed loopback) where the system allows."""
    if shutil.which("unshare"):
        ok = subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0
        if ok:
            return ["unshare", "-rn"]
    return []


def _unzip(kit: Path, dest: Path) -> Path:
    with zipfile.ZipFile(kit) as zf:
        zf.extractall(dest)
    (root,) = dest.iterdir()
    for script in root.glob("*.sh"):
        script.chmod(0o755)  # zipfile does not restore modes (unzip does)
    return root


@pytest.mark.skipif(this_platform() is None or sys.platform == "win32",
                    reason="the install test drives the POSIX scripts")  # fmt: skip
def test_the_kit_installs_without_network_and_runs(index_reachable, tmp_path):
    target = this_platform()
    assert target is not None
    kit = build_kit(target, [this_python()], tmp_path / "dist", report=lambda _line: None)
    assert kit.name == f"inspect-kit-offline-0.1.0-{target.name}.zip"
    root = _unzip(kit, tmp_path / "unpacked")
    assert {p.name for p in root.iterdir()} >= {
        "wheels",
        "install.sh",
        "inspect-kit.sh",
        "README-安装说明.txt",
    }

    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
           "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PYTHON": sys.executable,
           "INSPECT_KIT_CONFIG": str(home / "config.json")}  # fmt: skip
    offline = _no_network_prefix()
    data = tmp_path / "关工委 数据"
    install = subprocess.run([*offline, "sh", str(root / "install.sh"), "--data", str(data)],
                             env=env, capture_output=True, text=True, timeout=900)  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    assert "安装完成" in install.stdout and data.is_dir()

    launcher = root / "inspect-kit.sh"
    demo = subprocess.run(
        [*offline, str(launcher), "demo", "--subjects", "4", "--raters", "2"],
        env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert (data / "results" / "inspect-kit.json").is_file()  # the data folder chosen at install
    assert str(launcher) in demo.stdout  # the next command to paste starts with the launcher
    # run from the checkout's folder on purpose: the launcher must still use the kit's venv
    validate = subprocess.run([*offline, str(launcher), "forms", "validate"],
                              env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert validate.returncode == 0, validate.stderr[-2000:]
    assert validate.stdout.count("✓") >= 4
    assert f"{root / 'venv'}" in validate.stdout  # the forms of the kit's venv, not this checkout


def test_the_windows_kit_holds_every_dependency_for_every_python(index_reachable, tmp_path):
    kit = build_kit(PLATFORMS["win_amd64"], WINDOWS_PYTHONS, tmp_path, report=lambda _line: None)
    root = _unzip(kit, tmp_path / "unpacked")
    assert (root / "install.bat").read_bytes().count(b"\r\n") > 10  # cmd.exe line ends
    assert (root / "inspect-kit.bat").is_file()
    names = {p.name for p in (root / "wheels").glob("*.whl")}
    for python in WINDOWS_PYTHONS:
        assert (
            completeness.missing(root / "wheels", PLATFORMS["win_amd64"], parse_python(python))
            == []
        )
        tag = "cp" + python.replace(".", "")
        # the compiled dependencies come as Windows wheels for this very Python
        for package in ("numpy", "orjson", "pydantic_core", "matplotlib"):
            windows_wheels = [n for n in names if n.endswith("win_amd64.whl") and f"-{tag}-" in n]
            assert any(n.startswith(package + "-") for n in windows_wheels), (package, python)
