"""The platforms an offline kit can be built for: pip's platform tags, and what the platform's
environment markers read, so the kit's completeness can be checked without that machine."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from packaging import tags


def _manylinux(arch: str) -> tuple[str, ...]:
    # glibc 2.17 (CentOS 7) up to 2.31 (Debian 11, Ubuntu 20.04): what an office Linux box has.
    modern = tuple(f"manylinux_2_{minor}_{arch}" for minor in range(31, 16, -1))
    return (*modern, f"manylinux2014_{arch}")


def _macos(arch: str) -> tuple[str, ...]:
    return tuple(tags.mac_platforms((14, 0), arch))


@dataclass(frozen=True)
class Platform:
    name: str
    family: str
    """windows | linux | macos: which scripts the kit carries."""
    pip_platforms: tuple[str, ...]
    markers: dict[str, str]
    """The environment markers of such a machine (PEP 508), besides the Python version."""

    @property
    def windows(self) -> bool:
        return self.family == "windows"


def _markers(sys_platform: str, system: str, machine: str, os_name: str) -> dict[str, str]:
    return {
        "sys_platform": sys_platform, "platform_system": system, "platform_machine": machine,
        "os_name": os_name, "implementation_name": "cpython",
        "platform_python_implementation": "CPython", "platform_release": "", "platform_version": "",
    }  # fmt: skip


PLATFORMS = {
    p.name: p
    for p in (
        Platform(
            "win_amd64", "windows", ("win_amd64",), _markers("win32", "Windows", "AMD64", "nt")
        ),
        Platform(
            "manylinux_x86_64",
            "linux",
            _manylinux("x86_64"),
            _markers("linux", "Linux", "x86_64", "posix"),
        ),
        Platform(
            "manylinux_aarch64",
            "linux",
            _manylinux("aarch64"),
            _markers("linux", "Linux", "aarch64", "posix"),
        ),
        Platform(
            "macosx_arm64", "macos", _macos("arm64"), _markers("darwin", "Darwin", "arm64", "posix")
        ),
        Platform(
            "macosx_x86_64",
            "macos",
            _macos("x86_64"),
            _markers("darwin", "Darwin", "x86_64", "posix"),
        ),
    )  # fmt: skip
}


def this_platform() -> Platform | None:
    """The kit platform of the machine running this, or None when no kit fits it."""
    machine = platform.machine().lower()
    if sys.platform == "win32" and machine in {"amd64", "x86_64"}:
        return PLATFORMS["win_amd64"]
    if sys.platform.startswith("linux") and machine in {"x86_64", "aarch64"}:
        return PLATFORMS[f"manylinux_{machine}"]
    if sys.platform == "darwin" and machine in {"arm64", "x86_64"}:
        return PLATFORMS[f"macosx_{machine}"]
    return None


def this_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def parse_python(text: str) -> tuple[int, int]:
    """'3.12' → (3, 12); anything else is refused with the reason."""
    parts = text.strip().split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or parts[0] != "3":
        raise ValueError(f"not a Python version like 3.12: {text!r}")
    return int(parts[0]), int(parts[1])
