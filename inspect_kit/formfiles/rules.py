"""The rules between fields of a form that types alone cannot express (DESIGN §3): unique ids,
section points adding up to the total, option points within the item, grade order, veto grade,
panel trim, show_if names. Each problem comes with the path of the value it is about.
"""

from __future__ import annotations

from inspect_kit.domain.model import Form, Section
from inspect_kit.formfiles.table_rules import check_table
from inspect_kit.formfiles.yaml_lines import PathKey, format_path

EPS = 1e-9


def check_semantics(form: Form) -> list[tuple[PathKey, str]]:
    from inspect_kit.domain.conditions import ConditionError, parse

    problems: list[tuple[PathKey, str]] = []
    seen: dict[str, PathKey] = {}

    def claim(identifier: str, path: PathKey) -> None:
        if identifier in seen:
            problems.append(
                (
                    (*path, "id"),
                    f"id '{identifier}' is already used at {format_path(seen[identifier])}",
                )
            )
        else:
            seen[identifier] = path

    for s_index, section in enumerate(form.sections):
        claim(section.id, ("sections", s_index))
        for i_index, item in enumerate(section.items):
            claim(item.id, ("sections", s_index, "items", i_index))
    for v_index, veto in enumerate(form.vetoes):
        claim(veto.id, ("vetoes", v_index))
    item_ids = {item.id for _, item in form.iter_items()}

    scored_total = 0.0
    for s_index, section in enumerate(form.sections):
        s_path: PathKey = ("sections", s_index)
        problems += check_section(section, s_path, form)
        if not section.bonus:
            scored_total += section.points
        for i_index, item in enumerate(section.items):
            i_path = (*s_path, "items", i_index)
            if item.show_if:
                try:
                    condition = parse(item.show_if, known=item_ids - {item.id})
                except ConditionError as exc:
                    problems.append(((*i_path, "show_if"), str(exc)))
                else:
                    del condition
    if abs(scored_total - form.total) > EPS:
        problems.append(
            (
                ("total",),
                f"sections' points add up to {scored_total:g}, but total is {form.total:g}",
            )
        )
    if form.score_cap is not None and form.score_cap < form.total - EPS:
        problems.append((("score_cap",), f"score_cap must be at least total ({form.total:g})"))
    scored_ids = {s.id for s in form.scored_sections}
    for g_index, grade in enumerate(form.grades):
        for n, section_id in enumerate(grade.section_min_of):
            if section_id not in scored_ids:
                message = f"'{section_id}' is not a scored section of this form"
                problems.append((("grades", g_index, "section_min_of", n), message))
        if grade.section_min_of and grade.section_min is None:
            problems.append(
                (
                    ("grades", g_index, "section_min_of"),
                    "section_min_of needs section_min (the share those sections need)",
                )
            )
    if form.bonus_sections and form.bonus_cap <= 0:
        problems.append((("bonus_cap",), "the form has a bonus section, so set bonus_cap > 0"))

    mins = [g.min for g in form.grades]
    for g_index in range(1, len(mins)):
        if mins[g_index] >= mins[g_index - 1]:
            problems.append(
                (("grades", g_index, "min"), "grades must be listed from the highest min down")
            )
    if mins[-1] != 0:
        problems.append((("grades", len(mins) - 1, "min"), "the last grade must have min: 0"))
    names = [g.grade for g in form.grades]
    if len(set(names)) != len(names):
        problems.append((("grades",), "grade names must be unique"))
    if form.veto_grade not in names:
        problems.append((("veto_grade",), f"'{form.veto_grade}' is not one of the grades {names}"))
    panel = form.panel
    if panel.method == "trimmed-mean" and 2 * panel.trim >= panel.min_raters:
        problems.append(
            (("panel", "trim"), "trimming this many from both ends leaves no sheet at min_raters")
        )
    return problems


def check_section(section: Section, s_path: PathKey, form: Form) -> list[tuple[PathKey, str]]:
    problems: list[tuple[PathKey, str]] = []
    raw = section.max_raw
    if not section.bonus and not section.scale and abs(raw - section.points) > EPS:
        problems.append(
            ((*s_path, "points"),
             f"the items' full marks add up to {raw:g}, not {section.points:g} "
             "(fix the points, or set `scale: true` to scale)")
        )  # fmt: skip
    if not section.bonus and section.points > 0 and raw <= 0:
        problems.append(
            ((*s_path, "items"), "a section with points needs at least one scored item")
        )
    for i_index, item in enumerate(section.items):
        i_path = (*s_path, "items", i_index)
        options = getattr(item, "options", ())
        labels = [o.label for o in options]
        if len(set(labels)) != len(labels):
            problems.append(((*i_path, "options"), "option labels must be unique"))
        for o_index, option in enumerate(options):
            if option.points > item.max_points + EPS:
                problems.append(
                    ((*i_path, "options", o_index, "points"),
                     f"{option.points:g} is more than the item's full marks {item.max_points:g}")
                )  # fmt: skip
        if item.type == "number":
            problems += _band_conditions(item, i_path)
            if item.bands and item.per is not None:
                problems.append(((*i_path, "bands"), "use either bands or per, not both"))
            if item.per is not None and item.max is None:
                problems.append(((*i_path, "max"), "per needs max (the cap on points)"))
        if item.type == "table":
            problems += check_table(item, i_path)
        if item.type == "yesno" and item.labels[0] == item.labels[1]:
            problems.append(((*i_path, "labels"), "the yes and no labels must differ"))
        if item.type == "deduct" and len(set(item.defects)) != len(item.defects):
            problems.append(((*i_path, "defects"), "defect names must be unique"))
        if item.type == "deduct" and item.defects_en and len(item.defects_en) != len(item.defects):
            problems.append(((*i_path, "defects_en"), "defects_en must name each defect, in order"))
    return problems


def _band_conditions(item, i_path: PathKey) -> list[tuple[PathKey, str]]:
    """A band's `when` parses and names only `subject.*`; every subject keeps a band at 0+."""
    from inspect_kit.domain.conditions import ConditionError, parse

    problems: list[tuple[PathKey, str]] = []
    if any(b.when for b in item.bands) and all(b.when for b in item.bands):
        message = "give default bands without `when` (used when no `when` holds)"
        problems.append(((*i_path, "bands"), message))
    for b_index, band in enumerate(item.bands):
        if not band.when:
            continue
        path = (*i_path, "bands", b_index, "when")
        try:
            condition = parse(band.when)
        except ConditionError as exc:
            problems.append((path, str(exc)))
            continue
        items = sorted(n for n in condition.names if not n.startswith("subject."))
        if items:
            message = (
                "a band's `when` may name only subject.level, subject.kind, "
                f"subject.tags or subject.district, not '{items[0]}'"
            )
            problems.append((path, message))
    return problems


# ---------------------------------------------------------------- public API
