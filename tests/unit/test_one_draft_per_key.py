"""One draft per form + subject + rater + round (issue 11 item 8): DraftsService is the one place
that refuses a second one (DraftExists carries the existing draft, so a front-end can offer it),
for a TUI session, plain mode's new sheet, an answer file and two windows at once. And a panel
that leaves out a rater's extra final sheet says so."""

from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner

from inspect_kit.base.rounds import RoundError
from inspect_kit.cli import cli
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.services.drafts import DraftExists, DraftsService
from inspect_kit.store.store import Store, Subject

FORM = "edu-base-inspection"


@pytest.fixture
def drafts(workspace) -> DraftsService:
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base"),
                        Subject("eb-002", "月湖红色记忆馆", "education-base")])  # fmt: skip
    return DraftsService(store, workspace, FormCatalog(workspace))


def start(drafts, subject="eb-001", rater="王建国", round_="2026"):
    loaded = drafts.catalog.get(FORM)
    return drafts.start(loaded, subject=subject, subject_name=subject, rater=rater, round=round_)


def test_a_second_start_of_the_same_sheet_raises_with_the_existing_draft(drafts):
    first = start(drafts)
    first.set_value("sign-posted", "规范")
    first.close()
    with pytest.raises(DraftExists) as info:
        start(drafts)
    assert info.value.record["uuid"] == first.sheet.uuid
    assert first.sheet.uuid[:8] in str(info.value) and "open it" in info.value.render("en")
    assert [d["uuid"] for d in drafts.store.drafts()] == [first.sheet.uuid]
    assert drafts.store.drafts()[0]["answers"]["sign-posted"]["value"] == "规范"
    # another subject, rater or round is another sheet
    for other in (start(drafts, subject="eb-002"), start(drafts, rater="李明华"),
                  start(drafts, round_="2026-1")):  # fmt: skip
        other.close()
    assert len(drafts.store.drafts()) == 4


def test_the_round_is_checked_and_stored_in_its_one_spelling(drafts):
    with pytest.raises(RoundError):
        start(drafts, round_="李明华")
    session = start(drafts, round_="2026上半年")
    session.close()
    assert drafts.store.draft(session.sheet.uuid)["round"] == "2026-1"
    with pytest.raises(DraftExists):
        start(drafts, round_="2026-1")


def test_plain_mode_and_answer_files_meet_the_same_rule(drafts):
    loaded = drafts.catalog.get(FORM)
    session = start(drafts)
    session.close()

    def fresh() -> Sheet:
        return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                     subject_name="红星教育基地", rater="王建国", round="2026")  # fmt: skip

    with pytest.raises(DraftExists):
        drafts.begin(loaded, fresh())
    with pytest.raises(DraftExists):
        drafts.store_new(loaded, fresh(), finalize=False)
    assert len(drafts.store.drafts()) == 1


def test_two_windows_starting_the_same_sheet_at_once_get_one_draft(drafts):
    results: list[object] = []
    barrier = threading.Barrier(4)

    def window() -> None:
        barrier.wait()
        try:
            session = start(drafts)
            results.append(session)
            session.close()
        except DraftExists as exc:
            results.append(exc)

    threads = [threading.Thread(target=window) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(not isinstance(r, DraftExists) for r in results) == 1
    assert len(drafts.store.drafts()) == 1


def test_an_answer_file_draft_beside_an_existing_draft_is_refused(workspace, drafts):
    session = start(drafts)
    session.close()
    answers = workspace.root / "a.yaml"
    answers.write_text("rater: 王建国\nsign-posted: 规范\nfinalize: false\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "fill", FORM,
                                      "--subject", "eb-001", "--round", "2026",
                                      "--answers", str(answers)])  # fmt: skip
    assert result.exit_code == 1
    assert f"已有同一张草稿 {session.sheet.uuid[:8]}" in result.output
    (only,) = Store(workspace).drafts()
    assert only["uuid"] == session.sheet.uuid and only["answers"] == {}


def test_a_panel_leaving_out_a_raters_extra_final_sheet_says_so(workspace, drafts):
    loaded = drafts.catalog.get(FORM)
    import random

    from inspect_kit.demo.generator import fill_sheet

    uuids = []
    for seed in (1, 2):  # the same rater finalizes two sheets for one subject and round
        sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                      subject_name="红星教育基地", rater="王建国", round="2026")  # fmt: skip
        fill_sheet(sheet, 0.8, random.Random(seed), complete=True, veto_rate=0)
        if uuids:
            time.sleep(1.1)  # finalized_at has whole seconds: the second one is the later
        drafts.store.finalize(sheet, loaded)
        uuids.append(sheet.uuid)
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "panel", FORM])
    assert result.exit_code == 0, result.output
    assert "王建国 对“红星教育基地”有多张已提交的评分表" in result.output
    assert f"只计最后提交的 {uuids[1][:8]}，未计 {uuids[0][:8]}" in result.output
    assert f"inspect-kit results void {uuids[0][:8]}" in result.output
