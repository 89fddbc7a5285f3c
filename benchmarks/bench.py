"""Benchmark: speed and memory at realistic and city-wide scale, beside the baselines (issue 7).

    python -m benchmarks.bench [--sizes 1000,10000,50000] [--quick] [--out FILE] [--workdir DIR]

Builds synthetic archives (real sheets of the built-in forms filled by
`inspect_kit.demo.generator`, with
Chinese notes, cloned onto larger rosters and written in one store transaction), measures each
operation several times and prints a table of median and p95; the JSON goes to
`results/bench/latest.json` under the workspace (the current folder, or INSPECT_KIT_HOME).
Measures whose feature is not there yet are reported as null with a reason. Timings are never
asserted by the tests; this module is the only place they are taken.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid as uuid_lib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RATERS_PER_SUBJECT = 5
ROUNDS = 3
POOL_SUBJECTS = 12  # real demo sheets per form and rater that the archive is cloned from
TEN_K = 10_000

GOALS: dict[str, tuple[str, float]] = {
    # key: (comparison, limit); ratio goals are checked separately below
    "help_s": ("<=", 0.25),
    "tui_first_frame_s": ("<=", 0.8),
    "autosave_p95_ms_10k": ("<=", 15.0),
    "finalize_ms_10k": ("<=", 400.0),
    "load_aggregate_s_10k": ("<=", 1.0),
    "hist_chart_s_10k": ("<=", 1.5),
    "report_s_200": ("<=", 5.0),
    "report_s_12": ("<=", 1.5),
    "sheet_record_s": ("<=", 0.5),
    "import_s_10x1k": ("<=", 3.0),
    "tui_rss_mb_10k": ("<=", 300.0),
    "tui_results_data_s_10k": ("<=", 0.3),
}

RATIO_GOALS: dict[str, tuple[str, str, float | None]] = {
    # issue 18: key -> (baseline key, how, limit); how "x": at most limit x the baseline,
    # "+": at most the baseline + limit
    "help_s": ("python_startup_s", "x", None),
    "tui_first_frame_s": ("tui_minimal_app_frame_s", "x", 1.3),
    "autosave_p95_ms_10k": ("fsync_floor_p95_ms", "x", 3.0),
    "finalize_ms_10k": ("stock_tinydb_insert_ms_10k", "x", None),
    "load_aggregate_s_10k": ("orjson_floor_s_10k", "x", 1.2),
    "hist_chart_s_10k": ("matplotlib_import_s", "+", 0.3),
    "tui_rss_mb_10k": ("tui_minimal_app_rss_mb", "x", 1.6),
    "import_s_10x1k": ("import_floor_s_10x1k", "x", None),
    "import_s_10x1k_each": ("import_floor_s_10x1k", "x", None),  # shown, no goal
}
"""Each headline figure beside the baseline measured in the same run. A limit of None: the
ratio is reported, the goal is the absolute one in ABSOLUTE_GOALS."""
ABSOLUTE_GOALS: dict[str, float] = {
    "finalize_ms_10k": 30.0,
    "import_s_10x1k": 1.0,
    "tui_results_data_s_10k": 0.3,
    "load_aggregate_s_50k": 1.5,
    "commands_max_s": 2.0,
    "screens_max_s": 2.0,
}
FINALIZE_SPREAD = 0.25
"""Finalize at every size within ±25% of the sizes' mean: its cost must not grow with the
archive."""


# ============================================================================ statistics


@dataclass
class Stat:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        s = sorted(self.samples)
        if len(s) == 1:
            return s[0]
        return s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]  # nearest rank

    def to_dict(self, digits: int = 4) -> dict[str, Any]:
        return {
            "median": round(self.median, digits),
            "p95": round(self.p95, digits),
            "min": round(min(self.samples), digits),
            "max": round(max(self.samples), digits),
            "runs": len(self.samples),
        }


def timed(
    fn: Callable[[], Any], runs: int, *, scale: float = 1.0, setup: Callable[[], Any] | None = None
) -> Stat:
    out = []
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * scale)
    return Stat(out)


class Missing(Exception):
    """A measure whose feature is not (yet) there; the message is the reason."""


# ============================================================================ building archives


@dataclass
class Archive:
    root: Path
    sheets: int
    subjects: int
    rounds: list[str]
    forms: list[str]

    @property
    def workspace(self):
        from inspect_kit.base.paths import Workspace

        return Workspace(self.root)

    @property
    def db_path(self) -> Path:
        return self.workspace.db_path

    @property
    def files(self) -> list[Path]:
        """The main database and every archive shard (the whole archive on disk)."""
        from inspect_kit.store.archive import archive_dir, shard_files

        return [self.db_path] + [p for _, p in shard_files(archive_dir(self.db_path))]

    @property
    def mb(self) -> float:
        return sum(p.stat().st_size for p in self.files) / 1e6

    @property
    def main_mb(self) -> float:
        return self.db_path.stat().st_size / 1e6

    def single_file(self, dest: Path) -> Path:
        """The same archive in the old one-file layout (main tables + every sheet in a
        `submissions` table): what the baselines (stock TinyDB, orjson floor) are measured on."""
        import orjson

        data = orjson.loads(self.db_path.read_bytes())
        sheets: dict[str, Any] = {}
        for path in self.files[1:]:
            for doc in orjson.loads(path.read_bytes())["submissions"].values():
                sheets[str(len(sheets) + 1)] = doc
        data.pop("sheets", None)
        data.pop("shards", None)
        data["submissions"] = sheets
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(orjson.dumps(data))
        return dest


_POOL: dict[int, tuple[list, dict]] = {}


def _template_pool(seed: int) -> tuple[list, dict]:
    """(forms, {form id: [[record per rater] per subject]}): real, scored demo sheets."""
    if seed not in _POOL:
        from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

        forms = demo_forms()
        plan = DemoPlan(
            subjects=POOL_SUBJECTS,
            raters=RATERS_PER_SUBJECT,
            rounds=1,
            seed=seed,
            drafts=0,
            self_assessments=0,
        )
        _, finals, _ = build_demo(forms, plan)
        pool: dict[str, list[list[dict]]] = {}
        for sheet, loaded in finals:  # build_demo order: form, subject, rater
            rows = pool.setdefault(loaded.form.form, [])
            if not rows or len(rows[-1]) == RATERS_PER_SUBJECT:
                rows.append([])
            rows[-1].append(sheet.to_record())
        _POOL[seed] = (forms, pool)
    return _POOL[seed]


def build_archive(
    root: Path,
    sheets: int,
    *,
    seed: int = 2026,
    forms: list[str] | None = None,
    rounds: int = ROUNDS,
    subjects: int | None = None,
    device: str = "bench",
    revisions: float = 0.01,
) -> Archive:
    """Write a workspace at `root` whose archive holds exactly `sheets` submission records.

    Each form gets the same number of subjects (extended rosters), each subject 5 raters in
    each round; every record is a clone of a real demo sheet (answers, Chinese notes, score) under
    its own uuid, subject, rater and dates. About 1% of sheets carry a second revision.
    """
    from inspect_kit.base.paths import Workspace
    from inspect_kit.store.store import Store

    all_forms, pool = _template_pool(seed)
    loaded_forms = [lf for lf in all_forms if forms is None or lf.form.form in forms]
    rng = random.Random(f"{seed}-{sheets}-{device}")
    n_forms = len(loaded_forms)
    per_form = subjects or max(
        1, math.ceil((sheets - int(sheets * revisions)) / (n_forms * RATERS_PER_SUBJECT * rounds))
    )
    last = dt.date.today().year
    round_names = [str(last - i) for i in range(rounds)][::-1]
    ws = Workspace(root)
    # "Exactly": the store would add these sheets to any already there (a --workdir reused).
    if ws.results_dir.exists():
        from inspect_kit.store import held

        shutil.rmtree(ws.results_dir)
        held.forget()  # this process saw the old files hold data: their absence is not damage
    ws.forms_dir.mkdir(parents=True, exist_ok=True)
    ws.results_dir.mkdir(parents=True, exist_ok=True)

    from inspect_kit.demo.generator import roster_for

    rosters = {
        lf.form.form: roster_for(lf.form.subject, per_form, random.Random(seed))
        for lf in loaded_forms
    }
    base = sheets - int(sheets * revisions)
    docs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for round_ in round_names:
        for lf in loaded_forms:
            rows = pool[lf.form.form]
            for s_index, subject in enumerate(rosters[lf.form.form]):
                for r_index in range(RATERS_PER_SUBJECT):
                    if len(docs) >= base:
                        break
                    template = rows[s_index % len(rows)][r_index]
                    day = dt.date(int(round_), 3, 1) + dt.timedelta(days=rng.randint(0, 240))
                    start = dt.datetime.combine(day, dt.time(9, rng.randint(0, 59))).astimezone()
                    doc = dict(template)
                    doc.update(
                        uuid=str(uuid_lib.UUID(int=rng.getrandbits(128), version=4)),
                        subject=subject.id,
                        subject_name=subject.name,
                        round=round_,
                        started_at=start.isoformat(timespec="seconds"),
                        saved_at=(start + dt.timedelta(hours=2)).isoformat(timespec="seconds"),
                        finalized_at=(start + dt.timedelta(hours=2)).isoformat(timespec="seconds"),
                        device=device,
                        status="final",
                    )
                    docs.append(doc)
    # a few amendments: the newest revision counts, the old one stays
    for doc in rng.sample(docs, min(len(docs), sheets - len(docs))):
        docs.append(dict(doc, revision=2, supersedes=1, amend_reason="复核后更正扣分理由"))
    for doc in docs:
        events.append(
            {
                "event": "amended" if doc["revision"] > 1 else "finalized",
                "uuid": doc["uuid"],
                "by": doc["rater"],
                "at": doc["finalized_at"],
                "device": device,
                "revision": doc["revision"],
            }
        )

    store = Store(ws)
    store.add_subjects([s for r in rosters.values() for s in r])
    store.archive_records(docs, events, loaded_forms)  # the store's own append path: shards + index
    return Archive(
        root,
        len(docs),
        sum(len(r) for r in rosters.values()),
        round_names,
        [lf.form.form for lf in loaded_forms],
    )


def fresh_sheet(archive: Archive, seed: int, *, complete: bool = True):
    """(sheet, loaded form): a new sheet for the archive's first form, filled like the demo."""
    from inspect_kit.demo.generator import fill_sheet
    from inspect_kit.domain.sheet import Sheet

    all_forms, _ = _template_pool(2026)
    loaded = next(lf for lf in all_forms if lf.form.form == archive.forms[0])
    rng = random.Random(seed)
    sheet = Sheet(
        form=loaded.form,
        form_sha256=loaded.sha256,
        subject=f"bench-{seed}",
        subject_name="基准测试对象",
        rater="基准检查员",
        round=archive.rounds[-1],
    )
    fill_sheet(sheet, rng.uniform(0.5, 0.95), rng, complete=complete, veto_rate=0)
    return sheet, loaded


