"""`inspect-kit fill FORM --subject ID (--plain | --answers FILE)` and `results import-sheets`.

Exit codes: 0 finalized or draft saved; 1 a user-facing error (nothing stored); 2 usage;
130 a plain fill interrupted with Ctrl-C (the draft is saved and the resume command printed).
questionary is imported only after the terminal check, inside the command body.
"""

from __future__ import annotations

from pathlib import Path

import click

from inspect_kit.base.safe_text import safe_text
from inspect_kit.cli import Kit, UserError, pass_kit, require_terminal
from inspect_kit.i18n.catalog import tr

EXIT_INTERRUPTED = 130


def no_tty_hint(kit: Kit) -> str:
    command = kit.command("fill", "FORM", "--subject", "ID", "--answers", "answers.yaml")
    return tr("cli.fill.no_terminal", kit.lang, command=command)


@click.command()
@click.argument("form_id", metavar="FORM")
@click.option("--subject", "subject_id", required=True, help="Subject id from the roster.")
@click.option("--rater", help="Rater name (default: `inspect-kit config rater`).")
@click.option("--round", "round_", help="Round, e.g. 2026 (default: setting, else this year).")
@click.option("--plain", is_flag=True, help="Ask item by item in the terminal (questionary).")
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fill without prompts from a YAML/JSON answer file.",
)
@pass_kit
def fill(
    kit: Kit,
    form_id: str,
    subject_id: str,
    rater: str | None,
    round_: str | None,
    plain: bool,
    answers_path: Path | None,
) -> None:
    """逐题填写或从答案文件填写 / fill a sheet line by line (--plain) or from a file (--answers).

    \b
    Answer file (YAML or JSON):
      sign-posted: 规范              # item id: value
      site-safety: {value: 2, note: 两处灭火器过期}
      facility-access: {na: true}
      rater: 王建国                   # optional: rater, round
      finalize: true                 # false: save as a draft (default true)
      vetoes: {veto-safety: false, veto-fees: {fired: true, note: 收费}}
      rectify: {site-safety: 2026-06-30}   # deductions to rectify, by (true: default)
    """
    if plain == (answers_path is not None):
        raise click.UsageError(
            "请选择一种方式：--plain（逐题提问）或 --answers FILE（从文件读答案）。"
        )
    if plain:
        require_terminal(tr("cli.what.plain", kit.lang), no_tty_hint(kit), kit.lang)
        _fill_plain(kit, form_id, subject_id, rater, round_)
    else:
        assert answers_path is not None
        _fill_from_file(kit, form_id, subject_id, rater, round_, answers_path)


def _subject(kit: Kit, subject_id: str, form) -> tuple[str, str]:
    subject = kit.store.subject(subject_id)
    if subject is None:
        command = kit.command("subjects", "add", "--id", subject_id, "--name", "名称",
                              "--kind", form.subject)  # fmt: skip
        raise UserError(tr("cli.fill.no_subject", kit.lang, subject=subject_id, command=command))
    if subject.kind and subject.kind != form.subject:
        click.echo(
            f"注意：{subject_id} 的类别是 {subject.kind}，表单 {form.form} 评的是 {form.subject}。",
            err=True,
        )
    return subject.id, subject.name


def _resume_command(kit: Kit, form_id: str, subject_id: str, rater: str, round_: str) -> str:
    return kit.command("fill", form_id, "--subject", subject_id, "--rater", rater,
                       "--round", round_, "--plain")  # fmt: skip


