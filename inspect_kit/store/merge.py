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
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import orjson

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.errors import FormError, StoreError
from inspect_kit.domain.sheet import now_iso
from inspect_kit.formfiles.loader import parse_form_text, sha256_text
from inspect_kit.store.archive import LEGACY, SHEETS, add_rows, archive_dir, shard_files
from inspect_kit.store.database import BadDatabaseBytes, parse_database_bytes
from inspect_kit.store.store import Store, Subject

MAX_BUNDLE_BYTES = 2 * 1024**3  # uncompressed; a bigger "bundle" is a zip bomb, not a week's work
STATUSES = ("final", "void")
CONFLICTS = "conflicts"


class ImportRefused(StoreError):
    """A source that cannot be imported; nothing was changed."""


@dataclass
class Incoming:
    """Everything a source brings, checked and ready to merge."""

    source: str
    """The file name as given."""
    kind: Literal["database", "bundle"]
    device: str
    """The laptop the sheets came from (the most common `device` of the records)."""
    submissions: list[dict[str, Any]] = field(default_factory=list)
    forms: list[dict[str, Any]] = field(default_factory=list)
    subjects: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[tuple[str, str, bytes | Path]] = field(default_factory=list)
    """(sheet uuid, path relative to attachments/<uuid>/, content or the file holding it)."""


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

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.conflicts
            or self.forms_added
            or self.subjects_added
            or self.events_added
            or self.attachments_added
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
        if extra:
            out.append("  同时带入：" + "，".join(extra))
        if self.known_conflicts:
            out.append(f"  另有 {self.known_conflicts} 张与已记录的冲突相同，未重复记录")
        if self.conflicts or self.known_conflicts:
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


def canonical(doc: Mapping[str, Any]) -> bytes:
    """The bytes two equal records share, whatever their key order."""
    return orjson.dumps(dict(doc), option=orjson.OPT_SORT_KEYS)


def _refuse(source: str, reason: str) -> ImportRefused:
    return ImportRefused(f"无法导入 {source}：{reason}。未做任何改动。")


# ---------------------------------------------------------------- checking what a source holds


def record_problem(doc: Any) -> str | None:
    """Why a submission record is unusable, or None."""
    if not isinstance(doc, dict):
        return "不是 JSON 对象"
    if not bf.safe_id(doc.get("uuid")):
        return f"编号 uuid 无效（{str(doc.get('uuid'))[:40]!r}）"
    revision = doc.get("revision")
    if type(revision) is not int or revision < 1:
        return "版本号 revision 无效"
    for key in ("form", "form_sha256", "subject", "rater"):
        if not isinstance(doc.get(key), str) or (key != "rater" and not doc[key]):
            return f"缺少 {key}"
    if not isinstance(doc.get("round"), str | int) or isinstance(doc.get("round"), bool):
        return "缺少 round"
    if doc.get("status") not in STATUSES:
        return f"状态 status 无效（{doc.get('status')!r}）"
    if not isinstance(doc.get("answers"), dict) or not isinstance(doc.get("vetoes", {}), dict):
        return "answers 格式不对"
    score = doc.get("score")
    if (
        not isinstance(score, dict)
        or not isinstance(score.get("total"), int | float)
        or not isinstance(score.get("items"), dict)
        or not isinstance(score.get("sections"), list)
    ):
        return "score 格式不对"
    for item_id, answer in doc["answers"].items():
        if not isinstance(answer, dict):
            return f"第 {item_id} 项的答案格式不对"
        for name in answer.get("attachments") or ():
            if problem := bf.relpath_problem(name):
                return f"第 {item_id} 项的附件名 {str(name)[:60]!r} {problem}"
    return None


def form_problem(doc: Any) -> str | None:
    """Why a stored form version is unusable, or None (its text must hash to its sha256)."""
    if not isinstance(doc, dict) or not all(
        isinstance(doc.get(k), str) for k in ("form", "sha256", "source")
    ):
        return "表单版本记录格式不对"
    if sha256_text(doc["source"]) != doc["sha256"]:
        return f"表单 {doc['form']} 的内容与其校验值不符"
    parsed = _form_id_of(doc["source"], doc["form"])
    if parsed.startswith("!"):
        return f"表单 {doc['form']} 无法解析（{parsed[1:]}）"
    if parsed != doc["form"]:
        return f"表单版本记录写的是 {doc['form']}，内容却是 {parsed}"
    return None