# ============================================================================ helpers


def _kit_command() -> list[str]:
    exe = Path(sys.executable).with_name("inspect-kit")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("inspect-kit")
    return [found] if found else [sys.executable, "-m", "inspect_kit"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["INSPECT_KIT_CONFIG"] = env.get("INSPECT_KIT_BENCH_CONFIG") or str(
        Path(tempfile.gettempdir()) / "inspect-kit-bench-config.json"
    )
    return env


def _run(cmd: list[str], *, cwd: Path | None = None, check: bool = True) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if check and done.returncode != 0:
        raise Missing(
            f"`{' '.join(cmd[-4:])}` failed: {(done.stderr or done.stdout).strip()[-300:]}"
        )
    return elapsed


def _copy_workspace(src: Path, dest: Path) -> Path:
    from inspect_kit.store import held

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("backups", "*.lock", "charts"))
    # `dest` is reused from size to size: this process remembers that its drafts file held
    # drafts, and a drafts file that held data and is gone is damage (store.held). The copy is a
    # new workspace, as a fresh process would see it.
    held.forget()
    # Written back before anything is timed: else the durable writes measured next wait for
    # the kernel to flush this copy (786 MB at 100k), which no inspector's laptop has pending.
    os.sync()
    return dest


try:
    from inspect_kit.store.archive import SHARD_CAPACITY
except ImportError:  # the benchmark runs on older code too
    SHARD_CAPACITY = 250
