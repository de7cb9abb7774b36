"""申请材料: the materials list of the filing's 备案类别 (rules/filing-categories.yaml).

The list is data: for each material, the fields of the filing that carry it and the categories
that need it. This check knows no category by name; it reads the filing's category and walks
that category's materials. Whether the files themselves are present is decided when the folder
is loaded (rule file-missing, by the same data).
"""
from __future__ import annotations

from . import check, deficiency, note
from ..context import CheckContext
from ..categories import category, filed_occupations, not_required
from ..escaping import is_blank


def _present(value) -> bool:
    """Filled in: not absent, not false, not blank text (escaping.is_blank), not empty; 0 is a value."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return not is_blank(value)
    return bool(value) if isinstance(value, (list, dict)) else True


def _split(field: str) -> tuple[str, list[str]]:
    doc, _, path = field.partition(":")
    return doc, path.split(".")


def _value(node, steps: list[str]):
    for step in steps:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def _deepest(filing, doc: str, steps: list[str]):
    """Where to point at for a missing field: its deepest existing parent."""
    for end in range(len(steps) - 1, 0, -1):
        if isinstance(filing.get(doc, *steps[:end]), dict):
            return filing.at(doc, *steps[:end])
    return filing.at(doc)


def _field_gaps(filing, material):
    for field in material.fields:
        doc, steps = _split(field)
        if steps[0].endswith("[]"):  # one value per applied-for occupation, e.g. scope:occupations[].specification.file
            for index, entry in filed_occupations(filing):
                if any(entry.get(key) != value for key, value in material.when.items()):
                    continue
                if not _present(_value(entry, steps[1:])):
                    label = f"{entry.get('code')} {entry.get('name')}"
                    yield deficiency(f"缺少“{material.name}”：{label} 的 {'.'.join(steps[1:])} 未填写"
                                     f"（{material.note or field}）。", filing.at(doc, steps[0][:-2], index))
        elif not _present(filing.get(doc, *steps)):
            yield deficiency(f"缺少“{material.name}”：{doc}.yaml 的 {'.'.join(steps)} 未填写或不是 true。",
                             _deepest(filing, doc, steps))


def _carried(filing, material) -> bool:
    """Whether the filing holds a material (profile.yaml, always present, counts by its fields only)."""
    if any(key in filing.docs for key in material.files if key != "profile"):
        return True
    return any(_present(filing.get(doc, *steps)) for doc, steps in map(_split, material.fields) if "[]" not in steps[0])


@check("materials.required")
def required(ctx: CheckContext):
    filing = ctx.subject
    name = filing.get("profile", "application", "category")
    known = category(name)
    if known is None:
        yield deficiency(f"申请类别“{name}”不在材料清单中（rules/filing-categories.yaml），无法核对申请材料。",
                         filing.at("profile", "application"))
        return
    for material in known.materials:
        yield from _field_gaps(filing, material)
    for entry in known.record_fields:
        doc, steps = _split(entry["field"])
        if not _present(filing.get(doc, *steps)):
            yield note(f"{known.name}请填写{entry['label']}（{doc}.yaml 的 {'.'.join(steps)}），报告据此显示。",
                       _deepest(filing, doc, steps))
    extra = [m for m in not_required(name) if _carried(filing, m)]
    if extra:
        names = "、".join(m.name for m in extra)
        yield note(f"{known.name}不需要提交{names}；文件中的这些内容不参与本次审核。", filing.at("profile", "application"))