def _fill_plain(
    kit: Kit, form_id: str, subject_id: str, rater: str | None, round_: str | None
) -> None:
    from inspect_kit.base.config import update_setting
    from inspect_kit.domain.sheet import Sheet
    from inspect_kit.domain.subject import SubjectFacts
    from inspect_kit.prompt.plain import ask_rater, ask_resume, run_plain_fill

    loaded = kit.catalog.get(form_id)
    subject, subject_name = _subject(kit, subject_id, loaded.form)
    from inspect_kit.base.rounds import parse_round
    from inspect_kit.services.drafts import DraftExists

    rater = (rater or kit.default_rater()).strip()
    round_ = parse_round(round_ or kit.default_round())
    store = kit.store
    lang = kit.lang
    sheet = None
    try:
        if not rater:
            rater = ask_rater(lang=lang)
            update_setting("rater", rater)
            click.echo(tr("plain.rater.kept", lang, rater=rater))
        draft = kit.drafts.find(loaded.form.form, subject, rater, round_)
        if draft is not None:
            kit.drafts.refuse_if_open(draft["uuid"])  # before any question: nothing to lose
        if draft is not None and ask_resume(draft, lang=lang):
            sheet = store.load_sheet(draft, loaded)
        elif draft is not None:  # one draft per form, subject, rater and round: no second one
            raise DraftExists(draft)
    except EOFError:
        raise UserError(tr("plain.input.ended", lang)) from None
    if sheet is None:
        sheet = Sheet(
            form=loaded.form,
            form_sha256=loaded.sha256,
            subject=subject,
            subject_name=subject_name,
            rater=rater,
            round=round_,
            facts=SubjectFacts.of(kit.store.subject(subject)),
        )
        kit.drafts.begin(loaded, sheet)  # refused if another window started it meanwhile
    command = _resume_command(kit, loaded.form.form, subject, rater, round_)
    result = run_plain_fill(store, loaded, sheet, resume_command=command, lang=lang)
    if result.status == "interrupted":
        click.get_current_context().exit(EXIT_INTERRUPTED)


def _fill_from_file(
    kit: Kit, form_id: str, subject_id: str, rater: str | None, round_: str | None, path: Path
) -> None:
    from inspect_kit.base.errors import Located
    from inspect_kit.base.rounds import parse_round
    from inspect_kit.domain.sheet import Sheet
    from inspect_kit.domain.subject import SubjectFacts
    from inspect_kit.intake.answer_file import expand_veto_list, read_answer_file
    from inspect_kit.intake.entries import AnswerFileError, apply_entries
    from inspect_kit.services.drafts import DraftExists

    loaded = kit.catalog.get(form_id)
    form = loaded.form
    answers = read_answer_file(path)
    problems = list(answers.problems)
    if answers.form and answers.form != form.form:
        problems.append(
            Located(str(path), None, "form", f"文件是表单 {answers.form} 的答案，不是 {form.form}")
        )
    if answers.subject and answers.subject != subject_id:
        problems.append(
            Located(
                str(path),
                None,
                "subject",
                f"文件是对象 {answers.subject} 的答案，不是 {subject_id}",
            )
        )
    subject, subject_name = _subject(kit, subject_id, form)
    rater = (rater or answers.rater or kit.default_rater()).strip()
    if not rater:
        problems.append(
            Located(
                str(path),
                None,
                "rater",
                "没有评分人：在文件中写 rater，或用 --rater，或 inspect-kit config rater 名字",
            )
        )
    round_ = parse_round(round_ or answers.round or kit.default_round())
    sheet = Sheet(
        form=form,
        form_sha256=loaded.sha256,
        subject=subject,
        subject_name=subject_name,
        rater=rater,
        round=round_,
        role=answers.role or "inspector",
        facts=SubjectFacts.of(kit.store.subject(subject)),
    )
    applied = apply_entries(
        sheet,
        answers.entries,
        expand_veto_list(form, answers.vetoes),
        path=str(path),
        base=path.parent,
        complete=answers.finalize,
    )
    problems += applied.problems
    problems += _rectify_marks(sheet, answers.rectify, str(path))
    older = kit.drafts.find(form.form, subject, rater, round_) if rater else None
    if older is not None:
        # someone filling this subject's sheet right now is not raced by a second sheet
        kit.drafts.refuse_if_open(older["uuid"])
        if not answers.finalize:  # one draft per form, subject, rater and round
            raise DraftExists(older)
    if problems:
        hint = "没有保存任何内容。" + (
            "（只想保存草稿：在文件中写 finalize: false）" if answers.finalize else ""
        )
        raise AnswerFileError(problems, hint)
    for item_id in applied.dropped:
        click.echo(f"注意：{item_id} 按条件隐藏（show_if），它的答案没有保存。", err=True)
    record = sheet.score()
    doc = kit.drafts.store_new(loaded, sheet, applied.photos, finalize=answers.finalize)
    if doc is not None:
        click.echo(safe_text(
            f"已提交：{doc['uuid']}  {subject_name}  总分 {record.shown_total()}  {record.grade}"
        ))  # fmt: skip
        _made_items(kit, doc)
        return
    click.echo(safe_text(
        f"草稿已保存：{sheet.uuid}  {subject_name}  已得 {record.total:g} / 可得 "
        f"{record.possible_so_far:g}"
    ))  # fmt: skip
    if older is not None:
        click.echo(
            f"注意：同一对象另有一份草稿 {older['uuid'][:8]}"
            f"（保存于 {older.get('saved_at', '')[:16]}）。",
            err=True,
        )