FINALIZE_FILL = SHARD_CAPACITY // 2
"""Sheets in the newest shard of the group a finalize is timed in, at every size (nearly full:
`finalize_ms_full_10k`)."""


def _newest_fill(ws: Path, form: str, round_: str) -> int:
    """Sheets in the newest shard of (form, round) in workspace `ws` (0: none yet)."""
    import re

    folder = ws / "results" / "archive" / form
    pattern = re.compile(rf"{re.escape(round_)}-(\d+)\.json")
    numbered = [(int(m[1]), n) for n in os.listdir(folder) if (m := pattern.fullmatch(n))]
    if not numbered:
        return 0
    newest = folder / max(numbered)[1]
    return len(json.loads(newest.read_bytes()).get("submissions", {}))


def _drop_caches() -> None:
    """Forget what this process knows about database files, as a fresh command would."""
    from inspect_kit.store import held, read_cache

    read_cache.clear()
    held.forget()  # else a run after the first finds the target's marker: "file gone" damage


# ============================================================================ measures


TUI_CHILD = textwrap.dedent(
    """
    import asyncio, resource, sys, time
    from pathlib import Path
    mode, root = sys.argv[1], sys.argv[2]
    if mode == "baseline":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Minimal(App):
            def compose(self):
                yield Header(); yield Static("最小应用"); yield Footer()

        app = Minimal()
    else:
        from inspect_kit.cli import Kit
        from inspect_kit.cli.tui_cmd import tui_app

        app = tui_app(Kit(Path(root), None, "zh"))  # composed as `inspect-kit tui` does

    def rss():  # VmHWM: ru_maxrss on Linux keeps the parent's peak across fork + exec
        try:
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            print("frame", flush=True)
            if mode in ("rss", "cold"):
                await app.workers.wait_for_complete()
                await pilot.pause()
                print("home", rss(), flush=True)  # its lists on screen
                if mode == "rss":  # and the rows behind remembered lists read (read-ahead)
                    from inspect_kit.tui.index_rows import cached

                    waited = time.perf_counter()
                    while cached(app.store) is None and time.perf_counter() - waited < 30:
                        await pilot.pause(0.05)
                        await app.workers.wait_for_complete()
                    print("rows", flush=True)
                opened = time.perf_counter()  # `r` on home: until the rows are on screen
                app.action_results()
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                print("results", rss(), time.perf_counter() - opened, flush=True)
            elif mode == "baseline_rss":
                print("results", rss(), flush=True)

    asyncio.run(main())
    """
)


