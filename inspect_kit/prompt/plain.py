"""Line-by-line filling (`inspect-kit fill FORM --subject ID --plain`) with questionary.

For screen-reader users, slow SSH sessions and typing up paper sheets: one question at a time,
sections and items in form order, every answer autosaved to the same drafts database as the
TUI. `<` typed at a text prompt (or "← 上一题" in a list) goes back one question. Ctrl-C or a
closed input saves the draft and prints the command that resumes it; that is handled in one
place, `PlainFill.run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from inspect_kit.answers import display_value, normalize_value
from inspect_kit.errors import AnswerError, InspectKitError
from inspect_kit.filling import (
    attachment_dir,
    attachment_names,
    check_photo,
    copy_attachments,
    deduction,
    set_answer,
)
from inspect_kit.forms import LoadedForm
from inspect_kit.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    Section,
    SignatureItem,
    Veto,
    YesNoItem,
)
from inspect_kit.prompt.io import BACK, Prompter
from inspect_kit.sheet import Sheet

NA = "__na__"
SKIP = "__skip__"
NA_WORDS = ("不适用", "na", "n/a")
TODAY_WORDS = ("今天", "today")


@dataclass
class FillResult:
    """How a plain fill ended: finalized, saved as a draft, or interrupted (draft saved)."""

    status: Literal["final", "saved", "interrupted"]
    sheet: Sheet
    record: dict[str, Any] | None = None


@dataclass(frozen=True)
class Step:
    """One question: an item of a section, or a veto (一票否决) at the end."""

    section: Section | None
    item: Item | None = None
    veto: Veto | None = None

    @property
    def key(self) -> str:
        return self.item.id if self.item else self.veto.id  # type: ignore[union-attr]


def run_plain_fill(
    store,
    loaded: LoadedForm,
    sheet: Sheet,
    *,
    input=None,
    output=None,
    stream=None,
    resume_command: str = "",
    attachments_root: Path | None = None,
) -> FillResult:
    """Fill `sheet` question by question, autosaving each answer; see the module docstring."""
    prompter = Prompter(input=input, output=output, stream=stream)
    if attachments_root is None and store.workspace is not None:
        attachments_root = store.workspace.attachments_dir
    return PlainFill(
        store,
        loaded,
        sheet,
        prompter,
        resume_command=resume_command,
        attachments_root=attachments_root,
    ).run()


def ask_resume(record: dict[str, Any], *, input=None, output=None, stream=None) -> bool:
    """Offer to resume an existing draft for the same form, subject, rater and round."""
    prompter = Prompter(input=input, output=output, stream=stream)
    answered = sum(
        1
        for a in (record.get("answers") or {}).values()
        if a.get("value") is not None or a.get("na")
    )
    saved = (record.get("saved_at") or "")[:16].replace("T", " ")
    return prompter.select(
        f"已有一份未完成的草稿（{answered} 题已答，保存于 {saved}）",
        [("继续这份草稿", True), ("新开一张（旧草稿保留）", False)],
        default=True,
    )


def ask_rater(*, input=None, output=None, stream=None) -> str:
    """The rater's name, asked once on the first fill."""
    prompter = Prompter(input=input, output=output, stream=stream)
    name = prompter.text(
        "评分人姓名（只问一次，之后可用 inspect-kit config rater 修改）",
        validate=lambda v: bool(v.strip()) or "请填写姓名",
    )
    return name.strip()


