"""Building the offline kit: the project's wheel, every dependency's wheel for one platform and
the chosen Python versions (`pip download --only-binary=:all:`), the scripts and the README,
checked for completeness and zipped as inspect-kit-offline-<version>-<platform>.zip."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import replace_file
from inspect_kit.offline import completeness, scripts
from inspect_kit.offline.platforms import Platform, parse_python

Report = Callable[[str], None]


class KitError(InspectKitError):
    """The kit could not be built; the message says why in one line."""


def project_version() -> str:
    return importlib.metadata.version("inspect-kit")


def source_tree() -> Path | None:
    """The checkout this package runs from, when it runs from one (not from an installed wheel)."""
    root = Path(__file__).resolve().parents[2]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and 'name = "inspect-kit"' in pyproject.read_text(encoding="utf-8"):
        return root
    return None


def _pip(args: list[str], what: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        last = next(
            (line for line in reversed(lines) if "ERROR" in line), lines[-1] if lines else ""
        )
        raise KitError(
            f"{what} failed: {last.strip() or 'pip exited with ' + str(done.returncode)}"
        )


def build_project_wheel(source: Path, dest: Path) -> Path:
    _pip(["wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest), str(source)],
         "building the inspect-kit wheel")  # fmt: skip
    built = sorted(dest.glob("inspect_kit-*.whl"))
    if not built:
        raise KitError("building the inspect-kit wheel produced no wheel")
    return built[-1]


def download_dependencies(project_wheel: Path, dest: Path, target: Platform, python: str) -> None:
    platforms = [arg for tag in target.pip_platforms for arg in ("--platform", tag)]
    _pip(["download", "--quiet", "--only-binary=:all:", "--implementation", "cp",
          "--python-version", python, *platforms, "--dest", str(dest), str(project_wheel)],
         f"downloading the wheels for {target.name}, Python {python}")  # fmt: skip


def _executable(path: Path) -> None:
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _write_text(path: Path, text: str, *, windows: bool, bom: bool = False) -> None:
    data = text.replace("\n", "\r\n") if windows else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))


def _zip_folder(folder: Path, out: Path) -> None:
    tmp = out.with_name(f".tmp-{out.name}")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo.from_file(
                        path, path.relative_to(folder.parent).as_posix()
                    )
                    info.compress_type = (
                        zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                    )
                    zf.writestr(info, path.read_bytes())
        replace_file(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def build_kit(
    target: Platform,
    pythons: list[str],
    out_dir: Path,
    *,
    wheel: Path | None = None,
    python_installer: Path | None = None,
    report: Report = print,
) -> Path:
    """Build the kit zip in `out_dir` and return its path."""
    for version in pythons:
        parse_python(version)
    version = project_version()
    name = f"inspect-kit-offline-{version}-{target.name}"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="inspect-kit-offline-") as tmp:
        root = Path(tmp) / name
        wheels = root / "wheels"
        wheels.mkdir(parents=True)
        if wheel is not None:
            project_wheel = Path(shutil.copy2(wheel, wheels))
        else:
            source = source_tree()
            if source is None:
                raise KitError(
                    "not running from a checkout of inspect-kit: give its wheel with --wheel"
                )
            report(f"building the inspect-kit wheel from {source}")
            project_wheel = build_project_wheel(source, wheels)
        for python in pythons:
            report(f"downloading wheels for {target.name}, Python {python}")
            download_dependencies(project_wheel, wheels, target, python)
        for python in pythons:
            lacking = completeness.missing(wheels, target, parse_python(python))
            if lacking:
                raise KitError(f"the kit for Python {python} lacks: {'; '.join(lacking)}")
        for file_name, text in (
            scripts.install_script(target, pythons),
            scripts.launcher_script(target),
        ):
            _write_text(root / file_name, text, windows=target.windows)
            _executable(root / file_name)
        if python_installer is not None:
            shutil.copy2(python_installer, root / python_installer.name)
        readme = scripts.readme(target, pythons, version, python_installer is not None)
        _write_text(
            root / "README-安装说明.txt", readme, windows=target.windows, bom=target.windows
        )
        out = out_dir / f"{name}.zip"
        _zip_folder(root, out)
    size = os.path.getsize(out) / 1e6
    report(f"wrote {out} ({size:.0f} MB)")
    return out
