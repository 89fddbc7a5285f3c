"""Roster CSV import: the encodings people actually save, and bad rows reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_kit.base.errors import InspectKitError
from inspect_kit.intake.roster import decode_csv, read_roster

ROWS = ("id,name,kind,district,level,tags\n"
        "eb-101,东钱湖青少年科普教育基地,education-base,鄞州区,市级,科普;生态环保\n"
        "cm-101,白鹤街道关工委,committee,鄞州区,乡镇级,街道\n")  # fmt: skip


def write(tmp_path: Path, data: bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encode",
    [lambda t: t.encode("utf-8"), lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
     lambda t: t.encode("gb18030"), lambda t: t.replace("\n", "\r\n").encode("gb18030")],
    ids=["utf8", "utf8-bom", "gb18030", "gb18030-crlf"],
)  # fmt: skip
def test_roster_reads_utf8_bom_and_gb18030(tmp_path, encode):
    subjects = read_roster(write(tmp_path, encode(ROWS)))
    assert [(s.id, s.name, s.kind) for s in subjects] == [
        ("eb-101", "东钱湖青少年科普教育基地", "education-base"),
        ("cm-101", "白鹤街道关工委", "committee"),
    ]
    assert subjects[0].tags == ("科普", "生态环保") and subjects[0].district == "鄞州区"


def test_chinese_headers_are_understood(tmp_path):
    text = "编号,名称,类型,区县\neb-1,基地,education-base,海曙区\n"
    (subject,) = read_roster(write(tmp_path, text.encode("gb18030")))
    assert (subject.id, subject.name, subject.kind, subject.district) == (
        "eb-1", "基地", "education-base", "海曙区")  # fmt: skip


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(InspectKitError, match="kind"):
        read_roster(write(tmp_path, b"id,name\nx,y\n"))


def test_bad_rows_are_all_listed_by_line_and_nothing_is_returned(tmp_path):
    text = ("id,name,kind\n"
            "ok-1,好,committee\n"
            ",无编号,committee\n"          # line 3: empty id
            "bad id!,坏,committee\n"       # line 4: bad characters
            "ok-1,重复,committee\n"        # line 5: duplicate
            "ok-2,,committee\n"            # line 6: empty name
            "\n"
            "ok-3,好,committee\n")  # fmt: skip
    path = write(tmp_path, text.encode("utf-8"))
    with pytest.raises(InspectKitError) as info:
        read_roster(path)
    message = str(info.value)
    assert "未导入任何一行" in message
    for line in (3, 4, 5, 6):
        assert f"{path}:{line}:" in message
    assert f"{path}:2:" not in message and f"{path}:8:" not in message


def test_undecodable_bytes_get_a_plain_message(tmp_path):
    with pytest.raises(InspectKitError, match="编码"):
        decode_csv(b"\xff\xfe\x00\x81\xff" * 3, Path("x.csv"))


def test_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(InspectKitError, match="找不到"):
        read_roster(tmp_path / "none.csv")


def test_shipped_rosters_read_cleanly():
    folder = Path(__file__).resolve().parents[2] / "forms" / "rosters"
    kinds = set()
    for path in folder.glob("*.csv"):
        subjects = read_roster(path)
        assert len(subjects) >= 6, path
        kinds |= {s.kind for s in subjects}
        assert len({s.district for s in subjects}) >= 3, path
    assert kinds == {"education-base", "committee", "enterprise", "four-oclock-school"}