class PlainFill:
    def __init__(
        self,
        store,
        loaded: LoadedForm,
        sheet: Sheet,
        prompter: Prompter,
        *,
        resume_command: str = "",
        attachments_root: Path | None = None,
    ):
        self.store = store
        self.loaded = loaded
        self.sheet = sheet
        self.form = sheet.form
        self.ask = prompter
        self.say = prompter.say
        self.resume_command = resume_command
        self.attachments_root = attachments_root
        self.steps = [Step(section, item) for section, item in self.form.iter_items()]
        self.steps += [Step(None, veto=veto) for veto in self.form.vetoes]

    # ------------------------------------------------------------ the one place for Ctrl-C

    def run(self) -> FillResult:
        try:
            self.store.start_sheet(self.loaded, self.sheet)
            self.say(
                f"{self.form.title}｜{self.sheet.subject_name}（{self.sheet.subject}）"
                f"｜评分人 {self.sheet.rater}｜{self.sheet.round}"
            )
            self.say("提示：文字题输入 < 返回上一题；列表题选“← 上一题”。Ctrl-C 保存草稿并退出。")
            self.walk(self._start_index())
            return self.review()
        except (KeyboardInterrupt, EOFError):
            self.save()
            self.say("")
            self.say(f"已中断，草稿已保存（{self._answered_count()} 题已答）。")
            if self.resume_command:
                self.say(f"继续填写：{self.resume_command}")
            return FillResult("interrupted", self.sheet)

    # ------------------------------------------------------------ walking

    def _start_index(self) -> int:
        position = self.sheet.position
        for index, step in enumerate(self.steps):
            if step.key == position:
                return index
        return 0

    def _askable(self, index: int) -> bool:
        step = self.steps[index]
        if step.veto is not None:
            return True
        assert step.item is not None
        return not isinstance(step.item, NoteItem) and step.item.id in self.sheet.visible()

    def _previous(self, index: int) -> int | None:
        for back in range(index - 1, -1, -1):
            if self._askable(back):
                return back
        return None

    def walk(self, index: int = 0, only: set[str] | None = None) -> None:
        """Ask from `index` to the end; with `only`, just those step keys (still in order)."""
        shown: Section | None | Literal[False] = False
        while index < len(self.steps):
            step = self.steps[index]
            skip = only is not None and step.key not in only
            if (
                not skip
                and step.section is not shown
                and (step.item is None or self._askable(index) or isinstance(step.item, NoteItem))
            ):
                self._section_header(step)
                shown = step.section
            if skip or (step.item is not None and step.item.id not in self.sheet.visible()):
                index = self._advance(index, only)
                continue
            if isinstance(step.item, NoteItem):
                self.say(f"  ※ {step.item.text}")
                index = self._advance(index, only)
                continue
            previous = self._previous(index) if only is None else None
            result = self.ask_step(step, back=previous is not None)
            if result is BACK and previous is not None:
                index = previous
                continue
            index = self._advance(index, only)

    def _advance(self, index: int, only: set[str] | None) -> int:
        step = self.steps[index]
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        if (
            only is None
            and step.section is not None
            and (following is None or following.section is not step.section)
        ):
            self._section_total(step.section)
        return index + 1

    def _section_header(self, step: Step) -> None:
        self.say("")
        if step.section is None:
            self.say(f"── 一票否决项（是＝否决，不论得分评为“{self.form.veto_grade}”）──")
            return
        section = step.section
        worth = (
            f"加分项，最多加 {self.form.bonus_cap:g} 分"
            if section.bonus
            else f"{section.points:g} 分"
        )
        self.say(f"── {section.title}（{worth}）──")

    def _section_total(self, section: Section) -> None:
        record = self.sheet.score()
        current = next(s for s in record.sections if s.id == section.id)
        so_far = (
            f"累计 已得 {record.total:g} / 可得 {record.possible_so_far:g}"
            f"（满分 {self.form.total:g}）"
        )
        if record.bonus:
            so_far += f"，加分 {record.bonus:g}"
        if section.bonus:
            self.say(f"  ▸ {section.title}：加分 {current.earned_raw:g}；{so_far}")
        elif section.points > 0:
            self.say(
                f"  ▸ {section.title}：{round(current.scaled, 1):g} / "
                f"{round(current.possible_so_far, 1):g}；{so_far}"
            )
        self.save()

    # ------------------------------------------------------------ one question

    def ask_step(self, step: Step, *, back: bool) -> Any:
        """Ask one item or veto (and its note); returns BACK when the inspector went back."""
        if step.veto is not None:
            return self.ask_veto(step.veto, back=back)
        item = step.item
        assert item is not None
        self._describe(item)
        while True:
            raw = self.ask_value(item, back=back)
            if raw is BACK:
                return BACK
            self.apply(item, raw)
            self.sheet.position = item.id
            self.save()
            lost = deduction(self.sheet, item.id)
            if lost <= 0 or self.form.deduction_note == "off":
                return None
            if self.ask_note(item, lost) is not BACK:
                return None

    def _describe(self, item: Item) -> None:
        visible = [s for i, s in enumerate(self.steps) if self._askable(i) and s.item is not None]
        number = next((n for n, s in enumerate(visible, 1) if s.item is item), 0)
        worth = f"（{item.max_points:g} 分）" if item.scored else ""
        self.say(f"[{number}/{len(visible)}] {item.id}{worth}")
        if item.guidance:
            self.say(f"  检查要点：{item.guidance}")
        if item.methods:
            self.say(f"  方法：{'、'.join(item.methods)}")
        if item.hint:
            self.say(f"  提示：{item.hint}")
        if isinstance(item, NumberItem) and item.bands:
            unit = item.unit or ""
            bands = "；".join(
                f"≥{b.min:g}{unit} 得 {b.points:g} 分"
                for b in sorted(item.bands, key=lambda b: -b.min)
            )
            self.say(f"  计分：{bands}")

    def ask_value(self, item: Item, *, back: bool) -> Any:
        answer = self.sheet.answer(item.id)
        current = answer.value
        extras: list[tuple[str, Any]] = []
        if item.allow_na:
            extras.append(("不适用", NA))
        if not item.is_required:
            extras.append(("（不填）", SKIP))
        default = NA if answer.na else current
        if isinstance(item, YesNoItem):
            good = item.good == "yes"
            titles = [
                self._worth(item.labels[0], item.points if good else 0, item),
                self._worth(item.labels[1], 0 if good else item.points, item),
            ]
            choices = [(titles[0], True), (titles[1], False), *extras]
            return self.ask.select(item.text, choices, default, back=back)
        if isinstance(item, ChoiceItem):
            choices = [(self._worth(o.label, o.points, item), o.label) for o in item.options]
            return self.ask.select(item.text, [*choices, *extras], default, back=back)
        if isinstance(item, MultiItem) or (isinstance(item, DeductItem) and item.defects):
            return self._ask_ticks(item, current, answer.na, back=back)
        return self._ask_text(item, current, answer.na, back=back)

    @staticmethod
    def _worth(label: str, points: float, item: Item) -> str:
        return f"{label}（{points:g} 分）" if item.scored else label

    def _ask_ticks(
        self, item: MultiItem | DeductItem, current: Any, na: bool, *, back: bool
    ) -> Any:
        extras: list[tuple[str, Any]] = []
        if item.allow_na:
            extras.append(("不适用", NA))
        if back:
            extras.append(("← 上一题", BACK))
        if isinstance(item, MultiItem):
            choices = [(self._worth(o.label, o.points, item), o.label) for o in item.options]
            message = f"{item.text}（可多选）"
        else:
            choices = [(d, d) for d in item.defects]
            message = f"{item.text}：勾选发现的问题（每项扣 {item.per:g} 分，不勾＝没有问题）"
        checked = current if isinstance(current, list) else []
        ticked = self.ask.checkbox(message, choices, checked, extras)
        if BACK in ticked:
            return BACK
        if NA in ticked:
            return NA
        return ticked

    def _ask_text(self, item: Item, current: Any, na: bool, *, back: bool) -> Any:
        parts = []
        if isinstance(item, ScoreItem):
            parts.append(f"0–{item.max:g} 分，步长 {item.step:g}")
        elif isinstance(item, DeductItem):
            parts.append(f"发现几处问题，每处扣 {item.per:g} 分，0＝没有问题")
        elif isinstance(item, NumberItem) and item.unit:
            parts.append(f"单位：{item.unit}")
        elif isinstance(item, DateItem):
            parts.append("如 2026-05-01，或输入“今天”")
        elif isinstance(item, PhotoItem):
            parts.append("照片文件路径，多张用 ; 分隔")
        if item.allow_na:
            parts.append("输入“不适用”表示不适用")
        if not item.is_required:
            parts.append("可留空")
        if back:
            parts.append("< 返回上一题")
        default = "不适用" if na else self._as_text(item, current)
        if isinstance(item, SignatureItem) and not default:
            default = self.sheet.rater

        def validate(text: str) -> bool | str:
            text = text.strip()
            if not text or (item.allow_na and text.lower() in NA_WORDS):
                return True
            try:
                self._parse_text(item, text)
            except (AnswerError, InspectKitError) as exc:
                return str(exc)
            return True

        text = self.ask.text(
            item.text,
            default,
            validate,
            back=back,
            instruction=f"（{'；'.join(parts)}）" if parts else None,
        )
        if text is BACK:
            return BACK
        text = text.strip()
        if not text:
            if item.is_required:
                self.say("  （未填，提交前需要补上）")
            return SKIP
        if item.allow_na and text.lower() in NA_WORDS:
            return NA
        return self._parse_text(item, text)

    def _parse_text(self, item: Item, text: str) -> Any:
        if isinstance(item, DateItem) and text.lower() in TODAY_WORDS:
            return dt.date.today().isoformat()
        if isinstance(item, PhotoItem):
            return [
                self._photo_source(part)
                for part in text.replace("；", ";").split(";")
                if part.strip()
            ]
        return normalize_value(item, text)

    def _photo_source(self, text: str) -> Path:
        """An existing attachment of this sheet (kept), or a new file to copy in."""
        name = text.strip()
        if self.attachments_root is not None and "/" not in name and "\\" not in name:
            existing = attachment_dir(self.attachments_root, self.sheet.uuid) / name
            if existing.is_file():
                return existing
        return check_photo(name)

    @staticmethod
    def _as_text(item: Item, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(item, PhotoItem) and isinstance(value, list):
            return "; ".join(value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(item, NumberItem | DeductItem | ScoreItem):
            return str(value)
        return display_value(item, value)

    def apply(self, item: Item, raw: Any) -> None:
        if raw == NA:
            self.sheet.set_na(item.id, True)
        elif raw == SKIP:
            if self.sheet.answer(item.id).note:
                self.sheet.set_value(item.id, None)  # keep the note written earlier
            else:
                self.sheet.clear(item.id)
        elif isinstance(item, PhotoItem):
            self._apply_photos(item, raw)
        else:
            set_answer(self.sheet, item, raw)

    def _apply_photos(self, item: PhotoItem, sources: list[Path]) -> None:
        if self.attachments_root is None:
            raise InspectKitError("没有附件目录，不能保存照片")
        folder = attachment_dir(self.attachments_root, self.sheet.uuid).resolve()
        keep = [s.name for s in sources if s.resolve().parent == folder]
        new = [s for s in sources if s.resolve().parent != folder]
        names = attachment_names(new, taken=keep)
        copy_attachments(self.attachments_root, self.sheet.uuid, zip(new, names, strict=True))
        kept_and_new = iter(names)
        ordered = [s.name if s.resolve().parent == folder else next(kept_and_new) for s in sources]
        self.sheet.set_attachments(item.id, ordered)
        self.say(f"  已保存 {len(ordered)} 张照片到 {folder}")

    def ask_note(self, item: Item, lost: float) -> Any:
        required = self.form.deduction_note == "required"
        note = self.ask.text(
            f"扣分理由（扣 {lost:g} 分）",
            self.sheet.answer(item.id).note,
            (lambda v: bool(v.strip()) or "此表要求每处扣分写明理由") if required else None,
            back=True,
            instruction="（必填；< 返回修改得分）" if required else "（可留空；< 返回修改得分）",
        )
        if note is BACK:
            return BACK
        self.sheet.set_note(item.id, note)
        self.save()
        return None

    def ask_veto(self, veto: Veto, *, back: bool) -> Any:
        if veto.guidance:
            self.say(f"  依据：{veto.guidance}")
        current = self.sheet.answers.vetoes.get(veto.id)
        default = current.fired if current else None
        fired = self.ask.select(
            f"一票否决：{veto.text}",
            [("否（未发生）", False), ("是（一票否决）", True)],
            default,
            back=back,
        )
        if fired is BACK:
            return BACK
        note = current.note if current else ""
        if fired:
            note = self.ask.text("否决依据（可留空）", note)
        self.sheet.set_veto(veto.id, fired, note.strip() if fired else "")
        self.sheet.position = veto.id  # as the TUI does: ids are unique across items and vetoes
        self.save()
        return None

    # ------------------------------------------------------------ review

    def review(self) -> FillResult:
        while True:
            record = self.sheet.score()
            blockers = self.sheet.blockers(record)
            self.say("")
            self.say(
                f"总分 {record.shown_total()}，等次 {record.grade}"
                + (f"（{record.grade_reason}）" if record.grade_reason else "")
            )
            todo = self._todo(record)
            for line in todo[:12]:
                self.say(f"  · {line[1]}")
            if len(todo) > 12:
                self.say(f"  · ……另有 {len(todo) - 12} 项")
            choices = [("提交（定稿）", "finalize")]
            if todo:
                choices.insert(0, (f"补答未完成的 {len(todo)} 项", "todo"))
            choices += [("修改某一题", "change"), ("保存草稿并退出", "quit")]
            action = self.ask.select("下一步", choices, "todo" if todo else "finalize")
            if action == "todo":
                self.walk(0, only={key for key, _ in todo})
            elif action == "change":
                self.change()
            elif action == "quit":
                self.save()
                self.say(f"草稿已保存（{self._answered_count()} 题已答）。")
                if self.resume_command:
                    self.say(f"继续填写：{self.resume_command}")
                return FillResult("saved", self.sheet)
            elif blockers:
                self.say("还不能提交：" + "；".join(blockers))
            elif self.ask.confirm("提交后不能再修改（只能修订），确定提交？", default=True):
                doc = self.store.finalize(self.sheet, self.loaded)
                self.say(f"已提交：{doc['uuid']}  总分 {record.shown_total()}  {record.grade}")
                return FillResult("final", self.sheet, doc)

    def _todo(self, record) -> list[tuple[str, str]]:
        """(step key, plain words) for what blocks finalizing, in form order."""
        missing_notes = set(record.missing_notes)
        unanswered = set(record.unanswered)
        todo = []
        for step in self.steps:
            if step.veto is not None and step.veto.id in unanswered:
                todo.append((step.key, f"未答：一票否决 {step.veto.text}"))
            elif step.item is not None and step.item.id in unanswered:
                todo.append((step.key, f"未答：{step.item.text}"))
            elif step.item is not None and step.item.id in missing_notes:
                todo.append((step.key, f"缺扣分理由：{step.item.text}"))
        return todo

    def change(self) -> None:
        choices = []
        for index, step in enumerate(self.steps):
            if not self._askable(index):
                continue
            if step.veto is not None:
                answer = self.sheet.answers.vetoes.get(step.veto.id)
                shown = (
                    ""
                    if answer is None or answer.fired is None
                    else ("是" if answer.fired else "否")
                )
                choices.append((f"否决项 · {step.veto.text} = {shown or '未答'}", index))
                continue
            assert step.item is not None
            answer = self.sheet.answer(step.item.id)
            shown = "不适用" if answer.na else display_value(step.item, answer.value) or "未答"
            choices.append((f"{step.item.id} · {step.item.text[:24]} = {shown}", index))
        picked = self.ask.select("修改哪一题", choices, back=True)
        if picked is BACK:
            return
        self.ask_step(self.steps[picked], back=True)

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        self.store.save_draft(self.sheet)

    def _answered_count(self) -> int:
        return sum(1 for a in self.sheet.answers.items.values() if a.answered)
