"""base/forked.py: a function run in a forked copy comes back as it would run here (value,
user-facing error), a copy that dies or fails otherwise costs a rerun here, never the result;
and the `chart` command writes the same files, byte for byte, read in a copy or here."""

from __future__ import annotations

import os
import threading
import time

import pytest
from click.testing import CliRunner

from inspect_kit.base import forked
from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.forked import Forked
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def test_the_value_is_computed_in_the_copy_and_comes_back():
    here = os.getpid()
    pid, data = Forked(lambda: (os.getpid(), {"a": [1.5, "评分"]}), fork=True).result()
    assert pid != here
    assert data == {"a": [1.5, "评分"]}


def test_without_a_fork_the_function_runs_here_when_asked():
    calls = []
    job = Forked(lambda: calls.append(os.getpid()) or "done", fork=False)
    assert calls == []  # nothing ran yet
    assert job.result() == "done"
    assert calls == [os.getpid()]


def test_a_user_facing_error_comes_back_as_itself_with_its_code():
    def fail():
        raise InspectKitError(code="sync.not_set_up", command="inspect-kit sync init")

    with pytest.raises(InspectKitError) as caught:
        Forked(fail, fork=True).result()
    here = InspectKitError(code="sync.not_set_up", command="inspect-kit sync init")
    assert str(caught.value) == str(here)
    assert caught.value.render("en") == here.render("en")


def test_a_copy_that_dies_costs_a_rerun_here_not_the_result():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os._exit(3)  # killed mid-way, as by the OOM killer
        return "from the parent"

    assert Forked(work, fork=True).result() == "from the parent"


def test_any_other_error_is_met_again_here_with_its_own_traceback():
    ran_here = []
    parent = os.getpid()

    def broken():
        if os.getpid() == parent:
            ran_here.append(True)
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        Forked(broken, fork=True).result()
    assert ran_here == [True]


def test_a_result_that_does_not_pickle_is_computed_here():
    parent = os.getpid()
    value = Forked(lambda: lambda: os.getpid() == parent, fork=True).result()
    assert value() is True


def test_close_stops_a_copy_whose_result_is_not_wanted():
    job = Forked(lambda: time.sleep(30), fork=True)
    started = time.perf_counter()
    job.close()
    assert time.perf_counter() - started < 5
    job.close()  # twice is harmless


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forked.forking_pays()
    finally:
        stop.set()
        other.join()


FORM = "edu-base-inspection"


@pytest.fixture
def charted(workspace, store):
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=5, raters=3, rounds=1, seed=5,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return workspace


@pytest.mark.parametrize("kinds", [["hist"], ["all"]])
def test_chart_writes_the_same_files_read_in_a_copy_or_here(charted, monkeypatch, tmp_path, kinds):
    def chart(fork: bool, out: str):
        monkeypatch.setattr(forked, "forking_pays", lambda: fork)
        args = ["--workspace", str(charted.root), "chart", FORM, "--out", str(tmp_path / out)]
        for kind in kinds:
            args += ["--kind", kind]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return {p.name: p.read_bytes() for p in (tmp_path / out).iterdir()}

    in_copy, here = chart(True, "copy"), chart(False, "here")
    assert in_copy == here
    assert len(here) >= (5 + 5 if kinds == ["all"] else 1)  # every kind, a radar per subject


def test_chart_says_an_unknown_subject_the_same_read_in_a_copy_or_here(charted, monkeypatch):
    outputs = []
    for fork in (True, False):
        monkeypatch.setattr(forked, "forking_pays", lambda fork=fork: fork)
        result = CliRunner().invoke(cli, ["--workspace", str(charted.root), "chart", FORM,
                                          "--kind", "radar", "--subject", "nope"])  # fmt: skip
        assert result.exit_code == 1
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    assert "nope" in outputs[0]
    assert not (charted.results_dir / "charts").exists()  # nothing drawn before the error
