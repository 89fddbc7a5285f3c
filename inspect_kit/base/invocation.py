"""Commands the kit prints for the user to paste: the offline kit's launcher when the app was
started through it, `inspect-kit …` when that name runs this same installation from the
shell's PATH, else the installed script's full path, else `python -m inspect_kit` with this
interpreter (e.g. after `pip install` into a venv that is not activated, the README's set-up)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

NAME = "inspect-kit"
LAUNCHER_ENV = "INSPECT_KIT_LAUNCHER"
"""Set by the offline kit's launcher (inspect-kit.bat / inspect-kit.sh) to its own full path."""


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _runs_this_python(script: str | Path) -> bool:
    """A console script whose `#!` line names this interpreter (pip writes that line)."""
    try:
        with open(script, "rb") as f:
            first = f.readline(512).decode("utf-8", "replace")
    except OSError:
        return False
    if not first.startswith("#!"):
        return os.name == "nt"  # Windows launchers are .exe files next to python.exe
    interpreter = first[2:].strip().split()[0] if first[2:].strip() else ""
    return bool(interpreter) and _same_file(interpreter, sys.executable)


@cache
def kit_executable() -> tuple[str, ...]:
    """The words that run this installation of the kit from any folder."""
    launcher = os.environ.get(LAUNCHER_ENV)
    if launcher and Path(launcher).is_file():
        return (str(Path(launcher).resolve()),)
    on_path = shutil.which(NAME)
    if on_path and _runs_this_python(on_path):
        return (NAME,)
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if running and running.stem == NAME and running.exists():
        return (str(running.resolve()),)
    beside = Path(sys.executable).parent / (NAME + (".exe" if os.name == "nt" else ""))
    if beside.exists():
        return (str(beside),)
    return (sys.executable, "-m", "inspect_kit")


def shell_word(word: str) -> str:
    """Quote for the shell only when needed (shlex quotes any non-ASCII name, e.g. 王建国)."""
    if re.fullmatch(r"[\w.,:/@%+=-]+", word):
        return word
    return subprocess.list2cmdline([word]) if os.name == "nt" else shlex.quote(word)


def command_line(args: Iterable[str]) -> str:
    """`inspect-kit ARGS` as the user can paste it into this machine's shell."""
    return " ".join(shell_word(word) for word in (*kit_executable(), *args))


def runnable_text(text: str, commands: Iterable[str]) -> str:
    """`text` with every `inspect-kit COMMAND …` a message tells the user to type made
    runnable here: the words of kit_executable() instead of the bare name when that name on PATH
    does not run this installation (the README's venv, the offline kit's launcher). Only the
    kit's own command names after it count, so the product's name in prose is left alone."""
    words = kit_executable()
    if words == (NAME,) or NAME not in text:
        return text
    names = "|".join(re.escape(c) for c in sorted(commands, key=len, reverse=True))
    pattern = rf"(?<![\w./\\-]){re.escape(NAME)}(?= (?:{names})\b)"
    prefix = " ".join(shell_word(word) for word in words)
    return re.sub(pattern, lambda _m: prefix, text)
