"""The kit's two run-time steps: `setup` (after install: choose the data folder, remember it in
kit.json beside the scripts) and `launch` (what the launcher runs: the app in that folder)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from inspect_kit.base.fsio import atomic_write_bytes

CONFIG = "kit.json"


def default_data_folder() -> Path:
    documents = Path.home() / "Documents"
    return (documents if documents.is_dir() else Path.home()) / "inspect-kit"


def remembered(kit: Path) -> Path | None:
    try:
        data = json.loads((kit / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = data.get("data") if isinstance(data, dict) else None
    return Path(folder) if isinstance(folder, str) and folder else None


def setup(kit: Path, data: Path | None, launcher: str) -> int:
    """Choose (ask, unless given) and create the data folder, and remember it for the launcher."""
    if data is None:
        suggested = remembered(kit) or default_data_folder()
        answer = ""
        if sys.stdin and sys.stdin.isatty():
            answer = input(
                f"数据文件夹（检查表、数据库和备份都存在这里），回车使用 {suggested}："
            ).strip()
        data = Path(answer.strip('"')) if answer else suggested
    data = data.expanduser().resolve()
    try:
        data.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(
            kit / CONFIG, json.dumps({"data": str(data)}, ensure_ascii=False).encode("utf-8")
        )
    except OSError as e:
        print(
            f"无法使用数据文件夹 {data}：{e.strerror or e}。请换一个文件夹再运行安装程序。",
            file=sys.stderr,
        )
        return 1
    print(f"安装完成。数据文件夹：{data}")
    print(f"以后双击或运行 {kit / launcher} 打开程序。")
    return 0


def launch(kit: Path, args: list[str]) -> None:
    """Run the kit's command line with the remembered data folder as the workspace."""
    folder = remembered(kit)
    if folder is not None and "INSPECT_KIT_HOME" not in os.environ:
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["INSPECT_KIT_HOME"] = str(folder)
        os.chdir(folder)
    from inspect_kit.cli import main

    sys.argv = [os.environ.get("INSPECT_KIT_LAUNCHER") or "inspect-kit", *args]
    main()