def _rectify_marks(sheet, marks: dict[str, dict[str, str]], where: str) -> list:
    """An answer file's `rectify:` marks put on the sheet; each problem located."""
    from inspect_kit.base.errors import InspectKitError, Located
    from inspect_kit.services.rectify import set_mark

    problems = []
    for item_id, mark in marks.items():
        try:
            set_mark(sheet, item_id, mark.get("deadline") or None, mark.get("requirement"))
        except InspectKitError as e:
            problems.append(Located(where, None, f"rectify.{item_id}", str(e)))
            continue
        try:
            sheet.form.item(item_id)
        except KeyError:
            problems.append(Located(where, None, f"rectify.{item_id}", "表单中没有这个题目"))
    return problems


def _made_items(kit: Kit, doc: dict) -> None:
    from inspect_kit.i18n.catalog import tr
    from inspect_kit.services.rectify import RectifyService

    made = RectifyService(kit.store).listed(sheet=doc["uuid"])
    if made:
        click.echo(tr("rectify.cli.made_from_sheet", kit.lang, n=len(made), subject=doc["subject"]))


@click.command("import-sheets")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--form", "form_id", required=True, help="The form the sheets were scored on.")
@click.option("--rater", help="Rater for rows without a rater column value.")
@click.option(
    "--round", "round_", help="Round for rows without one (default: setting, else this year)."
)
@pass_kit
def import_sheets(
    kit: Kit, csv_path: Path, form_id: str, rater: str | None, round_: str | None
) -> None:
    """录入纸质评分表 / import typed-up paper sheets: one CSV row per sheet, all or nothing.

    \b
    Columns (UTF-8, with or without BOM; the CSV export with --labels ids is accepted):
      subject, rater, round          which sheet (subject must be in the roster)
      <item-id>                      the answer (label, number, 是/否, list with 、 or ;)
      <item-id>.note                 扣分理由 (required for deductions when the form says so)
      veto:<veto-id>                 是/否 for each 一票否决 item (veto:<id>.note optional),
      or vetoes                      the ids (or texts) of the vetoes that fired; empty = none
      uuid, revision                 kept when given (re-importing the same sheet is refused)
    Other columns (section scores, totals, grade, <item-id>.points ...) are ignored.
    """
    from inspect_kit.base.rounds import parse_round
    from inspect_kit.intake.attachments import copy_attachments
    from inspect_kit.intake.csv_sheets import read_sheet_csv

    loaded = kit.catalog.get(form_id)
    store = kit.store
    result = read_sheet_csv(
        csv_path,
        loaded,
        store,
        default_rater=(rater or kit.default_rater()),
        default_round=parse_round(round_ or kit.default_round()),
    )
    if not result.sheets:
        raise UserError(f"{csv_path} 中没有评分表（除列名外全是空行）。")
    for row in result.sheets:
        if row.photos:
            copy_attachments(kit.workspace.attachments_dir, row.sheet.uuid, row.photos)
    count = kit.drafts.finalize_many([(row.sheet, loaded) for row in result.sheets])
    if result.ignored_columns:
        shown = "、".join(result.ignored_columns[:8]) + (
            "……" if len(result.ignored_columns) > 8 else ""
        )
        click.echo(f"忽略的列：{shown}", err=True)
    if result.other_forms:
        click.echo(f"跳过 {result.other_forms} 行其他表单的评分表。", err=True)
    if result.skipped_void:
        click.echo(f"跳过 {result.skipped_void} 行作废的评分表（status = void）。", err=True)
    click.echo(f"已导入 {count} 张评分表（表单 {loaded.form.form}）→ {kit.workspace.db_path}")