def _tui_child(mode: str, root: Path) -> dict[str, float]:
    """Run the app headless in a fresh process; times from spawn to each printed mark."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", TUI_CHILD, mode, str(root)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word, *rest = line.split()
        marks[f"{word}_s"] = time.perf_counter() - t0
        if rest:
            marks[f"{word}_rss_mb"] = float(rest[0])
        if len(rest) > 1:
            marks[f"{word}_open_s"] = float(rest[1])
    err = proc.stderr.read() if proc.stderr else ""
    if proc.wait(timeout=300) != 0 or "frame_s" not in marks:
        raise Missing(f"the headless app failed: {err.strip()[-300:]}")
    return marks


class Bench:
    def __init__(self, sizes: list[int], quick: bool, workdir: Path, log=print):
        self.report_archives: dict[int, Archive] = {}
        self.sizes, self.quick, self.workdir, self.log = sizes, quick, workdir, log
        self.results: dict[str, Any] = {}
        self.stats: dict[str, dict[str, Any]] = {}
        self.reasons: dict[str, str] = {}
        self.by_size: dict[int, dict[str, Any]] = {}
        self.start_sheet_ms: dict[int, Stat] = {}
        """Starting a sheet, timed in the finalize measure's setup (per size)."""
        self.finalize_fill: dict[int, dict[str, int]] = {}
        self.finalize_phases: dict[int, dict[str, float]] = {}
        """Per size: median ms of each part of a finalize (traced, after the timed runs)."""
        """Per size: the newest shard's sheets as built and when the timed finalizes began."""
        self.archives: dict[int, Archive] = {}

    def runs(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    # ------------------------------------------------------------------ bookkeeping

    def record(
        self,
        key: str,
        fn: Callable[[], Stat | float | None],
        *,
        headline: str = "median",
        digits: int = 4,
    ) -> None:
        self.log(f"  measuring {key} ...")
        try:
            value = fn()
        except Missing as e:
            self.results[key], self.reasons[key] = None, str(e)
            self.log(f"    null: {e}")
            return
        except Exception as e:  # a broken feature must not lose the other rows
            self.results[key], self.reasons[key] = None, f"error: {type(e).__name__}: {e}"
            self.log(f"    null: {self.reasons[key]}")
            return
        if isinstance(value, Stat):
            self.stats[key] = value.to_dict(digits)
            value = value.p95 if headline == "p95" else value.median
        self.results[key] = None if value is None else round(value, digits)
        self.log(f"    {self.results[key]}")

    def archive(self, size: int) -> Archive:
        if size not in self.archives:
            t0 = time.perf_counter()
            self.archives[size] = build_archive(self.workdir / f"archive-{size}", size)
            self.log(
                f"  built {size} sheets ({self.archives[size].mb:.1f} MB) "
                f"in {time.perf_counter() - t0:.1f} s"
            )
        return self.archives[size]

    # ------------------------------------------------------------------ store-level, per size

    def autosave(self, a: Archive) -> Stat:
        from inspect_kit.store.store import Store

        ws = _copy_workspace(a.root, self.workdir / "autosave")
        store = Store(Archive(ws, a.sheets, a.subjects, a.rounds, a.forms).workspace)
        for i in range(10):  # other open drafts in drafts.json
            other, loaded = fresh_sheet(a, 5000 + i, complete=False)
            store.start_sheet(loaded, other)
        sheet, loaded = fresh_sheet(a, 4242, complete=False)
        store.start_sheet(loaded, sheet)
        items = [
            i
            for _, i in sheet.form.iter_items()
            if i.id in sheet.visible() and type(i).__name__ in ("YesNoItem", "TextItem")
        ]
        rng = random.Random(7)

        def one() -> None:
            item = rng.choice(items)
            if type(item).__name__ == "TextItem":
                sheet.set_value(item.id, rng.choice(["现场查看：台账完整", "资料齐全，制度上墙"]))
            else:
                sheet.set_value(item.id, rng.random() < 0.5)
            store.save_draft(sheet)

        return timed(one, self.runs(60, 25), scale=1000)

    def finalize(self, a: Archive, fill: int = FINALIZE_FILL) -> Stat:
        """Finalize one sheet into the archive's first form, newest round, whose newest shard
        first holds `fill` sheets at every size: a finalize rewrites that shard (atomically:
        temp file, fsync, rename) and its companion, so it costs more the fuller the shard is
        (12.7 ms half full, 14.9 ms nearly full at 10k), and the as-built fill differs by size
        (168 sheets at 50k, 78-88 at the others), which is not the archive's size."""
        from inspect_kit.store.store import Store

        ws = _copy_workspace(a.root, self.workdir / "finalize")
        store = Store(Archive(ws, a.sheets, a.subjects, a.rounds, a.forms).workspace)
        built = _newest_fill(ws, a.forms[0], a.rounds[-1])
        for n in range((fill - built) % SHARD_CAPACITY):  # untimed: finalizes up to the fill
            sheet, loaded = fresh_sheet(a, 50_000 + n)
            _drop_caches()
            store.start_sheet(loaded, sheet)
            store.finalize(sheet, loaded)
        if fill == FINALIZE_FILL:  # the per-size figure (not the full-shard one)
            self.finalize_fill[a.sheets] = {"as_built": built, "timed_from": fill}
        pending: list = []

        starts: list[float] = []

        def setup() -> None:
            sheet, loaded = fresh_sheet(a, 9000 + len(pending))
            _drop_caches()
            t0 = time.perf_counter()
            store.start_sheet(loaded, sheet)  # timed too: picking a subject opens the sheet
            starts.append((time.perf_counter() - t0) * 1000)
            pending.append((sheet, loaded))
            _drop_caches()  # each finalize as in a fresh `inspect-kit fill`

        stat = timed(lambda: store.finalize(*pending[-1]), self.runs(7, 3), scale=1000, setup=setup)
        if fill == FINALIZE_FILL:
            self.start_sheet_ms[a.sheets] = Stat(list(starts))  # the traced runs add more
            self.finalize_phases[a.sheets] = self._finalize_phases(store, setup, pending)
        return stat

    def _finalize_phases(self, store: Any, setup: Callable[[], None], pending: list) -> dict:
        """A few more finalizes after the timed ones, each split into its parts (ms):
        scoring, reading the group's companions, bringing the index in line, writing the
        sheet's shard, the commit (main file + companion) and removing the draft."""
        from benchmarks.phases import phase_medians, traced
        from inspect_kit.domain.sheet import Sheet
        from inspect_kit.store.index import MainEdit
        from inspect_kit.store.store import Store

        targets = {"score": (Sheet, "score"), "read": (MainEdit, "__init__"),
                   "prepare": (MainEdit, "prepare"), "shard": (MainEdit, "put"),
                   "commit": (MainEdit, "write"), "draft": (Store, "delete_draft")}  # fmt: skip
        runs: list[dict[str, float]] = []
        totals: list[float] = []
        for _ in range(self.runs(5, 2)):
            setup()
            with traced(targets) as spent:
                totals.append(timed(lambda: store.finalize(*pending[-1]), 1, scale=1000).median)
            runs.append(dict(spent))
        return phase_medians(runs, totals)

    def stock_insert(self, a: Archive) -> Stat:
        from tinydb import TinyDB

        sheet, _ = fresh_sheet(a, 777)
        doc = dict(sheet.to_record(), status="final")
        scratch = self.workdir / "stock" / "inspect-kit.json"
        scratch.parent.mkdir(parents=True, exist_ok=True)

        single = a.single_file(self.workdir / "stock" / "single.json")

        def setup() -> None:
            shutil.copyfile(single, scratch)

        def one() -> None:
            with TinyDB(scratch, encoding="utf-8") as db:  # stock JSONStorage
                db.table("submissions").insert(doc)

        return timed(one, self.runs(5, 2), scale=1000, setup=setup)

    def load_aggregate(self, a: Archive) -> Stat:
        from inspect_kit.store.store import Store

        try:
            from inspect_kit.domain.panel_rounds import rounds_for
            from inspect_kit.domain.panel_view import panel_view
        except ImportError:
            panel_view = rounds_for = None  # type: ignore[assignment]
        forms = {lf.form.form: lf.form for lf in _template_pool(2026)[0]}

        try:  # what a panel reads of every sheet, from the figures cache (issue 18)
            from inspect_kit.store.figures import panel_source
        except ImportError:
            panel_source = None  # type: ignore[assignment]

        def load() -> list[dict[str, Any]]:
            store = Store(a.workspace)
            return panel_source(store).records if panel_source else store.submissions()

        load()  # the cache is built once per archive version, as by the first panel after it

        def one() -> None:  # every sheet loaded, then each form's newest-round panel
            docs = load()
            if panel_view is not None:
                for form_id in a.forms:
                    panel_view(forms[form_id], docs, rounds_for(docs, form_id)[-1])

        return timed(one, self.runs(5, 2), setup=_drop_caches)

    def orjson_floor(self, a: Archive, *, no_gc: bool = False) -> Stat:
        """orjson.loads of every file of the archive (main + shards): the floor for any
        JSON-file design holding the same sheets."""
        import orjson

        files = a.files

        def one() -> None:
            if no_gc:
                gc.disable()
            try:
                for path in files:
                    orjson.loads(path.read_bytes())
            finally:
                gc.enable()

        return timed(one, self.runs(5, 2))

    def fsync_floor(self) -> Stat:
        """The floor of any durable save: a 6 KB temp file written, fsynced, renamed over the
        target and the folder fsynced (what autosave must do at the least)."""
        folder = self.workdir / "fsync-floor"
        folder.mkdir(parents=True, exist_ok=True)
        target, payload = folder / "draft.json", os.urandom(3000).hex().encode()

        def one() -> None:
            tmp = folder / f".tmp-{uuid_lib.uuid4().hex}"
            with open(tmp, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

        return timed(one, self.runs(60, 25), scale=1000)

    def per_size(self, size: int) -> None:
        a = self.archive(size)
        self.log(f"== {size} sheets")
        row: dict[str, Any] = {"file_mb": round(a.mb, 1), "main_mb": round(a.main_mb, 1),
                               "files": len(a.files)}  # fmt: skip
        for name, fn in (
            ("autosave_ms", self.autosave),
            ("fsync_floor_ms", lambda a: self.fsync_floor()),  # beside autosave: same load
            ("finalize_ms", self.finalize),
            ("stock_tinydb_insert_ms", self.stock_insert),
            ("load_aggregate_s", self.load_aggregate),
            ("orjson_floor_s", self.orjson_floor),
            ("orjson_floor_nogc_s", lambda a: self.orjson_floor(a, no_gc=True)),
        ):
            self.log(f"  measuring {name} at {size} ...")
            try:
                stat = fn(a)
                row[name] = stat.to_dict()
                self.log(f"    median {stat.median:.4g}  p95 {stat.p95:.4g}")
                if name == "finalize_ms" and size in self.finalize_phases:
                    parts = self.finalize_phases[size].items()
                    self.log("    parts " + "  ".join(f"{k} {v:g}" for k, v in parts))
            except Exception as e:
                row[name] = None
                row[f"{name}_reason"] = f"{type(e).__name__}: {e}"
                self.log(f"    null: {row[f'{name}_reason']}")
        if size in self.start_sheet_ms:  # measured beside finalize (its setup)
            row["start_sheet_ms"] = self.start_sheet_ms[size].to_dict()
        if size in self.finalize_fill:
            row["finalize_fill"] = self.finalize_fill[size]
        if size in self.finalize_phases:
            row["finalize_phases_ms"] = self.finalize_phases[size]
        self.by_size[size] = row

    # ------------------------------------------------------------------ whole-program measures

    def help(self) -> Stat:
        cmd = _kit_command() + ["--help"]
        _run(cmd)  # warm the OS file cache and .pyc files
        return Stat([_run(cmd) for _ in range(self.runs(9, 5))])

    def python_startup(self) -> Stat:
        return Stat([_run([sys.executable, "-c", "pass"]) for _ in range(self.runs(9, 5))])

    def tui_first_frame(self, root: Path) -> Stat:
        try:
            import inspect_kit.tui.app  # noqa: F401
        except ImportError as e:
            raise Missing(f"no TUI yet ({e})") from None
        _tui_child("frame", root)
        return Stat([_tui_child("frame", root)["frame_s"] for _ in range(self.runs(7, 3))])

    def tui_baseline(self) -> Stat:
        _tui_child("baseline", self.workdir)
        return Stat(
            [_tui_child("baseline", self.workdir)["frame_s"] for _ in range(self.runs(7, 3))]
        )

    def tui_rss(self, a: Archive, mode: str = "rss") -> dict[str, float]:
        """`r` on the home screen once it has read its lists (`rss`; a start that showed the
        remembered lists reads the rows behind them, READ_AHEAD_AFTER_S later), or at once
        after the first frame (`cold`: the results browser opens the store and reads them)."""
        try:
            import inspect_kit.tui.app  # noqa: F401
        except ImportError as e:
            raise Missing(f"no TUI yet ({e})") from None
        return _tui_child(mode, a.root)

    def hist_chart(self, a: Archive) -> Stat:
        out = self.workdir / "charts"
        cmd = _kit_command() + [
            "--workspace",
            str(a.root),
            "chart",
            a.forms[0],
            "--kind",
            "hist",
            "--out",
            str(out),
        ]
        return Stat([_run(cmd) for _ in range(self.runs(5, 2))])

    def matplotlib_import(self) -> Stat:
        cmd = [
            sys.executable,
            "-c",
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot",
        ]
        return Stat([_run(cmd) for _ in range(self.runs(5, 2))])

    def _report_archive(self, subjects: int) -> Archive:
        form = "edu-base-inspection"
        if subjects in self.report_archives:
            return self.report_archives[subjects]
        self.report_archives[subjects] = build_archive(
            self.workdir / f"report-{subjects}",
            subjects * RATERS_PER_SUBJECT * 2,
            forms=[form],
            rounds=2,
            subjects=subjects,
            revisions=0,
        )
        return self.report_archives[subjects]

    def _report(self, subjects: int, runs: int) -> list[float]:
        """Wall seconds of `inspect-kit report` (the whole command, fresh process); its CPU
        seconds (user + system) go to `report_cpu_s_<n>`, which a loaded machine inflates less."""
        import resource

        a = self._report_archive(subjects)
        out = self.workdir / f"report-{subjects}.pdf"
        cmd = _kit_command() + ["--workspace", str(a.root), "report", a.forms[0], "--out", str(out)]
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls.append(_run(cmd))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        self.results[f"report_cpu_s_{subjects}"] = round(statistics.median(cpus), 2)
        return walls

    def report_200(self) -> Stat:
        # Measured at 200 subjects even with --quick (one run): scaling a 50-subject run by 4
        # also multiplied the command's fixed cost (start-up, imports, store, charts: ~4 s),
        # which read 23.8 s for a command that takes ~10 s.
        return Stat(self._report(200, self.runs(3, 1)))

    def report_12(self) -> Stat:
        return Stat(self._report(12, self.runs(5, 2)))

    def sheet_record(self) -> Stat:
        """One sheet's 检查记录表: store read, typesetting and the PDF write, timed inside a
        fresh process (its first typesetting, fonts loaded) so Python's own start is apart;
        `sheet_record_cli_s` is the whole `results print` command."""
        a = self._report_archive(12)
        code = "\n".join(
            [
                "import sys, time",
                "from pathlib import Path",
                "from inspect_kit.base.paths import Workspace",
                "from inspect_kit.store.store import Store",
                "store = Store(Workspace(Path(sys.argv[1])))",
                "uuid = store.summaries(status='final')[0]['uuid']",
                "t0 = time.perf_counter()",
                "from inspect_kit.pack.sheet_record import print_sheet",
                "print_sheet(store, uuid, Path(sys.argv[1]) / 'results', Path(sys.argv[2]))",
                "print(time.perf_counter() - t0)",
            ]
        )
        out = self.workdir / "sheet.pdf"
        times = []
        for _ in range(self.runs(5, 2)):
            done = subprocess.run(
                [sys.executable, "-c", code, str(a.root), str(out)],
                env=_env(),
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(float(done.stdout.strip().splitlines()[-1]))
        from inspect_kit.base.paths import Workspace
        from inspect_kit.store.store import Store

        uuid = Store(Workspace(a.root)).summaries(status="final")[0]["uuid"]
        cmd = _kit_command() + ["--workspace", str(a.root), "results", "print", uuid]
        cmd += ["--out", str(out)]
        self.record("sheet_record_cli_s", lambda: Stat([_run(cmd) for _ in range(self.runs(5, 2))]))
        return Stat(times)

    def import_10x1k(self) -> Stat:
        """What a user does: the ten laptops' files given to one `inspect-kit import` (and the
        Syncthing inbox): one `import_files`, every source read and checked, then merged in
        one pass (each shard and the main file written once)."""
        return self._import(each=False)

    def import_10x1k_each(self) -> Stat:
        """The same ten files imported one after the other, one `import_file` each (ten
        commands' worth of merges, each writing the main file)."""
        return self._import(each=True)

    def _import(self, *, each: bool) -> Stat:
        try:
            from inspect_kit.store.merge import import_file, import_files
        except ImportError as e:
            raise Missing(f"no merge module yet ({e})") from None
        from inspect_kit.base.paths import Workspace
        from inspect_kit.store.store import Store

        laptops = self._laptops()
        sources = [a.db_path for a in laptops]
        target = self.workdir / "import-target"

        def setup() -> None:
            shutil.rmtree(target, ignore_errors=True)
            (target / "results").mkdir(parents=True)
            _drop_caches()

        def one() -> None:
            store = Store(Workspace(target))
            if each:
                reports = [import_file(store, path, who="基准") for path in sources]
            else:
                reports = import_files(store, sources, who="基准")
            assert [r.added for r in reports] == [a.sheets for a in laptops], reports

        return timed(one, self.runs(3, 1), setup=setup)

    def _laptops(self) -> list[Archive]:
        if not hasattr(self, "_laptop_archives"):
            self._laptop_archives = [
                build_archive(self.workdir / f"laptop-{i}", 1000, device=f"笔记本-{i}")
                for i in range(10)
            ]
        return self._laptop_archives

    def import_floor(self) -> Stat:
        """The floor of an import of the 10 laptops: every file of each parsed (orjson), and
        its sheets written durably in one file per source (orjson + temp file + fsync)."""
        import orjson

        from inspect_kit.base.fsio import atomic_write

        laptops = self._laptops()
        out = self.workdir / "import-floor"

        def one() -> None:
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            for i, a in enumerate(laptops):
                trees = [orjson.loads(p.read_bytes()) for p in a.files]
                atomic_write(out / f"{i}.json", orjson.dumps(trees))

        return timed(one, self.runs(3, 1))

    def commands(self, a: Archive) -> Stat:
        """Whole commands on the biggest archive, fresh processes; the slowest one counts
        (issue 18: every command within 2 s at 100k sheets). Each one's median goes to
        `commands_s_<size>` by name."""
        form = a.forms[0]
        kit = _kit_command() + ["--workspace", str(a.root)]
        cmds = {
            "help": _kit_command() + ["--help"],
            "results_list": kit + ["results", "list", "--form", form],
            "panel": kit + ["panel", form],
            "subjects_list": kit + ["subjects", "list"],
            "doctor": kit + ["doctor"],
        }
        from inspect_kit.base.paths import Workspace
        from inspect_kit.store.store import Store

        rows = Store(Workspace(a.root)).summaries(form=form, status="final")
        if rows:  # one sheet by its id, with its revisions and events
            cmds["results_show"] = kit + ["results", "show", rows[len(rows) // 2]["uuid"]]
        medians: dict[str, float | None] = {}
        try:
            # doctor remembers the files it found healthy (store.doctor_memory): the timed runs
            # are a laptop's usual state, doctor has run once; that first, full check is kept
            # apart, beside the others and not in their maximum (it re-scores every sheet, as
            # `doctor --full` does: minutes at 100k).
            self.results[f"commands_doctor_first_s_{a.sheets}"] = round(_run(cmds["doctor"]), 3)
        except Missing as e:
            self.reasons["commands_doctor_first"] = str(e)
        for name, cmd in cmds.items():
            try:
                medians[name] = round(
                    statistics.median(_run(cmd) for _ in range(self.runs(3, 1))), 3
                )
            except Missing as e:
                medians[name] = None
                self.reasons[f"commands_{name}"] = str(e)
        self.results[f"commands_s_{a.sheets}"] = medians
        got = [v for v in medians.values() if v is not None]
        if not got:
            raise Missing("no command ran")
        return Stat([max(got)])

    def screens(self, a: Archive) -> Stat:
        """The app's screens on the biggest archive (issue 18: every screen within 2 s at
        100k sheets), in a fresh process: home from start until its lists are read, and the
        results browser from `r` until its rows are on screen. Both go to
        `screens_s_<size>`, with `r` at once after the first frame (`results_cold`: the
        browser opens the store and reads the rows itself); the slowest counts. Also there,
        not counted: when the rows behind remembered lists were read (`home_rows_read`, from
        the start, in the background)."""
        marks = self.tui_rss(a)
        cold = self.tui_rss(a, "cold")
        times = {"home": round(marks["home_s"], 3), "results": round(marks["results_open_s"], 3),
                 "results_cold": round(cold["results_open_s"], 3)}  # fmt: skip
        self.results[f"screens_s_{a.sheets}"] = {
            **times,
            "home_rows_read": round(marks["rows_s"], 3),
        }
        self.results[f"screens_rss_mb_{a.sheets}"] = round(marks["results_rss_mb"], 1)
        return Stat([max(times.values())])

    # ------------------------------------------------------------------ the whole run

    def run(self) -> dict[str, Any]:
        started = time.time()
        ten_k = TEN_K if TEN_K in self.sizes else max(self.sizes)
        self.log("== whole-program measures")
        self.record("help_s", self.help)
        self.record("python_startup_s", self.python_startup)
        for size in self.sizes:
            self.per_size(size)
        a10 = self.archive(ten_k)
        row = self.by_size[ten_k]

        def pick(name: str, field: str = "median") -> Callable[[], float]:
            def get() -> float:
                if row.get(name) is None:
                    raise Missing(row.get(f"{name}_reason", "not measured"))
                return row[name][field]

            return get

        self.log(f"== measures at {ten_k} sheets and beyond")
        self.record("autosave_p95_ms_10k", pick("autosave_ms", "p95"), digits=2)
        self.record("fsync_floor_p95_ms", pick("fsync_floor_ms", "p95"), digits=3)
        self.record("fsync_floor_ms", pick("fsync_floor_ms"), digits=3)
        self.record("finalize_ms_10k", pick("finalize_ms"), digits=1)
        self.record(  # the same with the newest shard nearly full: the top of the fill's range
            "finalize_ms_full_10k",
            lambda: self.finalize(a10, fill=SHARD_CAPACITY - 10),
            digits=1,
        )
        self.record("stock_tinydb_insert_ms_10k", pick("stock_tinydb_insert_ms"), digits=1)
        self.record("load_aggregate_s_10k", pick("load_aggregate_s"))
        self.record("orjson_floor_s_10k", pick("orjson_floor_s"))
        self.record("orjson_floor_nogc_s_10k", pick("orjson_floor_nogc_s"))
        self.record("tui_first_frame_s", lambda: self.tui_first_frame(a10.root))
        self.record("tui_minimal_app_frame_s", self.tui_baseline)
        rss: dict[str, float] = {}

        def tui_rss() -> float:
            runs = [self.tui_rss(a10) for _ in range(self.runs(3, 1))]
            rss.update(min(runs, key=lambda marks: marks["results_open_s"]))
            rss["results_open_s"] = statistics.median(m["results_open_s"] for m in runs)
            rss["home_s"] = statistics.median(m["home_s"] for m in runs)
            return max(m["results_rss_mb"] for m in runs)  # the peak: the highest run's

        self.record("tui_rss_mb_10k", tui_rss, digits=1)
        if rss:
            self.results["tui_home_data_s_10k"] = round(rss.get("home_s", 0.0), 3)
            # from `r` on the home screen to the results table on screen (not from spawn)
            self.results["tui_results_data_s_10k"] = round(rss.get("results_open_s", 0.0), 3)
        self.record(
            "tui_results_cold_s_10k",
            lambda: Stat(
                [self.tui_rss(a10, "cold")["results_open_s"] for _ in range(self.runs(3, 1))]
            ),  # fmt: skip
            digits=3,
        )
        self.record(
            "tui_minimal_app_rss_mb",
            lambda: _tui_child("baseline_rss", self.workdir)["results_rss_mb"],
            digits=1,
        )
        self.record("hist_chart_s_10k", lambda: self.hist_chart(a10))
        self.record("matplotlib_import_s", self.matplotlib_import)
        self.record("report_s_200", self.report_200, digits=2)
        self.record("report_s_12", self.report_12, digits=2)
        self.record("sheet_record_s", self.sheet_record, digits=3)
        self.record("import_s_10x1k", self.import_10x1k, digits=3)
        self.record("import_s_10x1k_each", self.import_10x1k_each, digits=3)
        self.record("import_floor_s_10x1k", self.import_floor, digits=3)
        biggest = self.archive(max(self.sizes))
        self.record("commands_max_s", lambda: self.commands(biggest), digits=3)
        self.record("screens_max_s", lambda: self.screens(biggest), digits=3)
        return self.summary(started, ten_k)

    def summary(self, started: float, ten_k: int) -> dict[str, Any]:
        r = self.results
        goals: dict[str, Any] = {}
        for key, (op, limit) in GOALS.items():
            value = r.get(key)
            goals[key] = {
                "goal": f"{op} {limit:g}",
                "met": None if value is None else value <= limit,
            }
        fin, stock = r.get("finalize_ms_10k"), r.get("stock_tinydb_insert_ms_10k")
        goals["finalize_vs_stock"] = {
            "goal": ">= 3x faster",
            "ratio": None if not (fin and stock) else round(stock / fin, 2),
            "met": None if not (fin and stock) else stock / fin >= 3,
        }
        load, floor = r.get("load_aggregate_s_10k"), r.get("orjson_floor_s_10k")
        goals["load_vs_orjson_floor"] = {
            "goal": "<= 2x the orjson floor",
            "ratio": None if not (load and floor) else round(load / floor, 2),
            "met": None if not (load and floor) else load / floor <= 2,
        }
        ratios: dict[str, Any] = {}
        for key, (base_key, how, cap) in RATIO_GOALS.items():
            value, base = r.get(key), r.get(base_key)
            entry: dict[str, Any] = {"baseline_key": base_key, "baseline": base, "ratio": None}
            if value is not None and base:
                entry["ratio"] = round(value / base, 3)
                if how == "+":
                    entry["over_baseline"] = round(value - base, 3)
                if cap is not None:
                    entry["met"] = value <= (cap * base if how == "x" else base + cap) + 1e-12
            if cap is not None:
                entry["goal"] = f"<= {cap:g}x baseline" if how == "x" else f"<= baseline + {cap:g}"
                entry.setdefault("met", None)
            ratios[key] = entry
        fin = {
            size: row["finalize_ms"]["median"]
            for size, row in self.by_size.items()
            if row.get("finalize_ms")
        }
        if len(fin) > 1:
            mean = statistics.fmean(fin.values())
            spread = max(abs(v - mean) / mean for v in fin.values())
            r["finalize_spread"] = round(spread, 3)
            goals["finalize_independent_of_size"] = {
                "goal": f"every size within ±{FINALIZE_SPREAD:.0%} of their mean",
                "ratio": round(max(fin.values()) / min(fin.values()), 2),
                "met": spread <= FINALIZE_SPREAD,
            }
        if (row50 := self.by_size.get(50_000)) and row50.get("load_aggregate_s"):
            r["load_aggregate_s_50k"] = row50["load_aggregate_s"]["median"]
        for key, bound in ABSOLUTE_GOALS.items():
            value = r.get(key)
            goals[f"{key}_abs"] = {
                "goal": f"<= {bound:g}",
                "met": None if value is None else value <= bound,
            }
        return {
            **r,
            "ratios": ratios,
            "stats": self.stats,
            "by_size": {str(k): v for k, v in self.by_size.items()},
            "goals": goals,
            "reasons": self.reasons,
            "meta": {
                "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "quick": self.quick,
                "sizes": self.sizes,
                "ten_k_size": ten_k,
                "seconds": round(time.time() - started, 1),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()]
                if hasattr(os, "getloadavg")
                else None,
                "sheet_kb": round(self.archives[ten_k].mb * 1000 / self.archives[ten_k].sheets, 2),
            },
        }


# ============================================================================ output

ROWS = [
    # key, label, unit, baseline key (the baselines are in RATIO_GOALS)
    ("help_s", "inspect-kit --help", "s"),
    ("tui_first_frame_s", "TUI first frame (10k archive)", "s"),
    ("autosave_p95_ms_10k", "autosave p95 (10k archive)", "ms"),
    ("finalize_ms_10k", "finalize (10k archive)", "ms"),
    ("load_aggregate_s_10k", "load + panels, 10k sheets", "s"),
    ("hist_chart_s_10k", "chart --kind hist, 10k", "s"),
    ("report_s_200", "meeting pack, 200 subjects", "s"),
    ("import_s_10x1k", "import 10 x 1k, one command", "s"),
    ("import_s_10x1k_each", "import 10 x 1k, ten commands", "s"),
    ("tui_rss_mb_10k", "TUI peak RSS, 10k results", "MB"),
    ("tui_results_data_s_10k", "results browser, 10k", "s"),
    ("tui_results_cold_s_10k", "results browser, 10k, r at once", "s"),
    ("commands_max_s", "slowest command, biggest archive", "s"),
    ("screens_max_s", "slowest screen, biggest archive", "s"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def _met(*flags: bool | None) -> str:
    known = [f for f in flags if f is not None]
    if not known:
        return "-"
    return "yes" if all(known) else "NO"


def table(report: dict[str, Any]) -> str:
    stats, goals = report.get("stats", {}), report.get("goals", {})
    ratios = report.get("ratios", {})
    head = (
        f"{'measure':34} {'median':>8} {'p95':>8} {'baseline':>9} {'ratio':>7} {'met':>4}"
        "  goals (issue 18) / baseline"
    )
    lines = [head, "-" * len(head)]
    for key, label, unit in ROWS:
        st = stats.get(key) or {}
        value = report.get(key)
        median = st.get("median", value)
        p95 = st.get("p95", value)
        rat = ratios.get(key, {})
        absolute = goals.get(f"{key}_abs", {})
        texts = [t for t in (rat.get("goal"), absolute.get("goal")) if t]
        if rat.get("baseline_key"):
            texts.append(rat["baseline_key"])
        if value is None:
            texts = [f"({report.get('reasons', {}).get(key, '')})"[:70]]
        lines.append(
            f"{label + ' [' + unit + ']':34} {_fmt(median):>8} {_fmt(p95):>8} "
            f"{_fmt(rat.get('baseline')) if rat else '-':>9} "
            f"{_fmt(rat.get('ratio')) if rat else '-':>7} "
            f"{_met(rat.get('met'), absolute.get('met')):>4}  {'; '.join(texts)}"
        )
    for key in ("finalize_independent_of_size", "finalize_vs_stock", "load_vs_orjson_floor"):
        g = goals.get(key, {})
        if g:
            lines.append(f"{key:34} {'ratio':>8} {_fmt(g.get('ratio')):>8} {g.get('goal', '')}: "
                         f"{_met(g.get('met'))}")  # fmt: skip
    if report.get("load_aggregate_s_50k") is not None:
        g = goals.get("load_aggregate_s_50k_abs", {})
        lines.append(f"{'load + panels, 50k [s]':34} {_fmt(report['load_aggregate_s_50k']):>8}"
                     f" {'':>8} {g.get('goal', '')}: {_met(g.get('met'))}")  # fmt: skip
    for name, value in report.items():
        if name.startswith(("commands_s_", "screens_s_")) and isinstance(value, dict):
            lines.append(f"  {name}: " + ", ".join(f"{k} {_fmt(v)}" for k, v in value.items()))
    lines.append("")
    sub = (
        "sheets",
        "MB",
        "autosave p95 ms",
        "fsync floor p95",
        "finalize ms",
        "start sheet ms",
        "stock insert ms",
        "load+agg s",
        "orjson s",
        "orjson nogc s",
    )
    lines.append("  ".join(f"{h:>15}" for h in sub))
    for size, row in report.get("by_size", {}).items():

        def m(name: str, field: str = "median", row: dict = row) -> str:
            return _fmt((row.get(name) or {}).get(field))

        cells = (
            size,
            _fmt(row.get("file_mb")),
            m("autosave_ms", "p95"),
            m("fsync_floor_ms", "p95"),
            m("finalize_ms"),
            m("start_sheet_ms"),
            m("stock_tinydb_insert_ms"),
            m("load_aggregate_s"),
            m("orjson_floor_s"),
            m("orjson_floor_nogc_s"),
        )
        lines.append("  ".join(f"{c:>15}" for c in cells))
    meta = report.get("meta", {})
    lines.append("")
    lines.append(
        f"{meta.get('cpus')} CPUs, load average {meta.get('load_average')}, "
        f"python {meta.get('python')}, {meta.get('seconds')} s"
        f"{' (quick)' if meta.get('quick') else ''}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default=None, help="archive sizes (default 1000,10000,50000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer runs, sizes 1000,10000 unless given (under 3 minutes)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON file (default <workspace>/results/bench/latest.json)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the synthetic archives go (default: a temp folder, removed)",
    )
    args = parser.parse_args(argv)
    sizes_text = args.sizes or ("1000,10000" if args.quick else "1000,10000,50000")
    try:
        sizes = sorted({int(s.replace("_", "")) for s in sizes_text.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes takes numbers separated by commas, not {sizes_text!r}")
    if not sizes or min(sizes) < 10:
        parser.error("--sizes: each size must be at least 10")
    from inspect_kit.base.paths import default_workspace_root

    out = args.out or default_workspace_root() / "results" / "bench" / "latest.json"
    keep = args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="inspect-kit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        report = Bench(
            sizes, args.quick, workdir, log=lambda m: print(m, file=sys.stderr, flush=True)
        ).run()
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
