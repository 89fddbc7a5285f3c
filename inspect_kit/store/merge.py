"""Merging another laptop's sheets: its database file or a USB bundle (DESIGN §4, issue 6).

Records match by (uuid, revision): a new one is added, an identical one (same canonical JSON) is
skipped, and the same key with different content becomes a flagged conflict (both versions kept
in the `conflicts` table) for a person to resolve. The roster (missing entries added; a differing
entry keeps the local one and is reported), the form versions (by sha256) and the audit events
travel with the sheets. A source is read and checked completely before anything is written; a
damaged, foreign or tampered file is refused with the reason and nothing changes. The database
changes in ONE atomic write (backup first) with one `imported` event per source; several sources
given to one command are merged in one pass (merge_many: each touched shard and the main file
written once). A second import of the same file finds nothing new and writes nothing.

Reading and checking a source: store.sources; the conflicts table: store.conflicts. The merge
writes through the Store's public API (Store.edit: the main lock, shards, one main write).
"""

from __future__ import annotations

import contextlib
import platform
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import StoreError
from inspect_kit.base.fsio import replace_file
from inspect_kit.base.gc_pause import gc_paused
from inspect_kit.domain.sheet import now_iso
from inspect_kit.domain.subject import Subject
from inspect_kit.store.archive import add_rows
from inspect_kit.store.conflicts import (
    CONFLICTS,
    Match,
    canonical,
    conflict_record,
    conflict_versions,
    conflicts,
    match_revisions,
    rectification_conflict,
    resolve_conflict,
)
from inspect_kit.store.event_chain import seal_events
from inspect_kit.store.rectifications import RECTIFICATIONS
from inspect_kit.store.sources import ImportRefused, Incoming, read_source, refuse
from inspect_kit.store.store import Store
from inspect_kit.store.verify import verify_new_sheets

# Names the CLI, the benchmark and tests import from here.
__all__ = [
    "ImportRefused",
    "Incoming",
    "MergeReport",
    "canonical",
    "conflicts",
    "import_file",
    "import_files",
    "merge",
    "merge_many",
    "read_source",
    "resolve_conflict",
]


@dataclass
class MergeReport:
    source: str
    device: str
    added: int = 0
    skipped: int = 0
    conflicts: int = 0
    known_conflicts: int = 0
    """Differing versions already recorded as conflicts by an earlier import."""
    forms_added: int = 0
    subjects_added: int = 0
    subjects_differ: list[str] = field(default_factory=list)
    events_added: int = 0
    attachments_added: int = 0
    attachments_differ: list[str] = field(default_factory=list)
    rectifications_added: int = 0
    """New revisions of rectification items (整改项)."""
    rectification_conflicts: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.conflicts
            or self.forms_added
            or self.subjects_added
            or self.events_added
            or self.attachments_added
            or self.rectifications_added
            or self.rectification_conflicts
        )

    def lines(self) -> list[str]:
        """The outcome in plain words, one line each."""
        out = [
            f"{self.source}（来自 {self.device or '未知设备'}）：新增 {self.added} 张，"
            f"相同已跳过 {self.skipped} 张，冲突 {self.conflicts} 张"
        ]
        extra = []
        if self.forms_added:
            extra.append(f"表单版本 {self.forms_added} 个")
        if self.subjects_added:
            extra.append(f"对象 {self.subjects_added} 个")
        if self.events_added:
            extra.append(f"日志 {self.events_added} 条")
        if self.attachments_added:
            extra.append(f"附件 {self.attachments_added} 个")
        if self.rectifications_added:
            extra.append(f"整改项记录 {self.rectifications_added} 条")
        if extra:
            out.append("  同时带入：" + "，".join(extra))
        if self.known_conflicts:
            out.append(f"  另有 {self.known_conflicts} 张与已记录的冲突相同，未重复记录")
        if self.rectification_conflicts:
            n = self.rectification_conflicts
            out.append(f"  整改项冲突 {n} 条（两台电脑改得不一样，两份都已保留）")
        if self.conflicts or self.known_conflicts or self.rectification_conflicts:
            out.append("  查看并处理冲突：inspect-kit results conflicts")
        if self.subjects_differ:
            ids = "、".join(self.subjects_differ[:10]) + (
                "等" if len(self.subjects_differ) > 10 else ""
            )
            out.append(f"  {len(self.subjects_differ)} 个对象的信息与本机不同，保留本机：{ids}")
        if self.attachments_differ:
            out.append(
                f"  {len(self.attachments_differ)} 个附件与本机同名但内容不同，保留本机："
                + "、".join(self.attachments_differ[:5])
            )
        if not self.changed:
            out.append("  没有新内容，数据库未改动。")
        return out


_PLAIN = frozenset((str, int, float, bool))


