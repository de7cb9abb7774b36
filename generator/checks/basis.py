"""标准试题教材保障: evaluation basis, question banks, textbooks."""
from __future__ import annotations

from . import check, credit, deficiency, needs_review, note
from ..context import CheckContext

MIN_SPEC_REVIEWERS = 5  # 第三部分 二（二）: 经5人以上专家评审


def standard_of(ref, entry: dict):
    """What is known of an applied occupation's national standard, looked up by its 2022 code (a 2015-edition
    code by its 2022 namesake, reference.lookup_code); None when nothing is known."""
    return ref.standards.get(ref.lookup_code(entry.get("code"), entry.get("name")))


def _basis_items(filing, ref):
    """(held, message, where) for every document the scope needs as its 评价依据, and notes."""
    items, notes = [], []
    if filing.get("scope", "catalogue_held") is True:
        items.append((True, "备有《国家职业分类大典》", filing.at("scope", "catalogue_held")))
    else:
        items.append((False, "未声明备有《国家职业分类大典》（scope.catalogue_held: true）", filing.at("scope", "catalogue_held")))
    for index, entry in enumerate(filing.items("scope", "occupations")):
        if not isinstance(entry, dict):
            continue
        where = filing.at("scope", "occupations", index)
        label = f"{entry.get('code')} {entry.get('name')}"
        standard = standard_of(ref, entry)
        if entry.get("basis") == "评价规范":
            spec = entry.get("specification") or {}
            reviewers = spec.get("reviewers") or []
            if standard is not None and standard.exists is True and standard.verified:
                # A specification stands in for a standard only where none exists (第三部分 二（二）).
                items.append((False, f"{label} 已有{standard.title or '国家职业技能标准'}，应依据国家标准而非自主评价规范"
                                     "（basis: 国家职业技能标准，standard_held: true）", where))
            elif not spec.get("file"):
                items.append((False, f"{label} 按评价规范认定，但未提供有专家签字的评价规范（specification.file）", where))
            elif len(reviewers) < MIN_SPEC_REVIEWERS:
                items.append((False, f"{label} 的评价规范只有 {len(reviewers)} 名专家评审，须 {MIN_SPEC_REVIEWERS} 人以上", where))
            else:
                items.append((True, f"{label}：评价规范《{spec.get('title')}》（{len(reviewers)} 名专家评审）", where))
        elif entry.get("basis") == "国家职业技能标准":
            if standard is not None and standard.exists is False:
                notes.append(note(f"{label} 未查到国家职业技能标准，请核实是否应按评价规范认定。", where))
            if entry.get("standard_held") is True:
                items.append((True, f"{label}：备有国家职业技能标准", where))
            else:
                items.append((False, f"{label} 未声明备有国家职业技能标准文本（standard_held: true）", where))
        else:
            items.append((False, f"{label} 未写明评价标准（basis：国家职业技能标准 或 评价规范）", where))
    return items, notes


@check("basis.standards")
def standards(ctx: CheckContext):
    """Every document the scope needs counts one of the 5 points: the 大典 and, per occupation, its
    national standard or reviewed 评价规范; each one missing loses its point (interpretation in the sheet)."""
    filing, ref, params = ctx.subject, ctx.reference, ctx.params
    items, notes = _basis_items(filing, ref)
    needed, missing = len(items), sum(1 for held, _, _ in items if not held)
    full = params["full_marks"]  # the criterion's max, for the arithmetic in the message only
    arithmetic = (f"评价依据已备 {needed - missing} 项 / 需 {needed} 项（《国家职业分类大典》1 项 + {needed - 1} 个申请职业"
                  f"各 1 份国家职业技能标准或评价规范），每缺 1 项扣 1 分，现得 {max(0, full - missing)} 分；"
                  f"补齐所缺 {missing} 项可得 {full} 分")
    for held, message, where in items:
        yield credit(message, where) if held else deficiency(f"{message}。{arithmetic}", where)
    yield from notes


@check("basis.question_bank")
def question_bank(ctx: CheckContext):
    filing = ctx.subject
    entries = [(i, e) for i, e in enumerate(filing.items("scope", "occupations")) if isinstance(e, dict)]
    for index, entry in entries:
        bank = entry.get("question_bank") or {}
        where = filing.at("scope", "occupations", index)
        label = f"{entry.get('code')} {entry.get('name')}"
        if bank.get("theory") is True and bank.get("practical") is True:
            continue
        if bank.get("commitment"):
            yield note(f"{label} 题库尚未建全，承诺：{bank['commitment']}", where)
        elif bank.get("theory") is True or bank.get("practical") is True:
            missing = "操作技能" if bank.get("theory") is True else "理论知识"
            yield note(f"{label} 缺少{missing}题库，也没有开展评价前建成的承诺。", where)
        else:
            yield deficiency(f"{label} 既没有理论和技能题库（卷库），也没有开展评价工作前满足条件的承诺。", where)
    yield needs_review("题库（卷库）能否满足评价需要，由专家查阅资料、现场考察后酌情给分。", filing.at("scope", "occupations"))


@check("basis.textbooks")
def textbooks(ctx: CheckContext):
    filing = ctx.subject
    entries = [(i, e) for i, e in enumerate(filing.items("scope", "occupations")) if isinstance(e, dict)]
    with_books = [(i, e) for i, e in entries if e.get("textbooks")]
    if entries and not with_books:
        yield deficiency("所有申请职业都没有列出教材或校本教材。", filing.at("scope", "occupations"))
        return
    for index, entry in entries:
        if not entry.get("textbooks"):
            yield note(f"{entry.get('code')} {entry.get('name')} 没有列出教材或校本教材。", filing.at("scope", "occupations", index))
    yield needs_review("教材是否基本满足教学需要，由专家酌情给分。", filing.at("scope", "occupations"))
