"""The offline kit's parts without the package index: the completeness check on hand-made
wheels (markers read as the target machine would, tags that machine installs), and the
scripts the kit carries."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import pytest

from inspect_kit.offline import completeness, scripts
from inspect_kit.offline.__main__ import main
from inspect_kit.offline.platforms import PLATFORMS, parse_python

WIN = PLATFORMS["win_amd64"]
LINUX = PLATFORMS["manylinux_x86_64"]


def wheel(folder: Path, filename: str, *requires: str) -> None:
    name, version = filename.split("-")[:2]
    meta = "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
        name, version, "".join(f"Requires-Dist: {r}\n" for r in requires)
    )
    with zipfile.ZipFile(folder / filename, "w") as zf:
        zf.writestr(f"{name}-{version}.dist-info/METADATA", meta)


@pytest.fixture
def wheels(tmp_path):
    wheel(tmp_path, "inspect_kit-0.1.0-py3-none-any.whl",
          "tinydb>=4.8", 'colorama; sys_platform == "win32"', 'pytest; extra == "test"',
          'tomli; python_version < "3.11"')  # fmt: skip
    wheel(tmp_path, "tinydb-4.9.0-py3-none-any.whl")
    return tmp_path


def test_a_marker_for_windows_is_needed_on_windows_only(wheels):
    assert completeness.missing(wheels, LINUX, (3, 12)) == []
    assert completeness.missing(wheels, WIN, (3, 12)) == [
        'colorama; sys_platform == "win32" (needed by inspect-kit 0.1.0)'
    ]
    wheel(wheels, "colorama-0.4.6-py2.py3-none-any.whl")
    assert completeness.missing(wheels, WIN, (3, 12)) == []


def test_a_wheel_built_for_another_platform_or_python_does_not_count(wheels):
    (wheels / "tinydb-4.9.0-py3-none-any.whl").unlink()
    wheel(wheels, "tinydb-4.9.0-cp312-cp312-win_amd64.whl")
    assert completeness.missing(wheels, WIN, (3, 12)) == [
        'colorama; sys_platform == "win32" (needed by inspect-kit 0.1.0)'
    ]
    assert (
        completeness.missing(wheels, WIN, (3, 13))[-1]
        == "tinydb>=4.8 (needed by inspect-kit 0.1.0)"
    )
    assert "tinydb>=4.8 (needed by inspect-kit 0.1.0)" in completeness.missing(
        wheels, LINUX, (3, 12)
    )


def test_a_version_outside_the_requirement_does_not_count(wheels):
    (wheels / "tinydb-4.9.0-py3-none-any.whl").unlink()
    wheel(wheels, "tinydb-4.7.0-py3-none-any.whl")
    assert completeness.missing(wheels, LINUX, (3, 12)) == [
        "tinydb>=4.8 (needed by inspect-kit 0.1.0)"
    ]


def test_requirements_of_requirements_are_followed(wheels):
    wheel(wheels, "tinydb-4.9.0-py3-none-any.whl", "typing-extensions>=4")  # replaces the plain one
    assert completeness.missing(wheels, LINUX, (3, 12)) == [
        "typing-extensions>=4 (needed by tinydb 4.9.0)"
    ]


def test_abi3_and_manylinux_tags_count_as_pip_would(wheels):
    wheel(wheels, "typst-0.15.2-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl")
    wheel(wheels, "inspect_kit-0.1.0-py3-none-any.whl", "typst")
    assert completeness.missing(wheels, LINUX, (3, 13)) == []
    assert completeness.missing(wheels, WIN, (3, 13)) == ["typst (needed by inspect-kit 0.1.0)"]


def test_no_kit_wheel_is_said_plainly(tmp_path):
    assert completeness.missing(tmp_path, WIN, (3, 12)) == [
        "inspect-kit itself (no installable wheel of the kit)"
    ]


def test_windows_scripts_are_ascii_crlf_ready_and_check_the_python_version():
    name, text = scripts.install_script(WIN, ["3.11", "3.12"])
    assert name == "install.bat"
    text.encode("ascii")  # cmd.exe reads .bat files in the console's code page
    assert "--no-index --find-links" in text
    assert "sys.version_info[:2] in [(3, 11), (3, 12)]" in text
    launcher_name, launcher = scripts.launcher_script(WIN)
    assert launcher_name == "inspect-kit.bat"
    launcher.encode("ascii")
    assert "INSPECT_KIT_LAUNCHER=%~f0" in launcher


def test_the_readme_is_chinese_and_names_the_launcher():
    text = scripts.readme(WIN, ["3.12"], "0.1.0", has_installer=False)
    assert "离线安装包" in text and "双击 install.bat" in text and "inspect-kit.bat demo" in text


def test_python_versions_are_checked():
    assert parse_python("3.13") == (3, 13)
    for bad in ("3", "3.x", "2.7", "3.12.1"):
        with pytest.raises(ValueError):
            parse_python(bad)


def test_a_bad_python_version_is_one_line_not_a_traceback(capsys, tmp_path):
    assert (
        main(["build", "--platform", "win_amd64", "--python", "3.x", "--out", str(tmp_path)]) == 1
    )
    assert capsys.readouterr().err.strip() == "error: not a Python version like 3.12: '3.x'"


def test_setup_remembers_the_data_folder_and_launch_uses_it(tmp_path, monkeypatch, capsys):
    from inspect_kit.offline import data_folder

    kit = tmp_path / "kit"
    kit.mkdir()
    data = tmp_path / "数据 文件夹"
    assert data_folder.setup(kit, data, "inspect-kit.sh") == 0
    assert data.is_dir() and data_folder.remembered(kit) == data.resolve()
    assert "安装完成" in capsys.readouterr().out
    seen = {}

    def fake_main() -> None:
        seen.update(home=os.environ["INSPECT_KIT_HOME"], argv=sys.argv[1:])

    monkeypatch.setattr("inspect_kit.cli.main", fake_main)
    monkeypatch.setenv("INSPECT_KIT_HOME", "")  # recorded, so what launch() sets is undone
    monkeypatch.delenv("INSPECT_KIT_HOME")
    monkeypatch.setattr(sys, "argv", sys.argv[:])
    monkeypatch.chdir(tmp_path)
    data_folder.launch(kit, ["forms", "list"])
    assert seen == {"home": str(data.resolve()), "argv": ["forms", "list"]}