class _Events:
    """The audit events already held, to skip an incoming copy of one. Looked up by a cheap key
    first; the canonical bytes (exact: key order aside, 1 and 1.0 differ) are compared only
    between events that share that key, so the local log is not dumped whole on every import
    (measured: 10k events dumped and hashed per import were the slowest part of the check)."""

    def __init__(self, docs: Iterable[Mapping[str, Any]]):
        self._by_key: dict[tuple[Any, ...], list[Mapping[str, Any] | bytes]] = {}
        for doc in docs:
            self._by_key.setdefault(self._key(doc), []).append(doc)

    @staticmethod
    def _key(doc: Mapping[str, Any]) -> tuple[Any, ...]:
        # the six fields as they are (fast: the whole local log is keyed); a list/object by repr
        key = (doc.get("event"), doc.get("uuid"), doc.get("at"), doc.get("revision"),
               doc.get("by"), doc.get("device"))  # fmt: skip
        for v in key:
            if v is not None and type(v) not in _PLAIN:
                return tuple(v if isinstance(v, str | int | float | type(None)) else repr(v)
                             for v in key)  # fmt: skip
        return key

    def add(self, doc: Mapping[str, Any]) -> bool:
        """Remember `doc`; False when an equal event is already held."""
        same = self._by_key.setdefault(self._key(doc), [])
        if same:
            mine = canonical(doc)
            for i, other in enumerate(same):
                if not isinstance(other, bytes):
                    other = same[i] = canonical(other)
                if other == mine:
                    return False
            same.append(mine)
        else:
            same.append(doc)
        return True


def _verify(incoming: Incoming, added: list[dict[str, Any]], known: set[tuple[str, int]],
            data: dict[str, Any]) -> None:  # fmt: skip
    """Re-score, type-check and chain-check the sheets a source adds (store.verify)."""
    texts = {d.get("sha256"): d.get("source") for d in (data.get("forms") or {}).values()}
    texts.update({d["sha256"]: d["source"] for d in incoming.forms})
    if problems := verify_new_sheets(added, known, incoming.events, texts):
        raise refuse(incoming.source, "以下评分表未通过核验：" + "；".join(problems))


def _subject_norm(doc: Mapping[str, Any]) -> dict[str, Any]:
    return Subject.from_dict(doc).to_dict()


def merge(store: Store, incoming: Incoming, *, who: str = "") -> MergeReport:
    """Merge one checked source (see merge_many)."""
    return merge_many(store, [incoming], who=who)[0]


def merge_many(store: Store, sources: list[Incoming], *, who: str = "") -> list[MergeReport]:
    """Merge checked sources, in order, under one lock and in one pass: every source is
    compared with the store and with the sources before it (as if imported one after the
    other, each with its own report and its own `imported` event), then the new sheets of all
    of them go into their shards (each touched shard written once) and the main file is written
    ONCE. Nothing is written when nothing is new; a source refused here (a sheet whose form
    version it lacks) leaves everything unchanged, the other sources included."""
    reports = [MergeReport(source=i.source, device=i.device) for i in sources]
    with gc_paused(), store.edit() as edit:  # many dicts built, no cycles (base.gc_pause)
        data = edit.data
        local_rows = {(r["uuid"], r["revision"]): r for r in edit.view.rows}
        all_keys = {(d["uuid"], d["revision"]) for i in sources for d in i.submissions}
        both = [row for k in all_keys if (row := local_rows.get(k)) is not None]
        local = {(d["uuid"], d["revision"]): d for d in edit.docs_for(both)}
        conflicts_table = dict(data.get(CONFLICTS) or {})
        known = conflict_versions(conflicts_table)
        have_forms = {d["sha256"] for d in (data.get("forms") or {}).values()}
        have_subjects = {
            d["id"]: _subject_norm(d)
            for d in edit.roster().values()
            if isinstance(d, dict) and "id" in d
        }
        have_events = _Events((data.get("events") or {}).values())
        local_rect = {(d["uuid"], d["revision"]): d
                      for d in (data.get(RECTIFICATIONS) or {}).values()}  # fmt: skip
        new_rect: list[dict[str, Any]] = []
        new_subs: list[dict[str, Any]] = []
        new_conflicts: list[dict[str, Any]] = []
        new_forms: list[dict[str, Any]] = []
        new_subjects: list[dict[str, Any]] = []
        new_events: list[dict[str, Any]] = []
        ours: set[int] = set()
        for incoming, report in zip(sources, reports, strict=True):
            added_before = len(new_subs)
            for match, doc, mine in match_revisions(incoming.submissions, local, known):
                if match is Match.ADDED:
                    new_subs.append(doc)
                    report.added += 1
                elif match is Match.EQUAL:
                    report.skipped += 1
                elif match is Match.KNOWN_CONFLICT:
                    report.known_conflicts += 1
                else:
                    report.conflicts += 1
                    new_conflicts.append(
                        conflict_record(doc, mine, incoming.source, incoming.device)
                    )

            for doc in incoming.forms:
                if doc["sha256"] not in have_forms:
                    have_forms.add(doc["sha256"])
                    report.forms_added += 1
                    new_forms.append(
                        {
                            "form": doc["form"],
                            "version": doc.get("version"),
                            "sha256": doc["sha256"],
                            "source": doc["source"],
                            "stored_at": doc.get("stored_at") or now_iso(),
                        }
                    )
            added = new_subs[added_before:]
            if lacking := sorted({d["form"] for d in added if d["form_sha256"] not in have_forms}):
                raise refuse(
                    incoming.source, f"评分表所用的表单版本（{'、'.join(lacking)}）不在文件中"
                )
            _verify(incoming, added, set(local_rows) | set(local), data)

            for doc in incoming.subjects:
                norm = _subject_norm(doc)
                if norm["id"] not in have_subjects:
                    have_subjects[norm["id"]] = norm
                    new_subjects.append(norm)
                    report.subjects_added += 1
                elif have_subjects[norm["id"]] != norm and norm["id"] not in report.subjects_differ:
                    report.subjects_differ.append(norm["id"])

            _merge_rectifications(incoming, report, local_rect, known, new_rect, new_conflicts)

            for doc in incoming.events:
                if have_events.add(doc):
                    new_events.append(dict(doc))
                    report.events_added += 1

            if report.changed:
                new_events.append(
                    imported := {
                        "event": "imported",
                        "uuid": None,
                        "by": who,
                        "at": now_iso(),
                        "device": platform.node(),
                        "source": incoming.source,
                        "kind": incoming.kind,
                        "source_device": incoming.device,
                        "added": report.added,
                        "skipped": report.skipped,
                        "conflicts": report.conflicts,
                        "forms_added": report.forms_added,
                        "subjects_added": report.subjects_added,
                        "events_added": report.events_added,
                        "rectifications_added": report.rectifications_added,
                        "rectification_conflicts": report.rectification_conflicts,
                    }
                )
                have_events.add(imported)
                ours.add(id(imported))  # signed by this device; incoming events stay theirs

        if any(r.changed for r in reports):
            edit.prepare()
            edit.put(new_subs)  # the sheets first, each touched shard written once
            data[CONFLICTS] = conflicts_table
            add_rows(conflicts_table, new_conflicts)
            add_rows(data.setdefault("forms", {}), new_forms)
            add_rows(data.setdefault(RECTIFICATIONS, {}), new_rect)
            add_rows(edit.roster(), new_subjects)
            table = data.setdefault("events", {})
            add_rows(table, seal_events(table.values(), new_events, local=ours))
            edit.write()  # then the main file: index rows, roster, events, conflicts
    for incoming, report in zip(sources, reports, strict=True):
        _write_attachments(store, incoming, report)
    return reports


