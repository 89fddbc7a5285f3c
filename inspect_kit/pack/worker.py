"""Worker process for the meeting pack: `python -m inspect_kit.pack.worker JOB`.

JOB is a pickle written by `report._write_parallel` holding (the round's `PanelView`, pages,
first page index, total pages, date, output path). The view arrives with every figure already
computed, so this process draws the numbers the parent draws and works none out again.
Started as a plain subprocess rather than through multiprocessing, so it works whatever the
calling program's main module looks like.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from inspect_kit.pack.report import write_pages

    view, pages, first, total, today, out = pickle.loads(Path(argv[0]).read_bytes())
    write_pages(view, pages, first, total, today, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
