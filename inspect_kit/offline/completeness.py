"""Does a folder of wheels hold everything the kit needs on one platform and Python version?

Walks the kit's requirements from its own wheel's metadata, evaluating each marker as the
target machine would, and looks for a wheel that satisfies each one and is installable there
(its tags). Checked before a kit is zipped, and by the tests for a kit built for another OS."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

from packaging import tags
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from inspect_kit.offline.platforms import Platform

PROJECT = canonicalize_name("inspect-kit")


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: NormalizedName
    version: Version
    tags: frozenset[tags.Tag]

    def requirements(self) -> list[Requirement]:
        with zipfile.ZipFile(self.path) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            headers = BytesHeaderParser().parsebytes(zf.read(meta))
        return [Requirement(line) for line in headers.get_all("Requires-Dist") or []]


def wheels_in(folder: Path) -> list[Wheel]:
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, wheel_tags = parse_wheel_filename(path.name)
        found.append(Wheel(path, name, version, frozenset(wheel_tags)))
    return found


def supported_tags(target: Platform, python: tuple[int, int]) -> set[tags.Tag]:
    """Every tag a CPython `python` on `target` installs (as pip would compute there)."""
    platforms = list(target.pip_platforms)
    return {
        *tags.cpython_tags(python, platforms=platforms),
        *tags.compatible_tags(python, interpreter=f"cp{python[0]}{python[1]}", platforms=platforms),
    }


def missing(folder: Path, target: Platform, python: tuple[int, int]) -> list[str]:
    """What an install from `folder` would lack there: one line per requirement, saying which
    package asked for it; empty when the kit is complete."""
    installable = supported_tags(target, python)
    env = {**target.markers, "python_version": f"{python[0]}.{python[1]}",
           "python_full_version": f"{python[0]}.{python[1]}.0", "extra": ""}  # fmt: skip
    by_name: dict[NormalizedName, list[Wheel]] = {}
    for wheel in wheels_in(folder):
        if wheel.tags & installable:
            by_name.setdefault(wheel.name, []).append(wheel)
    if PROJECT not in by_name:
        return ["inspect-kit itself (no installable wheel of the kit)"]
    problems: list[str] = []
    todo = [(Requirement("inspect-kit"), "")]
    seen: set[NormalizedName] = set()
    while todo:
        req, wanted_by = todo.pop()
        name = canonicalize_name(req.name)
        candidates = [
            w for w in by_name.get(name, []) if req.specifier.contains(w.version, prereleases=True)
        ]
        if not candidates:
            problems.append(f"{req}" + (f" (needed by {wanted_by})" if wanted_by else ""))
            continue
        if name in seen:
            continue
        seen.add(name)
        chosen = max(candidates, key=lambda w: w.version)
        for dep in chosen.requirements():
            if dep.marker is None or dep.marker.evaluate(env):
                todo.append((dep, f"{chosen.name} {chosen.version}"))
    return sorted(set(problems))
