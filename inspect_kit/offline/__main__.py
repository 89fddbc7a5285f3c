"""`python -m inspect_kit.offline build …` (and the kit's own `setup` / `launch` steps)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from inspect_kit.offline.platforms import PLATFORMS, this_platform, this_python


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m inspect_kit.offline",
        description="离线安装包 / the offline install kit for a laptop without internet",
    )
    steps = parser.add_subparsers(dest="step", required=True)
    build = steps.add_parser("build", help="打包 / build the kit zip(s)")
    build.add_argument(
        "--platform", action="append", choices=sorted(PLATFORMS),
        help="目标平台，可重复 / target platform, repeatable (default: this machine's)",
    )  # fmt: skip
    build.add_argument(
        "--python", default=None,
        help="Python 版本，逗号分隔 / versions, e.g. 3.11,3.12,3.13 (default: this one)",
    )  # fmt: skip
    build.add_argument("--out", type=Path, default=Path("dist"), help="输出文件夹 / output folder")
    build.add_argument(
        "--wheel", type=Path, help="已构建的 inspect-kit wheel / a built wheel of the kit"
    )
    build.add_argument(
        "--python-installer", type=Path,
        help="一并放入的 Python 安装程序 / a Python installer to carry in the kit",
    )  # fmt: skip
    setup = steps.add_parser("setup", help="(install 脚本调用) 选择数据文件夹")
    setup.add_argument("--kit", type=Path, required=True)
    setup.add_argument("--data", type=Path, help="数据文件夹 / data folder (asked when omitted)")
    launch = steps.add_parser("launch", help="(启动脚本调用) 在数据文件夹中运行")
    launch.add_argument("--kit", type=Path, required=True)
    launch.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    ns = _parser().parse_args(argv)
    if ns.step == "launch":
        from inspect_kit.offline.data_folder import launch

        launch(ns.kit, ns.args[1:] if ns.args[:1] == ["--"] else ns.args)
        return 0
    if ns.step == "setup":
        from inspect_kit.offline.data_folder import setup

        return setup(ns.kit, ns.data, "inspect-kit.bat" if os.name == "nt" else "inspect-kit.sh")
    from inspect_kit.offline.build import KitError, build_kit

    here = this_platform()
    targets = [PLATFORMS[name] for name in ns.platform] if ns.platform else [here] if here else []
    if not targets:
        choices = ", ".join(PLATFORMS)
        print(f"no kit platform fits this machine; choose one with --platform ({choices})",
              file=sys.stderr)  # fmt: skip
        return 2
    pythons = [v.strip() for v in (ns.python or this_python()).split(",") if v.strip()]
    try:
        for target in targets:
            build_kit(target, pythons, ns.out, wheel=ns.wheel, python_installer=ns.python_installer)
    except (KitError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
