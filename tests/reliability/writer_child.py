"""Child process for the reliability tests: one writer hammering a workspace's database.

Usage: python writer_child.py MODE ROOT COUNT TAG [GO_FILE]
  MODE finalize: start and finalize COUNT sheets (COUNT < 0: until killed), printing each uuid
                 once Store.finalize has returned (flushed), so the parent knows what must survive.
  MODE subjects: add COUNT subjects one write each, printing each id once added.
Prints "ready" after the imports; then waits for GO_FILE (if given) so writers start together.
"""

from __future__ import annotations

import random
import sys
import time
from itertools import count as counter
from pathlib import Path

from inspect_kit.base.paths import Workspace
from inspect_kit.demo.generator import demo_forms, fill_sheet
from inspect_kit.domain.sheet import Sheet
from inspect_kit.store.store import Store, Subject

FORM = "edu-base-inspection"


def main() -> None:
    mode, root, count, tag = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    go = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    store = Store(Workspace(root))
    loaded = next(lf for lf in demo_forms() if lf.form.form == FORM)
    rng = random.Random(tag)
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.005)
    numbers = counter() if count < 0 else range(count)
    for i in numbers:
        if mode == "finalize":
            sheet = Sheet(
                form=loaded.form,
                form_sha256=loaded.sha256,
                subject=f"eb-{tag}-{i}",
                subject_name=f"基地{tag}-{i}",
                rater=f"评委{tag}",
                round="2026",
            )
            fill_sheet(sheet, rng.uniform(0.4, 0.95), rng)
            store.start_sheet(loaded, sheet)
            store.finalize(sheet, loaded, force=True)
            print(sheet.uuid, flush=True)
        elif mode == "subjects":
            subject_id = f"{tag}-{i:03d}"
            store.add_subject(
                Subject(id=subject_id, name=f"对象{subject_id}", kind="education-base")
            )
            print(subject_id, flush=True)
        else:
            raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
