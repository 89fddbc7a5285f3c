"""Reading what another laptop sends: its database file (with its archive folder) or a USB
bundle, checked completely before anything is merged (DESIGN §4, issue 6).

A damaged, foreign or tampered source is refused with the reason (ImportRefused) and nothing
changes. Every record is checked for the keys and types the kit relies on, every form version
hashes to its sha256 and parses, every bundle entry name and hash is verified.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.errors import FormError, StoreError
from inspect_kit.base.gc_pause import gc_paused
from inspect_kit.domain.rectification import record_problem as rectification_problem
from inspect_kit.domain.subject import Subject
from inspect_kit.formfiles.loader import parse_form_text, sha256_text
from inspect_kit.store.archive import LEGACY, ROSTER, SUBJECTS, archive_dir, shard_files
from inspect_kit.store.ledger import with_companions
from inspect_kit.store.parsing import BadDatabaseBytes, parse_database_bytes
from inspect_kit.store.shard_names import SHARDS, SHEETS
from inspect_kit.store.verify import stored_form

MAX_BUNDLE_BYTES = 512 * 1024**2  # uncompressed: a term's sheets with photos fit many times over
MAX_RATIO = 100  # uncompressed / compressed: JSON deflates ~10x, photos ~1x; a bomb 1000x+
RATIO_FROM = 1024**2  # entries smaller than this may compress as they like
CHUNK = 1024**2
STATUSES = ("final", "void")


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
    rectifications: list[dict[str, Any]] = field(default_factory=list)
    """Every revision of the rectification items it holds (整改项, issue 13)."""
    attachments: list[tuple[str, str, bytes | Path]] = field(default_factory=list)
    """(sheet uuid, path relative to attachments/<uuid>/, content or the file holding it)."""


def refuse(source: str, reason: str) -> ImportRefused:
    """The refusal of a source, in plain words."""
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
        if names := answer.get("attachments"):
            if not isinstance(names, list):  # the kit writes a list; anything else raised
                return f"第 {item_id} 项的附件列表格式不对"
            for name in names:
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
    form = stored_form(doc["source"])  # parsed once per version, also for re-scoring
    parsed = form.form if not isinstance(form, str) else _form_id_of(doc["source"], doc["form"])
    if parsed.startswith("!"):
        return f"表单 {doc['form']} 无法解析（{parsed[1:]}）"
    if parsed != doc["form"]:
        return f"表单版本记录写的是 {doc['form']}，内容却是 {parsed}"
    return None


def _form_id_of(source: str, name: str) -> str:
    """The form id a form text declares, or "!" + why it does not parse (the reason located
    in the version's name; only for a text that does not parse)."""
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


def _check_all(source: str, what: str, docs: list[Any], check: Callable[[Any], str | None]) -> None:
    for index, doc in enumerate(docs, start=1):
        if problem := check(doc):
            raise refuse(source, f"第 {index} 条{what}记录有问题：{problem}")


def most_common_device(docs: Iterable[Mapping[str, Any]]) -> str:
    counts = Counter(str(d.get("device") or "") for d in docs)
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


def _checked(incoming: Incoming) -> Incoming:
    src = incoming.source
    _check_all(src, "评分表", incoming.submissions, record_problem)
    _check_all(src, "表单版本", incoming.forms, form_problem)
    _check_all(src, "对象", incoming.subjects, subject_problem)
    if not all(isinstance(e, dict) for e in incoming.events):
        raise refuse(src, "日志记录格式不对")
    _check_all(src, "整改项", incoming.rectifications, rectification_problem)
    return incoming


def read_database(path: Path, shown: str | None = None) -> Incoming:
    """Another laptop's `inspect-kit.json`, checked by the Database layer's rules and more."""
    source = shown or path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise refuse(source, f"无法读取（{e.strerror or e}）") from None
    if not raw.strip():
        raise refuse(source, "文件是空的")
    try:
        data = parse_database_bytes(raw)
    except (AttributeError, TypeError):  # e.g. a `meta` table of the wrong shape
        raise refuse(source, "不是可用的数据库文件（meta 表格式不对）") from None
    except BadDatabaseBytes as bad:
        if bad.newer is not None:
            raise refuse(
                source, f"由更新版本的 inspect-kit 写入（schema {bad.newer}），请先升级"
            ) from None
        raise refuse(source, f"不是可用的数据库文件（{bad.detail}）") from None
    for table, docs in data.items():
        if not all(isinstance(d, dict) and k.isascii() and k.isdigit() for k, d in docs.items()):
            raise refuse(source, f"不是可用的数据库文件（表 {table!r} 的记录格式不对）")
    try:
        data = with_companions(archive_dir(path), data)  # its index rows and events
    except ValueError as e:
        raise refuse(source, str(e)) from None
    if LEGACY not in data and SHEETS not in data and SHARDS not in data:
        if "drafts" in data:
            raise refuse(
                source, "这是草稿库（drafts.json），只能导入已提交评分表的数据库 inspect-kit.json"
            )
        if "meta" not in data:
            raise refuse(source, "不是 inspect-kit 的数据库（没有 submissions 表）")
    incoming = Incoming(
        source=source,
        kind="database",
        device="",
        submissions=list(data.get(LEGACY, {}).values()) + _read_shards(path, data, source),
        forms=list(data.get("forms", {}).values()),
        subjects=list(data.get("subjects", {}).values()) + _read_roster(path, source),
        events=list(data.get("events", {}).values()),
        rectifications=list(data.get("rectifications", {}).values()),
    )
    _checked(incoming)
    incoming.device = most_common_device(incoming.submissions)
    # Attachments kept beside that database (results/attachments/<uuid>/) come along too.
    folder = path.parent / bf.ATTACHMENTS
    if folder.is_dir() and not folder.is_symlink():
        skipped: list[str] = []
        owners = {d["uuid"] for d in incoming.submissions + incoming.rectifications}
        for sheet_uuid in sorted(owners):
            for rel, file in bf.attachment_files(folder, sheet_uuid, skipped):
                incoming.attachments.append((sheet_uuid, rel, file))
    return incoming


def _read_roster(path: Path, source: str) -> list[dict[str, Any]]:
    """The roster file beside that database (archive/.roster/subjects.json), if any."""
    file = archive_dir(path) / ROSTER
    if not file.is_file() or file.is_symlink():
        return []
    try:
        data = parse_database_bytes(file.read_bytes())
    except OSError as e:
        raise refuse(source, f"无法读取名单 {ROSTER}（{e.strerror or e}）") from None
    except (BadDatabaseBytes, AttributeError, TypeError):
        raise refuse(source, f"名单文件 {ROSTER} 不是可用的数据库文件") from None
    return list((data.get(SUBJECTS) or {}).values())


def _read_shards(path: Path, data: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """The sheets of a database in the partitioned layout: every shard in the archive folder
    beside it. A shard its index names but that is not there is refused (the main file was
    copied without its archive folder)."""
    root = archive_dir(path)
    files = dict(shard_files(root)) if not root.is_symlink() else {}
    named = {r.get("shard") for r in (data.get(SHEETS) or {}).values() if isinstance(r, dict)}
    if missing := sorted(str(n) for n in named - set(files) - {"", None}):
        raise refuse(
            source,
            f"评分表存放在旁边的 {root.name}/ 文件夹中，但缺少 {root.name}/{missing[0]}"
            "（请把数据库文件连同该文件夹一起复制）",
        )
    docs: list[dict[str, Any]] = []
    for rel, file in files.items():
        try:
            shard = parse_database_bytes(file.read_bytes())
        except OSError as e:
            raise refuse(source, f"无法读取 {root.name}/{rel}（{e.strerror or e}）") from None
        except (AttributeError, TypeError):
            raise refuse(source, f"{root.name}/{rel} 不是可用的分片文件") from None
        except BadDatabaseBytes as bad:
            why = bad.detail or f"由更新版本的 inspect-kit 写入（schema {bad.newer}），请先升级"
            raise refuse(source, f"{root.name}/{rel} 已损坏（{why}）") from None
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
    known = (bf.MANIFEST, *bf.DATA_FILES, *bf.OPTIONAL_FILES)
    if name not in known and bf.split_attachment_entry(name) is None:
        return "不是数据包应有的文件"
    return None


def _json_list(source: str, name: str, data: bytes) -> list[Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise refuse(source, f"{name} 不是有效的 JSON") from None
    if not isinstance(value, list):
        raise refuse(source, f"{name} 应为列表")
    return value


def _check_bundle_sizes(source: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb before reading anything (issue 16, item 9): the total uncompressed
    size is capped, and so is the ratio of an entry's size to its compressed size."""
    total = sum(i.file_size for i in infos)
    if total > MAX_BUNDLE_BYTES:
        raise refuse(source, f"数据包解压后过大（{total // 1024**2} MB，上限 "
                             f"{MAX_BUNDLE_BYTES // 1024**2} MB）")  # fmt: skip
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(source, f"数据包条目 {info.filename!r} 的压缩比异常（可能是 zip 炸弹）")


def _read_entry(source: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry, read in chunks and never past the size its header declares (zipfile checks
    the CRC at the end), so a lying header cannot make the read grow without bound."""
    parts, size = [], 0
    with zf.open(info) as f:
        while chunk := f.read(CHUNK):
            size += len(chunk)
            if size > info.file_size or size > MAX_BUNDLE_BYTES:
                raise refuse(source, f"数据包条目 {info.filename!r} 比声明的大（可能被改动过）")
            parts.append(chunk)
    return b"".join(parts)


def read_bundle(path: Path, shown: str | None = None) -> Incoming:
    """A USB bundle: every entry name checked, every hash verified, then the content checked."""
    source = shown or path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise refuse(source, f"不是有效的 zip 数据包（{e}）") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if len(names) != len(set(names)):
            raise refuse(source, "数据包中有重名条目（可能被改动过）")
        for info in infos:
            if problem := _zip_entry_problem(info):
                raise refuse(source, f"数据包条目 {info.filename!r} {problem}，已拒绝")
        _check_bundle_sizes(source, infos)
        if bf.MANIFEST not in names:
            raise refuse(source, "数据包缺少 manifest.json（不是 inspect-kit 数据包）")
        try:
            contents = {i.filename: _read_entry(source, zf, i) for i in infos if not i.is_dir()}
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise refuse(source, f"数据包已损坏（{e}）") from None
    try:
        manifest = orjson.loads(contents.pop(bf.MANIFEST))
    except orjson.JSONDecodeError:
        raise refuse(source, "manifest.json 不是有效的 JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != bf.FORMAT:
        raise refuse(source, "manifest.json 不是 inspect-kit 数据包的清单")
    version = manifest.get("bundle_version")
    if type(version) is not int or version > bf.BUNDLE_VERSION:
        raise refuse(source, f"数据包格式版本 {version!r} 不受支持，请升级 inspect-kit")
    hashes = manifest.get("files")
    if not isinstance(hashes, dict):
        raise refuse(source, "manifest.json 缺少文件校验值")
    for name, data in contents.items():
        if name not in hashes:
            raise refuse(source, f"数据包中的 {name} 不在清单上（可能被改动过）")
        if bf.sha256_bytes(data) != hashes[name]:
            raise refuse(source, f"{name} 的校验值与清单不符（数据包被改动或已损坏）")
    if missing := sorted(set(hashes) - set(contents)):
        raise refuse(source, f"清单上的 {missing[0]} 不在数据包中")
    for name in bf.DATA_FILES:
        if name not in contents:
            raise refuse(source, f"数据包缺少 {name}")
    incoming = Incoming(
        source=source,
        kind="bundle",
        device=str(manifest.get("device") or ""),
        submissions=_json_list(source, bf.SHEETS, contents[bf.SHEETS]),
        forms=_json_list(source, bf.FORMS, contents[bf.FORMS]),
        subjects=_json_list(source, bf.SUBJECTS, contents[bf.SUBJECTS]),
        events=_json_list(source, bf.EVENTS, contents[bf.EVENTS]),
        rectifications=(
            _json_list(source, bf.RECTIFICATIONS, contents[bf.RECTIFICATIONS])
            if bf.RECTIFICATIONS in contents
            else []
        ),  # fmt: skip
    )
    _checked(incoming)
    uuids = {d["uuid"] for d in incoming.submissions + incoming.rectifications}
    for name, data in sorted(contents.items()):
        if (found := bf.split_attachment_entry(name)) is not None:
            sheet_uuid, rel = found
            if sheet_uuid not in uuids:
                raise refuse(source, f"附件 {name} 不属于数据包中的任何评分表")
            incoming.attachments.append((sheet_uuid, rel, data))
    incoming.device = incoming.device or most_common_device(incoming.submissions)
    return incoming


def read_source(path: Path, *, own_db: Path | None = None) -> Incoming:
    """A database file or a bundle (told apart by content, not by name), fully checked."""
    shown = str(path)
    if not path.exists():
        raise refuse(shown, "找不到该文件")
    if path.is_dir():
        raise refuse(shown, "这是一个文件夹；请给出数据库文件（inspect-kit.json）或数据包（.zip）")
    if own_db is not None and path.resolve() == own_db.resolve():
        raise refuse(shown, "这就是本机正在使用的数据库")
    with gc_paused():  # a source's parsed tree: many dicts, no cycles (base.gc_pause)
        return read_bundle(path, shown) if zipfile.is_zipfile(path) else read_database(path, shown)
