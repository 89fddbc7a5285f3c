"""`inspect-kit results review UUID --approve | --return --reason TEXT`: the office's decision on
a finalized sheet, and the review state as `results list` and `results show` print it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, UserError, pass_kit
from inspect_kit.i18n.catalog import tr

if TYPE_CHECKING:
    from inspect_kit.domain.sheet_review import Key, ReviewState

REVIEW_FILTERS = ("pending", "approved", "returned", "conflict")
"""`results list --review`: pending = awaiting the office (submitted, or conflicting decisions)."""


def state_word(state: str, lang: str) -> str:
    return tr(f"oreview.state.{state}", lang)


def review_json(state: ReviewState) -> dict[str, Any]:
    """A sheet's review state as `--json` shows it: the state and its current decisions."""
    return {
        "state": state.state,
        "decisions": [
            {"decision": d.decision, "by": d.by, "at": d.at, "reason": d.reason, "id": d.id}
            for d in state.heads
        ],
    }


def matches(filter_: str, state: str) -> bool:
    return state in ("submitted", "conflict") if filter_ == "pending" else state == filter_


class ReviewLookup:
    """Review states and which forms require review, read once for a listing."""

    def __init__(self, kit: Kit, form: str | None = None, round_: str | None = None) -> None:
        """`form`, `round_`: the listing's filter (only that group's states are read)."""
        self.kit = kit
        self.states: Mapping[Key, ReviewState] = kit.store.review_states(form, round_)
        self._required: dict[str, bool] = {}

    def state(self, row: Mapping[str, Any]) -> ReviewState:
        from inspect_kit.domain.sheet_review import state_of

        return state_of(self.states, row["uuid"], row["revision"])

    def required(self, form_id: str) -> bool:
        from inspect_kit.base.errors import InspectKitError

        if form_id not in self._required:
            try:
                self._required[form_id] = self.kit.catalog.get(form_id).form.review == "required"
            except InspectKitError:
                self._required[form_id] = False
        return self._required[form_id]

    def label(self, row: Mapping[str, Any]) -> str:
        """The listing's word for a final sheet: its state when decided, or when its form
        requires review; empty otherwise (so forms without review list as before)."""
        from inspect_kit.domain.sheet_review import listed_state

        state = listed_state(row, self.states, self.required(row["form"]))
        return state_word(state, self.kit.lang) if state else ""

    def keep(self, rows: Iterable[dict[str, Any]], filter_: str | None) -> list[dict[str, Any]]:
        if filter_ is None:
            return list(rows)
        return [
            r for r in rows if r.get("status") == "final" and matches(filter_, self.state(r).state)
        ]


def import_lines(before: Mapping[Key, ReviewState], after: Mapping[Key, ReviewState],
                 lang: str) -> list[str]:  # fmt: skip
    """After `results import`: the review decisions brought in, and the sheets whose decisions
    now conflict (both sides kept; named so nobody misses them)."""
    empty: tuple[object, ...] = ()
    added = sum(len(s.history) - len(before[k].history if k in before else empty)
                for k, s in after.items())  # fmt: skip
    conflicted = sorted(k for k, s in after.items() if s.state == "conflict"
                        and (k not in before or before[k].state != "conflict"))  # fmt: skip
    lines = [tr("oreview.cli.import_decisions", lang, n=added)] if added else []
    if conflicted:
        ids = "、".join(f"{u[:8]} 第 {r} 版" if lang != "en" else f"{u[:8]} rev {r}"
                       for u, r in conflicted[:10])  # fmt: skip
        lines.append(tr("oreview.cli.import_conflicts", lang, n=len(conflicted), ids=ids))
    return lines


def state_lines(state: ReviewState, lang: str, required: bool) -> list[str]:
    """`results show`: the review state with who decided when (and why, for a return)."""
    if state.state == "submitted" and not required:
        return []
    latest = state.latest
    text = state_word(state.state, lang)
    if latest is not None and state.state != "conflict":
        text += "（" + tr("oreview.cli.by", lang, by=latest.by, at=latest.at) + "）"
        if state.reason:
            text += f"：{state.reason}"
    lines = [tr("oreview.cli.line", lang, state=text)]
    if state.state == "conflict":
        heads = "；".join(
            f"{state_word(d.decision, lang)}（{d.by}，{d.at}"
            + (f"：{d.reason}" if d.reason else "")
            + "）"
            for d in state.heads
        )
        lines.append(tr("oreview.cli.conflict_heads", lang, heads=heads))
    return lines


@click.command("review")
@click.argument("sheet_uuid")
@click.option("--approve", "decision", flag_value="approved", help="Approve the sheet (审核通过).")
@click.option("--return", "decision", flag_value="returned",
              help="Return it to its rater for a corrected revision (退回).")  # fmt: skip
@click.option("--reason", default="", help="Why it is returned (required with --return).")
@click.option("--by", "by", default=None, help="Reviewer (default: `config reviewer`, else rater).")
@click.option("--json", "as_json", is_flag=True, help="The sheet's review state as JSON.")
@pass_kit
def review(kit: Kit, sheet_uuid: str, decision: str | None, reason: str, by: str | None,
           as_json: bool) -> None:  # fmt: skip
    """审核评分表 / approve a finalized sheet, or return it to its rater with a reason."""
    if decision is None:
        raise UserError(tr("oreview.cli.choose", kit.lang))
    current = kit.store.submission(sheet_uuid)
    before = kit.store.review_state(current["uuid"], current["revision"])
    who = by if by is not None else kit.default_reviewer()
    from inspect_kit.services.office_review import review_sheet

    doc, state = review_sheet(kit.store, current["uuid"], decision, who, reason)  # type: ignore[arg-type]
    if as_json:
        data = {"uuid": doc["uuid"], "revision": doc["revision"], **review_json(state)}
        click.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=1)))
        return
    uuid, rev = doc["uuid"][:8], doc["revision"]
    latest = state.latest
    assert latest is not None
    if decision == "approved":
        click.echo(
            safe_text(tr("oreview.cli.approved", kit.lang, uuid=uuid, rev=rev, by=latest.by))
        )
    else:
        fix = tr("oreview.amend_reason", kit.lang, reason=latest.reason)
        command = kit.command("results", "amend", uuid, "--reason", fix)
        said = tr("oreview.cli.returned", kit.lang, uuid=uuid, rev=rev, rater=doc["rater"],
                  reason=latest.reason, command=command)  # fmt: skip
        click.echo(safe_text(said))
    if before.state == "conflict":
        click.echo(tr("oreview.cli.resolved", kit.lang, n=len(before.heads)))
