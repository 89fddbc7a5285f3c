"""Imports verify what they are given (issue 16, item 4): stored scores are recomputed under
their form version, a revision needs its supersedes chain, reason and event, and field types
are checked; a source with any problem is refused with a listing and nothing changes."""

from __future__ import annotations

import pytest
from rel_helpers import assert_clean_failure, fill_demo, run_cli

from inspect_kit.base.paths import Workspace
from inspect_kit.base.signing import device_key
from inspect_kit.exports.bundle import write_bundle
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def bundle(store: Store, out, records, events=None):
    """A bundle signed by a real device key, as `results export` writes it: what is tested is
    that the content is verified even when the signature is good (a laptop can be wrong)."""
    shas = {r["form_sha256"] for r in records}
    write_bundle(
        out, records=records,
        form_versions=[f for f in store.form_versions() if f["sha256"] in shas],
        subjects=[s.to_dict() for s in store.subjects()],
        events=events if events is not None else store.events(),
        attachments_dir=None, device="laptop-x", kit_version="0.1.0",
        created_at="2026-05-01T10:00:00+08:00", signer=device_key(),
    )  # fmt: skip
    return out


@pytest.fixture
def laptop(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    ws.forms_dir.mkdir(parents=True)
    fill_demo(ws, seed=21)
    return Store(ws)


def files(ws):
    return {p: p.read_bytes() for p in ws.results_dir.rglob("*.json") if "backups" not in p.parts}


def refused(ws, path, *needles):
    before = files(ws)
    text = assert_clean_failure(run_cli(ws, "results", "import", str(path)))
    for needle in needles:
        assert needle in text, text
    assert files(ws) == before  # nothing written
    return text


def test_a_bundle_claiming_full_marks_is_refused(demo_workspace, laptop, tmp_path):
    records = laptop.submissions(all_revisions=True)
    for doc in records:
        doc["score"].update(total=100, final=100)
    text = refused(demo_workspace, bundle(laptop, tmp_path / "b.zip", records), "分数与重算不符")
    assert any(doc["uuid"][:8] in text for doc in records)  # the listing names the sheets


def test_a_lone_later_revision_of_a_local_sheet_is_refused(demo_workspace, laptop, tmp_path):
    local = Store(demo_workspace).submissions()[0]
    forged = dict(local, revision=7, status="void", supersedes=None, amend_reason=None)
    refused(demo_workspace, bundle(laptop, tmp_path / "b.zip", [forged]), "supersedes")
    forged.update(supersedes=6, amend_reason="作废")
    refused(demo_workspace, bundle(laptop, tmp_path / "c.zip", [forged]), "第 6 版")
    forged.update(revision=2, supersedes=1)  # chained, with a reason, but no event
    refused(demo_workspace, bundle(laptop, tmp_path / "d.zip", [forged], events=[]), "记录")


def test_a_real_void_with_its_chain_and_event_is_accepted(demo_workspace, laptop, tmp_path):
    sheet = laptop.submissions()[0]
    laptop.void(sheet["uuid"], "重复提交", "秘书")
    records = [d for d in laptop.submissions(all_revisions=True) if d["uuid"] == sheet["uuid"]]
    result = run_cli(demo_workspace, "results", "import", str(bundle(laptop, tmp_path / "v.zip",
                                                                      records)))  # fmt: skip
    assert result.exit_code == 0, result.output
    mine = Store(demo_workspace).submission(sheet["uuid"])
    assert mine["revision"] == 2 and mine["status"] == "void"


@pytest.mark.parametrize("field, value", [("round", 2026), ("subject_name", None),
                                          ("revision", "1")])  # fmt: skip
def test_wrong_field_types_are_refused_naming_the_field(demo_workspace, laptop, tmp_path,
                                                        field, value):  # fmt: skip
    records = laptop.submissions(all_revisions=True)
    records[0][field] = value
    refused(demo_workspace, bundle(laptop, tmp_path / "t.zip", records), field)