@lru_cache(maxsize=64)
def _form_id_of(source: str, name: str) -> str:
    """The form id a form text declares, or "!" + why it does not parse (cached: ten laptops
    carry the same few form versions, and parsing one is the slow part of checking a source)."""
    try:
        return parse_form_text(source, f"<{name}>").form
    except FormError as e:
        return "!" + str(e.problems[0] if e.problems else e)


def subject_problem(doc: Any) -> str | None:
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("id"), str)
        or not doc["id"]
        or not isinstance(doc.get("name"), str)
    ):
        return "对象记录格式不对"
    try:
        Subject.from_dict(doc)
    except (TypeError, ValueError):
        return f"对象 {doc['id']} 格式不对"
    return None


def _check_all(source: str, what: str, docs: list[Any], check) -> None:
    for index, doc in enumerate(docs, start=1):
        if problem := check(doc):
            raise _refuse(source, f"第 {index} 条{what}记录有问题：{problem}")


def _most_common_device(docs: Iterable[Mapping[str, Any]]) -> str:
    counts = Counter(str(d.get("device") or "") for d in docs)
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


def _checked(incoming: Incoming) -> Incoming:
    src = incoming.source
    _check_all(src, "评分表", incoming.submissions, record_problem)
    _check_all(src, "表单版本", incoming.forms, form_problem)
    _check_all(src, "对象", incoming.subjects, subject_problem)
    if not all(isinstance(e, dict) for e in incoming.events):
        raise _refuse(src, "日志记录格式不对")
    return incoming


def read_database(path: Path, shown: str | None = None) -> Incoming:
    """Another laptop's `inspect-kit.json`, checked by the Database layer's rules and more."""
    source = shown or path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise _refuse(source, f"无法读取（{e.strerror or e}）") from None
    if not raw.strip():
        raise _refuse(source, "文件是空的")
    try:
        data = parse_database_bytes(raw)
    except (AttributeError, TypeError):  # e.g. a `meta` table of the wrong shape
        raise _refuse(source, "不是可用的数据库文件（meta 表格式不对）") from None
    except BadDatabaseBytes as bad:
        if bad.newer is not None:
            raise _refuse(
                source, f"由更新版本的 inspect-kit 写入（schema {bad.newer}），请先升级"
            ) from None
        raise _refuse(source, f"不是可用的数据库文件（{bad.detail}）") from None
    for table, docs in data.items():
        if not all(isinstance(d, dict) and k.isascii() and k.isdigit() for k, d in docs.items()):
            raise _refuse(source, f"不是可用的数据库文件（表 {table!r} 的记录格式不对）")
    if LEGACY not in data and SHEETS not in data:
        if "drafts" in data:
            raise _refuse(
                source, "这是草稿库（drafts.json），只能导入已提交评分表的数据库 inspect-kit.json"
            )
        if "meta" not in data:
            raise _refuse(source, "不是 inspect-kit 的数据库（没有 submissions 表）")
    incoming = Incoming(
        source=source,
        kind="database",
        device="",
        submissions=list(data.get(LEGACY, {}).values()) + _read_shards(path, data, source),
        forms=list(data.get("forms", {}).values()),
        subjects=list(data.get("subjects", {}).values()),
        events=list(data.get("events", {}).values()),
    )
    _checked(incoming)
    incoming.device = _most_common_device(incoming.submissions)
    # Attachments kept beside that database (results/attachments/<uuid>/) come along too.
    folder = path.parent / bf.ATTACHMENTS
    if folder.is_dir() and not folder.is_symlink():
        skipped: list[str] = []
        for sheet_uuid in sorted({d["uuid"] for d in incoming.submissions}):
            for rel, file in bf.attachment_files(folder, sheet_uuid, skipped):
                incoming.attachments.append((sheet_uuid, rel, file))
    return incoming


