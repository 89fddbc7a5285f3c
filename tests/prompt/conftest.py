"""Fixtures for the questionary front-end: a small form covering the prompt kinds, and a driver
that feeds keys through prompt_toolkit's pipe input (closed afterwards, so a wrong key sequence
ends in EOFError instead of hanging the test)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from inspect_kit.formfiles.loader import load_form_file
from inspect_kit.store.store import Subject

DOWN, UP, ENTER, SPACE, CTRL_C, CTRL_U = "\x1b[B", "\x1b[A", "\r", " ", "\x03", "\x15"
TAB = "\t"


def pick(n: int) -> str:
    """The n-th option of a plain list (1 = first): every list opens on "leave as it is"."""
    return DOWN * n + ENTER


def none_of(n_options: int) -> str:
    """Tick "none of these" below a checklist of n options (the separator is skipped)."""
    return DOWN * n_options + SPACE + ENTER


# The review menu without open questions: 列出全部答案, 跳到某一题, 提交, 保存草稿并退出;
# finalizing then asks with 先不提交 highlighted.
FINALIZE = DOWN * 2 + ENTER + DOWN + ENTER

MINI_FORM = """\
form: mini
version: 1
title: 小表
subject: education-base
total: 10
grades:
  - {grade: 合格, min: 6}
  - {grade: 不合格, min: 0}
deduction_note: required
sections:
  - id: a
    title: 一、甲
    points: 6
    items:
      - {id: a-yes, type: yesno, text: 有标牌, points: 2, labels: [有, 无]}
      - id: a-choice
        type: choice
        text: 场所
        options: [{label: 好, points: 2}, {label: 差, points: 0}]
      - {id: a-deduct, type: deduct, text: 隐患, max: 2, per: 1}
  - id: b
    title: 二、乙
    points: 4
    items:
      - {id: b-score, type: score, text: 设施, max: 2}
      - {id: b-defects, type: deduct, text: 制度, max: 2, per: 1, defects: [甲制度, 乙制度]}
      - {id: b-need, type: yesno, text: 需整改, required: true}
      - {id: b-what, type: text, text: 整改事项, show_if: "b-need == '是'"}
vetoes:
  - {id: v-safety, text: 安全事故}
"""


@pytest.fixture
def mini_form(workspace):
    path = workspace.forms_dir / "mini.yaml"
    path.write_text(MINI_FORM, encoding="utf-8")
    return load_form_file(path)


@pytest.fixture
def roster(store):
    store.add_subjects(
        [
            Subject("eb-001", "红星教育基地", "education-base"),
            Subject("eb-002", "青山教育基地", "education-base"),
        ]
    )
    return store


@dataclass
class Driven:
    result: object
    text: str


@pytest.fixture
def drive():
    """drive(fn, keys, **kwargs): run fn(input=, output=, stream=, **kwargs) on the keys."""

    def run(fn, keys: str, **kwargs) -> Driven:
        stream = io.StringIO()
        with create_pipe_input() as inp:
            inp.send_text(keys)
            inp.close()
            result = fn(input=inp, output=DummyOutput(), stream=stream, **kwargs)
        return Driven(result, stream.getvalue())

    return run