def _merge_rectifications(incoming: Incoming, report: MergeReport,
                          local: dict[tuple[str, int], dict[str, Any]],
                          known: set[tuple[str, int, bytes]], new: list[dict[str, Any]],
                          new_conflicts: list[dict[str, Any]]) -> None:  # fmt: skip
    """Rectification revisions match like sheets, by (uuid, revision): new ones are added, equal
    ones skipped, and the same revision changed differently on two laptops becomes a conflict
    with both versions kept (the local one stays in force until a person settles it)."""
    for match, doc, mine in match_revisions(incoming.rectifications, local, known):
        if match is Match.ADDED:
            new.append(doc)
            report.rectifications_added += 1
        elif match is Match.KNOWN_CONFLICT:
            report.known_conflicts += 1
        elif match is Match.NEW_CONFLICT:
            report.rectification_conflicts += 1
            new_conflicts.append(
                rectification_conflict(doc, mine, incoming.source, incoming.device)
            )


def _attachments_root(store: Store) -> Path | None:
    return store.workspace.attachments_dir if store.workspace is not None else None


def _write_attachments(store: Store, incoming: Incoming, report: MergeReport) -> None:
    """Copy the source's attachments into results/attachments/<uuid>/; never overwrite, never
    leave that folder (names were checked; the resolved path is checked again here)."""
    root = _attachments_root(store)
    if root is None or not incoming.attachments:
        return
    for sheet_uuid, rel, content in incoming.attachments:
        base = root / sheet_uuid
        dest = base / rel
        base.mkdir(parents=True, exist_ok=True)
        try:
            dest.resolve().relative_to(base.resolve())
            base.resolve().relative_to(root.resolve())
        except ValueError:
            report.attachments_differ.append(
                f"{sheet_uuid[:8]}/{rel}（路径指向附件文件夹以外，已跳过）"
            )
            continue
        data = content.read_bytes() if isinstance(content, Path) else content
        if dest.exists() or dest.is_symlink():
            if dest.is_symlink() or not dest.is_file() or dest.read_bytes() != data:
                report.attachments_differ.append(f"{sheet_uuid[:8]}/{rel}")
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".tmp-{dest.name}-{secrets.token_hex(4)}")
        try:
            tmp.write_bytes(data)
            replace_file(tmp, dest)
        except OSError as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StoreError(f"写入附件 {dest} 失败：{e.strerror or e}") from e
        report.attachments_added += 1


def import_file(store: Store, path: Path, *, who: str = "") -> MergeReport:
    own = store.db.path
    return merge(store, read_source(Path(path), own_db=own), who=who)


def import_files(store: Store, paths: Iterable[Path], *, who: str = "") -> list[MergeReport]:
    """Several sources in one pass: all read and checked first (any refused: nothing changes),
    then merged together by merge_many (each shard and the main file written once)."""
    own = store.db.path
    return merge_many(store, [read_source(Path(p), own_db=own) for p in paths], who=who)