def _read_shards(path: Path, data: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """The sheets of a database in the partitioned layout: every shard in the archive folder
    beside it. A shard its index names but that is not there is refused (the main file was
    copied without its archive folder)."""
    root = archive_dir(path)
    files = dict(shard_files(root)) if not root.is_symlink() else {}
    named = {r.get("shard") for r in (data.get(SHEETS) or {}).values() if isinstance(r, dict)}
    if missing := sorted(str(n) for n in named - set(files) - {"", None}):
        raise _refuse(
            source,
            f"评分表存放在旁边的 {root.name}/ 文件夹中，但缺少 {root.name}/{missing[0]}"
            "（请把数据库文件连同该文件夹一起复制）",
        )
    docs: list[dict[str, Any]] = []
    for rel, file in files.items():
        try:
            shard = parse_database_bytes(file.read_bytes())
        except OSError as e:
            raise _refuse(source, f"无法读取 {root.name}/{rel}（{e.strerror or e}）") from None
        except (AttributeError, TypeError):
            raise _refuse(source, f"{root.name}/{rel} 不是可用的分片文件") from None
        except BadDatabaseBytes as bad:
            why = bad.detail or f"由更新版本的 inspect-kit 写入（schema {bad.newer}），请先升级"
            raise _refuse(source, f"{root.name}/{rel} 已损坏（{why}）") from None
        docs += list((shard.get(LEGACY) or {}).values())
    return docs


def _zip_entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = (info.external_attr >> 16) & 0o170000
    if mode == 0o120000:
        return "是符号链接"
    if info.is_dir():
        return None if not bf.relpath_problem(name.rstrip("/")) else "路径不安全"
    if problem := bf.relpath_problem(name):
        return f"{problem}（可能试图写到别处）"
    if name not in (bf.MANIFEST, *bf.DATA_FILES) and bf.split_attachment_entry(name) is None:
        return "不是数据包应有的文件"
    return None


def _json_list(source: str, name: str, data: bytes) -> list[Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise _refuse(source, f"{name} 不是有效的 JSON") from None
    if not isinstance(value, list):
        raise _refuse(source, f"{name} 应为列表")
    return value


def read_bundle(path: Path, shown: str | None = None) -> Incoming:
    """A USB bundle: every entry name checked, every hash verified, then the content checked."""
    source = shown or path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise _refuse(source, f"不是有效的 zip 数据包（{e}）") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if len(names) != len(set(names)):
            raise _refuse(source, "数据包中有重名条目（可能被改动过）")
        for info in infos:
            if problem := _zip_entry_problem(info):
                raise _refuse(source, f"数据包条目 {info.filename!r} {problem}，已拒绝")
        if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
            raise _refuse(source, "数据包解压后过大")
        if bf.MANIFEST not in names:
            raise _refuse(source, "数据包缺少 manifest.json（不是 inspect-kit 数据包）")
        try:
            contents = {i.filename: zf.read(i) for i in infos if not i.is_dir()}
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise _refuse(source, f"数据包已损坏（{e}）") from None
    try:
        manifest = orjson.loads(contents.pop(bf.MANIFEST))
    except orjson.JSONDecodeError:
        raise _refuse(source, "manifest.json 不是有效的 JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != bf.FORMAT:
        raise _refuse(source, "manifest.json 不是 inspect-kit 数据包的清单")
    version = manifest.get("bundle_version")
    if type(version) is not int or version > bf.BUNDLE_VERSION:
        raise _refuse(source, f"数据包格式版本 {version!r} 不受支持，请升级 inspect-kit")
    hashes = manifest.get("files")
    if not isinstance(hashes, dict):
        raise _refuse(source, "manifest.json 缺少文件校验值")
    for name, data in contents.items():
        if name not in hashes:
            raise _refuse(source, f"数据包中的 {name} 不在清单上（可能被改动过）")
        if bf.sha256_bytes(data) != hashes[name]:
            raise _refuse(source, f"{name} 的校验值与清单不符（数据包被改动或已损坏）")
    if missing := sorted(set(hashes) - set(contents)):
        raise _refuse(source, f"清单上的 {missing[0]} 不在数据包中")
    for name in bf.DATA_FILES:
        if name not in contents:
            raise _refuse(source, f"数据包缺少 {name}")
    incoming = Incoming(
        source=source,
        kind="bundle",
        device=str(manifest.get("device") or ""),
        submissions=_json_list(source, bf.SHEETS, contents[bf.SHEETS]),
        forms=_json_list(source, bf.FORMS, contents[bf.FORMS]),
        subjects=_json_list(source, bf.SUBJECTS, contents[bf.SUBJECTS]),
        events=_json_list(source, bf.EVENTS, contents[bf.EVENTS]),
    )
    _checked(incoming)
    uuids = {d["uuid"] for d in incoming.submissions}
    for name, data in sorted(contents.items()):
        if (found := bf.split_attachment_entry(name)) is not None:
            sheet_uuid, rel = found
            if sheet_uuid not in uuids:
                raise _refuse(source, f"附件 {name} 不属于数据包中的任何评分表")
            incoming.attachments.append((sheet_uuid, rel, data))
    incoming.device = incoming.device or _most_common_device(incoming.submissions)
    return incoming


def read_source(path: Path, *, own_db: Path | None = None) -> Incoming:
    """A database file or a bundle (told apart by content, not by name), fully checked."""
    shown = str(path)
    if not path.exists():
        raise _refuse(shown, "找不到该文件")
    if path.is_dir():
        raise _refuse(shown, "这是一个文件夹；请给出数据库文件（inspect-kit.json）或数据包（.zip）")
    if own_db is not None and path.resolve() == own_db.resolve():
        raise _refuse(shown, "这就是本机正在使用的数据库")
    if zipfile.is_zipfile(path):
        return read_bundle(path, shown)
    return read_database(path, shown)


# ---------------------------------------------------------------- merging


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
        return tuple(
            v if isinstance(v := doc.get(k), str | int | float | type(None)) else repr(v)
            for k in ("event", "uuid", "at", "revision", "by", "device")
        )

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


def _subject_norm(doc: Mapping[str, Any]) -> dict[str, Any]:
    return Subject.from_dict(doc).to_dict()


def _conflict_versions(conflicts: dict[str, Any]) -> set[tuple[str, int, bytes]]:
    """(uuid, revision, canonical record) of every version any conflict already holds."""
    known = set()
    for doc in conflicts.values():
        for side in ("local", "incoming"):
            if isinstance(doc.get(side), dict):
                known.add((doc["uuid"], doc["revision"], canonical(doc[side])))
    return known


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
    with store.db.transaction() as db:
        data: dict[str, Any] = db.storage.read() or {}
        view = store._index(data)
        local_rows = {(r["uuid"], r["revision"]): r for r in view.rows}
        all_keys = {(d["uuid"], d["revision"]) for i in sources for d in i.submissions}
        both = [row for k in all_keys if (row := local_rows.get(k)) is not None]
        local = {(d["uuid"], d["revision"]): d for d in store._docs_for(data, view, both)}
        conflicts_table = dict(data.get(CONFLICTS) or {})
        known = _conflict_versions(conflicts_table)
        have_forms = {d["sha256"] for d in (data.get("forms") or {}).values()}
        have_subjects = {
            d["id"]: _subject_norm(d)
            for d in (data.get("subjects") or {}).values()
            if isinstance(d, dict) and "id" in d
        }
        have_events = _Events((data.get("events") or {}).values())
        new_subs: list[dict[str, Any]] = []
        new_conflicts: list[dict[str, Any]] = []
        new_forms: list[dict[str, Any]] = []
        new_subjects: list[dict[str, Any]] = []
        new_events: list[dict[str, Any]] = []
        for incoming, report in zip(sources, reports, strict=True):
            added_before = len(new_subs)
            docs = sorted(incoming.submissions, key=lambda d: (d["uuid"], d["revision"]))
            for doc in docs:
                key = (doc["uuid"], doc["revision"])
                mine = local.get(key)
                if mine is None:
                    local[key] = doc
                    new_subs.append(doc)
                    report.added += 1
                    continue
                theirs = canonical(doc)
                if canonical(mine) == theirs:
                    report.skipped += 1
                elif (*key, theirs) in known:
                    report.known_conflicts += 1
                else:
                    known.add((*key, theirs))
                    report.conflicts += 1
                    new_conflicts.append(
                        {
                            "uuid": doc["uuid"],
                            "revision": doc["revision"],
                            "form": doc["form"],
                            "round": str(doc["round"]),
                            "subject": doc["subject"],
                            "rater": doc["rater"],
                            "local": mine,
                            "incoming": doc,
                            "source": incoming.source,
                            "source_device": incoming.device,
                            "found_at": now_iso(),
                            "status": "open",
                        }
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
                raise _refuse(
                    incoming.source, f"评分表所用的表单版本（{'、'.join(lacking)}）不在文件中"
                )

            for doc in incoming.subjects:
                norm = _subject_norm(doc)
                if norm["id"] not in have_subjects:
                    have_subjects[norm["id"]] = norm
                    new_subjects.append(norm)
                    report.subjects_added += 1
                elif have_subjects[norm["id"]] != norm and norm["id"] not in report.subjects_differ:
                    report.subjects_differ.append(norm["id"])

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
                    }
                )
                have_events.add(imported)

        if any(r.changed for r in reports):
            store._prepare(data, view)
            store._put(data, new_subs)  # the sheets first, each touched shard written once
            data[CONFLICTS] = conflicts_table
            add_rows(conflicts_table, new_conflicts)
            add_rows(data.setdefault("forms", {}), new_forms)
            add_rows(data.setdefault("subjects", {}), new_subjects)
            add_rows(data.setdefault("events", {}), new_events)
            db.storage.write(data)  # then the main file: index rows, roster, events, conflicts
    for incoming, report in zip(sources, reports, strict=True):
        _write_attachments(store, incoming, report)
    return reports


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
            os.replace(tmp, dest)
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


# ---------------------------------------------------------------- conflicts


def conflicts(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Recorded conflicts, oldest first (open ones only unless include_resolved)."""
    with store.db.snapshot() as db:
        docs = [dict(d) for d in db.table(CONFLICTS).all()]
    docs = [d for d in docs if include_resolved or d.get("status") == "open"]
    return sorted(docs, key=lambda d: (d.get("found_at") or "", d["uuid"], d["revision"]))


def resolve_conflict(
    store: Store,
    sheet_uuid: str,
    revision: int | None,
    keep: Literal["local", "incoming"],
    *,
    who: str = "",
) -> dict[str, Any]:
    """Settle one open conflict. `incoming` replaces the local record of that (uuid, revision);
    the version not kept stays in the conflict record. Returns the resolved conflict."""
    if keep not in ("local", "incoming"):
        raise StoreError("--keep 只能是 local 或 incoming")
    with store.db.transaction() as db:
        data: dict[str, Any] = db.storage.read() or {}
        table = dict(data.get(CONFLICTS) or {})
        matches = [
            (k, d)
            for k, d in table.items()
            if d.get("status") == "open"
            and (
                d["uuid"] == sheet_uuid
                or (len(sheet_uuid) >= 6 and d["uuid"].startswith(sheet_uuid))
            )
            and (revision is None or d["revision"] == revision)
        ]
        if not matches:
            raise StoreError(
                f"没有编号为 {sheet_uuid} 的未处理冲突（inspect-kit results conflicts 查看）"
            )
        if len(matches) > 1:
            which = "、".join(f"{d['uuid'][:8]} 第 {d['revision']} 版" for _, d in matches[:5])
            raise StoreError(f"{sheet_uuid} 对应多个冲突（{which}）；请写全编号并给出版本号")
        doc_id, conflict = matches[0]
        conflict = {
            **conflict,
            "status": "resolved",
            "kept": keep,
            "resolved_at": now_iso(),
            "resolved_by": who,
        }
        table[doc_id] = conflict
        store._prepare(data, store._index(data))
        if keep == "incoming":
            key = (conflict["uuid"], conflict["revision"])
            rows = [r for r in (data.get(SHEETS) or {}).values()
                    if (r["uuid"], r["revision"]) == key]  # fmt: skip
            if rows:
                store._replace(data, conflict["incoming"], rows[0]["shard"])
            else:
                store._put(data, [conflict["incoming"]])
        events = dict(data.get("events") or {})
        add_rows(
            events,
            [
                {
                    "event": "conflict_resolved",
                    "uuid": conflict["uuid"],
                    "by": who,
                    "at": now_iso(),
                    "device": platform.node(),
                    "revision": conflict["revision"],
                    "kept": keep,
                    "source": conflict.get("source"),
                    "source_device": conflict.get("source_device"),
                }
            ],
        )
        db.storage.write({**data, CONFLICTS: table, "events": events})
    return conflict
