"""The to-do list that ends a check: what to fix first, and how many points each fix regains.

Order: an invalid filing's errors first (nothing is scored for real until they are fixed), then
the vetoes (no score counts while one stands), then one item per criterion whose machine-decided
deficiencies cost points, the largest gain first. The gain is how far the criterion's ceiling
would rise if each deficiency were fixed (a fixed item counts as met): certain points, or points
the panel then judges when the criterion needs a judgment. Points already waiting for the panel
are not gains: they are totalled apart as 待专家判定. For an invalid filing the criteria are those
of its provisional score (engine._provisional).
"""
from __future__ import annotations

from .checks import CREDIT, DEFICIENCY, Observation
from .scoring import score

from .record_words import ACTIONS, SHOWN_LOCATIONS, todo_lines  # noqa: F401  (todo_lines: where formats used to find it)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _locations(findings) -> list[str]:
    places = []
    for f in sorted(findings, key=lambda f: (f.file or "", f.line or 0)):
        if f.severity != "notice" and f.file:
            place = f"{f.file}:{f.line}" if f.line else f.file
            if place not in places:
                places.append(place)
    return places


def _gain(item) -> tuple[float, bool]:
    """(points the criterion's ceiling regains once its deficiencies are fixed, whether they are certain)."""
    machine = item.machine
    fixed = score(item.criterion, [Observation(CREDIT, o.message, o.at) if o.kind == DEFICIENCY else o
                                   for o in item.observations])
    # A criterion that needs a judgment waits for the panel once the data is complete, even where
    # the check, having found nothing to judge yet, asked for no review.
    return fixed.potential - machine.potential, fixed.status != "pending" and not item.criterion.needs_judgment


def todo_items(result) -> list[dict]:
    items: list[dict] = []
    if not result.valid:
        errors = [f for f in result.findings if f.severity == "error"]
        items.append({"kind": "invalid", "rule": None, "title": "备案文件无效", "points": None, "certain": True,
                      "text": f"先改正 {len(errors)} 处错误（备案文件无效，改正后才正式评分）",
                      "locations": _locations(errors)})
    scored = result.provisional if result.provisional is not None else result
    if result.unscored:
        files = sorted({file for names in result.unscored.values() for file in names})
        titles = [c.title for c in scored.sheet.criteria if c.id in result.unscored] if scored.sheet else []
        points = sum(c.max for c in scored.sheet.criteria if c.id in result.unscored) if scored.sheet else 0
        items.append({"kind": "unscored", "rule": None, "title": "未评分", "points": _number(points), "certain": False,
                      "text": f"因 {'、'.join(files)} 中的错误，{len(titles)} 项未评分（满分共 {_number(points)} 分）："
                              + "、".join(titles),
                      "locations": files})
    for c in scored.criteria:
        if c.status == "vetoed":
            items.append({"kind": "veto", "rule": c.criterion.id, "title": c.criterion.title, "points": None,
                          "certain": True, "text": f"先消除否决项：{c.criterion.title}（{c.criterion.id}）",
                          "locations": _locations(c.findings)})
        elif c.status == "unmet" and c.criterion.is_condition:  # 增量备案审核: a condition to meet, no points
            items.append({"kind": "condition", "rule": c.criterion.id, "title": c.criterion.title, "points": None,
                          "certain": True, "text": f"满足审核条件：{c.criterion.title}（{c.criterion.id}）",
                          "locations": _locations(c.findings)})
    gains = []
    for order, c in enumerate(scored.criteria):
        if c.criterion.is_veto or c.criterion.is_condition or c.decision or c.machine is None:
            continue  # a reviewer's decision stands whatever the data; a veto is listed above
        points, certain = _gain(c)
        if points > 0:
            what = f"{c.criterion.title}（{c.criterion.id}）"
            text = (f"补齐 {what}可得 {_number(points)} 分" if certain
                    else f"补齐 {what}后最多可得 {_number(points)} 分，由专家判定")
            gains.append((-points, not certain, order, {
                "kind": "gain", "rule": c.criterion.id, "title": c.criterion.title, "points": _number(points),
                "certain": certain, "text": text, "locations": _locations(c.findings)}))
    items.extend(item for *_, item in sorted(gains, key=lambda g: g[:3]))
    pending = [c for c in scored.criteria if c.status == "pending"]
    if pending:
        points = sum(c.potential - c.awarded for c in pending)
        # After a failed veto, points still open change nothing: not offered (as in every report).
        if any(c.criterion.is_condition for c in pending):
            text = f"待审核人员判定 {len(pending)} 项条件（由审核人员在 reviews.yaml 记录“符合”或“不符合”）"
        elif scored.vetoes:
            text = f"待专家判定 {len(pending)} 项（已有否决项，先消除否决项）"
        else:
            text = f"待专家判定 {_number(points)} 分（{len(pending)} 项，由专家组评审决定，不是可补的分）"
        items.append({"kind": "pending", "rule": None, "title": "待专家判定", "points": _number(points), "certain": False,
                      "text": text,
                      "locations": [], "criteria": [c.criterion.id for c in pending]})
    return items


