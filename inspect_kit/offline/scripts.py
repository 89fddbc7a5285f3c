"""The files an offline kit carries beside its wheels: install and launch scripts for the
platform, and the README a person at the office reads first.

The Windows scripts are plain ASCII (cmd.exe reads a .bat in the console's code page, which
garbles Chinese): they only make the venv and hand over to Python, which talks to the user in
Chinese (`python -m inspect_kit.offline setup` / `launch`)."""

from __future__ import annotations

from inspect_kit.offline.platforms import Platform


def _versions_check(pythons: list[str]) -> str:
    wanted = ", ".join(f"({v.replace('.', ', ')})" for v in pythons)
    return f"import sys; sys.exit(0 if sys.version_info[:2] in [{wanted}] else 3)"


INSTALL_SH = """#!/bin/sh
# inspect-kit offline install: a venv next to this script, packages only from ./wheels.
set -eu
KIT="$(cd "$(dirname "$0")" && pwd)"
PY="${{PYTHON:-python3}}"
if ! "$PY" -c '{check}'; then
  echo "This kit holds wheels for Python {versions}; $PY is another version (set PYTHON=...)." >&2
  exit 1
fi
"$PY" -m venv "$KIT/venv"
"$KIT/venv/bin/python" -m pip install --quiet --no-index --find-links "$KIT/wheels" inspect-kit
exec "$KIT/venv/bin/python" -I -m inspect_kit.offline setup --kit "$KIT" "$@"
"""

LAUNCH_SH = """#!/bin/sh
# inspect-kit, run from this kit's venv in the data folder chosen at install.
KIT="$(cd "$(dirname "$0")" && pwd)"
INSPECT_KIT_LAUNCHER="$KIT/$(basename "$0")"
export INSPECT_KIT_LAUNCHER
exec "$KIT/venv/bin/python" -I -m inspect_kit.offline launch --kit "$KIT" -- "$@"
"""

INSTALL_BAT = """@echo off
rem inspect-kit offline install: a venv next to this file, packages only from .\\wheels
setlocal
set "KIT=%~dp0"
set "KIT=%KIT:~0,-1%"
set "PY="
where py >nul 2>nul && set "PY=py -3"
if not defined PY where python >nul 2>nul && set "PY=python"
if not defined PY goto :nopython
%PY% -c "{check}"
if errorlevel 1 goto :nopython
%PY% -m venv "%KIT%\\venv" || goto :failed
"%KIT%\\venv\\Scripts\\python.exe" -m pip install --quiet --no-index --find-links "%KIT%\\wheels" inspect-kit || goto :failed
"%KIT%\\venv\\Scripts\\python.exe" -I -m inspect_kit.offline setup --kit "%KIT%" %*
if errorlevel 1 goto :failed
pause
exit /b 0
:nopython
echo Python {versions} is needed. Install it first (python.org installer, tick "Add python.exe to PATH"), then run install.bat again.
pause
exit /b 1
:failed
echo The install did not finish; nothing outside this folder was changed.
pause
exit /b 1
"""

LAUNCH_BAT = """@echo off
rem inspect-kit, run from this kit's venv in the data folder chosen at install.
setlocal
set "KIT=%~dp0"
set "KIT=%KIT:~0,-1%"
set "INSPECT_KIT_LAUNCHER=%~f0"
"%KIT%\\venv\\Scripts\\python.exe" -I -m inspect_kit.offline launch --kit "%KIT%" -- %*
"""

README_ZH = """inspect-kit 离线安装包（{platform}，Python {versions}）
====================================================

这个文件夹里有 inspect-kit {version} 及其全部依赖的安装文件（wheels 文件夹），安装时不需要联网。

一、安装前
  电脑上需要有 Python（{versions} 之一）。{python_hint}

二、安装
  {install_step}
  安装程序会在本文件夹里建立 venv 子文件夹，只从 wheels 文件夹安装，不会改动别处的文件；
  最后会问“数据文件夹”放在哪里（检查表、数据库、备份都存在那里），直接回车用默认位置。

三、使用
  {launch_step}
  不带参数打开全屏界面；也可以带命令，例如：
    {launcher} demo            载入示例数据
    {launcher} forms validate  检查表单文件
    {launcher} --help          查看全部命令
  程序打印出来让您复制的命令，都以这个启动文件开头，可以直接粘贴运行。

四、换电脑或重装
  数据只在数据文件夹里。把整个数据文件夹复制到新电脑，再运行一次安装程序并选它即可。
  删除本文件夹不会删除数据。
"""


def install_script(target: Platform, pythons: list[str]) -> tuple[str, str]:
    """(file name, text) of the install script for `target`."""
    versions = " / ".join(pythons)
    check = _versions_check(pythons)
    if target.windows:
        return "install.bat", INSTALL_BAT.format(check=check, versions=versions)
    return "install.sh", INSTALL_SH.format(check=check, versions=versions)


def launcher_script(target: Platform) -> tuple[str, str]:
    return ("inspect-kit.bat", LAUNCH_BAT) if target.windows else ("inspect-kit.sh", LAUNCH_SH)


def readme(target: Platform, pythons: list[str], version: str, has_installer: bool) -> str:
    versions = " / ".join(pythons)
    launcher = launcher_script(target)[0]
    if target.windows:
        tick = "勾选“Add python.exe to PATH”"
        hint = (f"本文件夹里附带了 Python 安装程序，先双击它，{tick}。" if has_installer else
                f"没有的话，请从 python.org 下载 Windows 安装程序（可用 U 盘带来），安装时{tick}。")  # fmt: skip
        install = "双击 install.bat。"
        launch = f"双击 {launcher}（或在命令行里运行它）。"
        shown = launcher
    else:
        hint = ("本文件夹里附带了 Python 安装文件。" if has_installer
                else "Linux 一般已自带（python3 -V 查看）；macOS 可从 python.org 下载安装程序。")  # fmt: skip
        install = "在终端里运行 sh install.sh（可加 --data 文件夹 直接指定数据文件夹）。"
        launch = f"在终端里运行 ./{launcher}。"
        shown = f"./{launcher}"
    return README_ZH.format(
        platform=target.name, versions=versions, version=version, python_hint=hint,
        install_step=install, launch_step=launch, launcher=shown,
    )  # fmt: skip
