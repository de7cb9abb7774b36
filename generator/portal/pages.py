"""Markdown of every generated portal page. Pure functions: data in, text out.

Every value that comes from a filing is passed through `md()` (see text.py). Values that
come from this program (numbers, labels, codes checked against CODE_RE, page slugs checked
against SLUG_RE) are written as they are. Large per-row tables are raw HTML blocks (Markdown
tables cost far more to convert) wrapped in `data-search-exclude` blocks, so the search index
stays small as the register grows; search_hook.py takes those blocks past Markdown and the search parser.
"""
from __future__ import annotations

from collections import Counter

from ..public_state import DISCLAIMER, DRAFT, INVALID, STATES, effective_state, public_result
from ..reference import shared_reference
from ..todo import todo_lines
from . import changes
from .markup import HEADER, html_table, notice as _notice, rows_block as _rows_block, unsearched as _unsearched  # noqa: F401
from .counts import RegisterCounts, item_levels, state_label
from .model import CODE_RE, EXPIRY_WARNING_DAYS, INCREMENTAL, approved_items
from .text import attr, front_matter_title, md, plain

STATE_NOTES = {
    "已备案": "已备案",
    "已提交": "已提交，尚未备案",
    "草稿": "草稿，尚未提交",
    "已过期": "备案已过期",
    "已撤销": "备案已撤销",
}


def _sortable(table: list[str]) -> list[str]:
    return _rows_block(table, "beian-sortable")


def _link(href: str, text: str) -> str:
    return f'<a href="{href}">{text}</a>'


def levels_text(levels: list[int]) -> str:
    names = shared_reference().level_names
    return "、".join(names.get(level, str(level)) for level in levels) or "—"


def public(entry: dict):
    """The public wording of the entry's score (public_state.py): 自评 until the filing is 已备案."""
    return public_result(entry, bool(entry.get("approved")))


def decision_label(entry: dict) -> str:
    return public(entry).conclusion


def score_text(entry: dict) -> str:
    if not entry.get("valid", False):
        return "—"
    if entry.get("score") is None:  # a conditions result (增量备案审核): the record's earlier score, said so
        existing = entry.get("existing_score")
        return "—" if existing is None else f"{existing}（初次备案）"
    return f"{entry['score']}"


def _cell(value) -> str:
    text = md(value)
    return text if text else "—"


APPROVED_HEADING = "已备案认定范围"


def applied_heading(entry: dict) -> str:
    if entry.get("category") == INCREMENTAL:
        return f"本次增量申请的认定范围（{state_label(entry)}，不是已备案范围）"
    return f"申请的认定范围（{state_label(entry)}，不是已备案范围）"


def scope_split(entry: dict) -> tuple[list[dict], list[dict]]:
    """(approved items, items only applied for), see model.mark_approved_scope."""
    approved = approved_items(entry)
    return approved, [item for item in entry["scope"] if not item.get("approved")]


def occupation_link(code: str, name: str, prefix: str, known: set[str], page: str | None = None) -> str:
    """The code, linked to its occupation page (`page`, when the index filed it under another key:
    a 2015-edition code under its 2022 occupation, model.occupation_index)."""
    page = page or code
    if CODE_RE.match(code) and page in known:
        return f"[{code}]({prefix}{page}.md)"
    return md(code) or "—"


def job_types_text(item: dict) -> str:
    if not item["job_types"]:
        return "—"
    return "；".join(f"{md(j['name'])}（{levels_text(j['levels'])}）" if j["levels"] else md(j["name"])
                    for j in item["job_types"])


# --------------------------------------------------------------------------------------------
# One institution
# --------------------------------------------------------------------------------------------

def scope_table(items: list[dict], known_occupations: set[str]) -> list[str]:
    lines = ["| 职业编码 | 职业名称 | 工种 | 级别 | 评价标准 |", "|---|---|---|---|---|"]
    for item in items:
        link = occupation_link(item['code'], item['name'], '../occupations/', known_occupations, item.get("occupation_page"))
        lines.append(f"| {link} "
                     f"| {_cell(item['name'])} | {job_types_text(item)} | {levels_text(item['levels'])} "
                     f"| {_cell(item['basis'])} |")
    return lines + [""]


def institution_summary(entry: dict) -> list[str]:
    """What a person searches an institution by: state, type, city, 备案号, centre, occupations, 工种."""
    facts = [state_label(entry), _cell(entry.get("type")), _cell(entry.get("city"))]
    if entry.get("filing_number"):
        facts.append(f"备案号 {md(entry['filing_number'])}")
    centre = entry["profile"].get("center")
    if centre:
        facts.append(md(centre))
    lines = [" · ".join(facts), ""]
    for label, items in zip((APPROVED_HEADING, "申请认定的职业（尚未备案）"), scope_split(entry)):
        if items:
            lines += [f"{label}：{'；'.join(_occupation_words(item) for item in items)}。", ""]
    return lines


def _occupation_words(item: dict) -> str:
    jobs = "、".join(md(j["name"]) for j in item["job_types"])
    return f"{_cell(item['name'])}（{jobs}）" if jobs else _cell(item["name"])


def institution_page(entry: dict, known_occupations: set[str], rule_pages: set[str], site_url: str = "") -> str:
    name = md(entry.get("name")) or md(entry["institution"])
    profile = entry["profile"]
    state = state_label(entry)
    feed = {"feed": changes.feed_path(entry["page"])} if entry.get("history") is not None else {}
    lines = [front_matter_title(entry.get("name") or entry["institution"], **feed) + f"# {name}", "", HEADER.strip(), ""]

    if not entry.get("valid", False):
        lines += _notice("danger", "备案文件无效", "备案文件未通过有效性检查，无法评分；下方“检查提示”列出需要修改之处。")
    elif entry.get("approved"):
        lines += _notice("success", "已备案",
                         f"备案号 {_cell(entry.get('filing_number'))}，有效期至 {_cell(entry.get('valid_until'))}。")
    elif approved_items(entry):
        lines += _notice("warning", f"增量备案{state}",
                         f"本次增量备案申请的状态为“{state}”，新增职业尚未备案，不能据此开展认定；"
                         f"原有职业仍按备案号 {_cell(entry.get('filing_number'))} 开展认定。")
    else:
        lines += _notice("warning", state, f"本机构的备案状态为“{state}”。下列认定范围是申请内容，尚未备案，不能据此开展认定。")
    days = entry.get("days_left")
    if entry.get("approved") and days is not None and days <= EXPIRY_WARNING_DAYS:
        lines += _notice("warning", "备案即将到期", f"备案有效期至 {_cell(entry.get('valid_until'))}，还剩 {days} 天。")
    lines += institution_summary(entry)

    lines += [_unsearched("评估结论"), ""]
    page = entry["page"]
    lines += [f"![评估得分徽章](../badges/{page}.svg)", ""]
    result = public(entry)
    if entry.get("valid", False) and not result.scored:
        lines += conditions_conclusion(entry, result)
    elif entry.get("valid", False):
        kind = "总得分" if result.decided else "自评总得分"
        lines += [f"**{result.headline}**：{kind} **{entry['score']}** 分（基础得分 {entry['base_score']} + "
                  f"优先项目加分 {entry['bonus']}），合格线 {entry['threshold']} 分。"
                  + ("" if result.decided else f"{DISCLAIMER}。"), ""]
        if result.pending_note:
            lines += [f"{result.pending_note}。", ""]
        lines += subtotals_block(entry, pending=bool(result.pending_note))
    else:
        lines += [f"**{result.conclusion}**。", ""]

    if entry.get("vetoes"):
        lines += [_unsearched("否决项", 3), ""]
        lines += [f"- **{md(v['title'])}**：{md(v['message'])}" for v in entry["vetoes"]]
        lines.append("")
    if entry.get("pending") and result.pending_note:  # after a failed veto no points can change the outcome
        lines += [_unsearched("待专家判定", 3), ""]
        items = [f"<li>{md(p['title'])}（最多 {p['potential']} 分）</li>" for p in entry["pending"]]
        lines += _rows_block(["<ul>", *items, "</ul>"])
    lines += commitments_section(entry.get("commitments") or [])
    bonuses = [c for c in entry.get("criteria", []) if c.get("bonus") and c.get("awarded")]
    if bonuses:
        lines += [_unsearched("优先项目加分", 3), ""]
        lines += [f"- {md(c['title'])}：+{c['awarded']}" for c in bonuses]
        lines.append("")

    lines += sessions_link(entry)
    lines += [_unsearched("基本信息"), ""]
    rows = [("机构类型", entry.get("type")), ("单位性质", profile.get("nature")), ("所在城市", entry.get("city")),
            ("地址", profile.get("address")), ("认定中心", profile.get("center")),
            ("申请类别", entry.get("category")), ("申请日期", profile.get("application_date")),
            ("备案状态", state), ("备案号", entry.get("filing_number")),
            ("有效期", f"{profile.get('valid_from') or '—'} 至 {entry.get('valid_until') or '—'}"
             if entry.get("valid_until") else None),
            ("网站", profile.get("website")), ("电子邮箱", profile.get("email")),
            ("评分表", entry.get("sheet"))]
    lines += html_table(["项目", "内容"], [[label, _cell(value)] for label, value in rows])
    lines.append("")

    approved, applied = scope_split(entry)
    if approved:
        lines += [_unsearched(APPROVED_HEADING), ""]
        if not entry.get("approved"):  # a 增量备案 under review: the 原有 part stays in force
            lines += [f"原有职业，按备案号 {_cell(entry.get('filing_number'))} 开展认定。", ""]
        lines += scope_table(approved, known_occupations)
    if applied:
        lines += [_unsearched(applied_heading(entry)), ""]
        lines += scope_table(applied, known_occupations)
    if not entry["scope"]:
        heading = APPROVED_HEADING if entry.get("approved") else applied_heading(entry)
        lines += [_unsearched(heading), "", "（未填写认定范围）", ""]

    staffing = entry["staffing"]
    lines += [_unsearched("人员配备"), "",
              f"工作人员 {staffing['staff']} 人，专家 {staffing['experts']} 人，考评员 {staffing['examiners']} 人，"
              f"内部质量督导员 {staffing['supervisors']} 人。", ""]
    sites = entry["sites"]
    per_occupation = []
    for item in entry["scope"]:
        code = item["code"]
        practical = sites["practical"].get(code, {})
        equipment = sites["equipment"].get(code, {})
        per_occupation.append([f"{_cell(code)} {_cell(item['name'])}", staffing["examiners_by_occupation"].get(code, 0),
                               practical.get("rooms", 0), practical.get("stations", 0), practical.get("area", 0),
                               f"{equipment.get('kinds', 0)} / {equipment.get('units', 0)}"])
    table = html_table(["职业", "考评员", "技能考场", "工位", "面积（m²）", "设备（种 / 台套）"], per_occupation)
    lines += [_unsearched("场地与设施设备"), "",
              f"办公场所 {sites['office_area']} m²，档案室 {sites['archive_area']} m²，理论考场 {sites['theory_rooms']} 间、"
              f"{sites['theory_seats']} 个座位。", ""]
    lines += _rows_block(table, caption="分职业的考评员、考场和设备：")

    lines += [_unsearched("逐项得分" if result.scored else "逐项审核条件"), ""]
    crit = []
    sheet = entry.get("sheet")
    for c in entry.get("criteria", []) if result.scored else ():
        key = f"{sheet}/{c['id']}"
        title = _link(f"../../rules/{key}/", md(c["title"])) if key in rule_pages else md(c["title"])
        points = "否决项" if c.get("veto") else (f"+{c['awarded']} / +{c['max']}" if c.get("bonus")
                                               else f"{c['awarded']} / {c['max']}")
        reason = criterion_reason(c)
        where = "<br>".join(md(loc) for loc in c.get("locations", [])) or "—"
        crit.append([title, md(c.get("group")), points, md(c.get("status_label")), reason or "—", where])
    if result.scored:
        lines += _rows_block(html_table(["条目", "项目", "得分 / 满分", "状态", "理由", "依据"], crit))
    else:
        lines += _rows_block(html_table(["条件", "项目", "结论", "理由", "依据"], condition_rows(entry, rule_pages)))

    findings = [f for f in entry.get("findings", []) if f.get("severity") in ("error", "warning")]
    if findings:
        lines += [_unsearched("检查提示"), ""]
        rows = []
        for f in findings:
            where = f"{f.get('file') or ''}:{f['line']}" if f.get("line") else (f.get("file") or "")
            rows.append([_finding_level(f, entry, result.scored), md(f.get("message")), _cell(where)])
        lines += _rows_block(html_table(["级别", "提示", "位置"], rows))

    if entry.get("state") == DRAFT and entry.get("todo"):
        lines += todo_section(entry["todo"])

    lines += changes.version_section(entry)

    badge_url = f"{site_url.rstrip('/')}/badges/{page}.svg" if site_url else f"/badges/{page}.svg"
    # the same on every institution page: kept out of the search index
    lines += [_unsearched("下载"), "", '<div data-search-exclude markdown="1">', "",
              *download_links(entry.get("downloads")),
              f"- [本机构备案数据（JSON）](../data/institutions/{page}.json)",
              f"- [评估得分徽章（SVG）](../badges/{page}.svg)", "",
              "在本机构网站嵌入徽章：", "", "```html",
              f'<img src="{badge_url}" alt="职业技能等级认定备案评估">', "```", "", "</div>", ""]
    return "\n".join(lines)


def criterion_reason(criterion: dict) -> str:
    """The 理由 cell: the expert's reason once, marked as theirs. A reviewed criterion's record carries the
    review's reason twice (as its reason and in its review); the check's own words are kept only when they
    say something else."""
    own = md(criterion.get("reason"))
    review = criterion.get("review")
    if not review:
        return own
    expert = md(review.get("reason") or review.get("outcome") or "")
    words = [own] if own and own != expert else []
    return "；".join(words + ([f"专家意见：{expert}"] if expert else []))


def section_totals(entry: dict) -> list[dict]:
    """One row per section of the score sheet, in the sheet's order: the points awarded and the most
    its criteria give (veto items give none), points still awaiting an expert, veto items and failed ones."""
    failed = {v.get("rule") for v in entry.get("vetoes") or []}
    totals: dict[str, dict] = {}
    for c in entry.get("criteria", []):
        name = str(c.get("section") or c.get("group") or "其他")
        row = totals.setdefault(name, {"section": name, "awarded": 0, "max": 0, "pending": 0, "bonus": False,
                                       "vetoes": 0, "failed": 0})
        if c.get("veto"):
            row["vetoes"] += 1
            row["failed"] += c.get("id") in failed
            continue
        row["awarded"] += c.get("awarded") or 0
        row["max"] += c.get("max") or 0
        row["bonus"] = row["bonus"] or bool(c.get("bonus"))
        if c.get("status") == "pending":
            row["pending"] += (c.get("potential") or 0) - (c.get("awarded") or 0)
    return list(totals.values())


def _points(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def subtotals_block(entry: dict, pending: bool = True) -> list[str]:
    """The section subtotals at a glance: a bar and “得分 / 满分” per section, veto items said in words.
    PENDING: say which points await an expert (not after a failed veto: no points can change the outcome)."""
    rows = []
    for t in section_totals(entry):
        plus = "+" if t["bonus"] else ""
        if t["max"]:
            share = max(0.0, min(1.0, t["awarded"] / t["max"]))
            bar = f'<span class="beian-bar" aria-hidden="true"><span style="width:{share * 100:.0f}%"></span></span>'
            points = f"{plus}{_points(t['awarded'])} / {plus}{_points(t['max'])}"
        else:
            bar, points = "", "不计分"
        notes = []
        if pending and t["pending"]:
            notes.append(f"另有 {_points(t['pending'])} 分待专家判定")
        if t["vetoes"]:
            notes.append(f"否决项 {t['vetoes']} 项" + (f"，{t['failed']} 项不符合" if t["failed"] else "，均符合"))
        rows.append([md(t["section"]), f"{points} {bar}".strip(), "；".join(notes) or "—"])
    if not rows:
        return []
    return _rows_block(html_table(["评分表部分", "得分 / 满分", "说明"], rows), "beian-subtotals",
                       caption="各部分得分：") + [""]


def sessions_link(entry: dict) -> list[str]:
    """The way to the institution's 认定计划 page (only institutions that have sessions get one)."""
    sessions = entry.get("sessions") or []
    if not sessions:
        return []
    upcoming = sum(1 for s in sessions if s.get("upcoming"))
    return [_unsearched("认定计划"), "",
            f"已提交认定计划 {len(sessions)} 个，其中尚未结束的 {upcoming} 个："
            f"[查看各次认定的日程、审核结论和认定结果](../sessions/{entry['page']}.md)。", ""]


def todo_section(items: list[dict]) -> list[str]:
    """A draft's to-do list, as `beian check` ends with it (generator/todo.py)."""
    actions, others = todo_lines(items, md)
    return ([_unsearched("待办（草稿）"), "", "先改错误和否决项，再按可得分数从高到低：", ""]
            + [f"{n}. {line}" for n, line in enumerate(actions, start=1)]
            + ([""] + [f"- {line}" for line in others] if others else []) + [""])


def commitments_section(commitments: list[dict]) -> list[str]:
    """What the institution promised instead of having it yet, and whether the promise is overdue."""
    if not commitments:
        return []
    lines = [_unsearched("承诺事项", 3), ""]
    for c in commitments:
        due = _cell(c.get("due"))
        when = f"**已逾期**：期限 {due} 已过，仍未完成" if c.get("overdue") else f"期限 {due}"
        lines.append(f"- {md(c['subject'])}：{md(c['what'])}尚未完成。承诺：{md(c['content'])}"
                     f"（{when}；承诺人：{_cell(c.get('signer'))}）。{md(c.get('condition'))}。")
    return lines + [""]


def conditions_conclusion(entry: dict, result) -> list[str]:
    """The 评估结论 of a conditions result (增量备案审核): its verdict, the earlier score, no points."""
    existing = entry.get("existing_score")
    earlier = (f"原有备案（初次备案）的评估得分为 **{existing}** 分"
               + (f"（{md(entry.get('existing_date'))}）" if entry.get("existing_date") else "") + "。"
               if existing is not None else "原有备案（初次备案）的评估得分未填写。")
    lines = [f"**{result.headline}**：本次为{_cell(entry.get('category'))}，按审核条件逐项核对（符合或不符合），"
             f"不按百分制评分。" + ("" if result.decided else f"{DISCLAIMER}。"), "", earlier, ""]
    lines += [_unsearched("审核条件", 3), ""]
    lines += [f"- {md(c['title'])}：{md(c['status_label'])}" for c in entry.get("conditions", [])]
    return lines + [""]


def condition_rows(entry: dict, rule_pages: set[str]) -> list[list[str]]:
    rows = []
    sheet = entry.get("sheet")
    for c in entry.get("criteria", []):
        key = f"{sheet}/{c['id']}"
        title = _link(f"../../rules/{key}/", md(c["title"])) if key in rule_pages else md(c["title"])
        label = next((x["status_label"] for x in entry.get("conditions", []) if x["rule"] == c["id"]), c.get("status_label"))
        reason = md(c.get("reason"))
        if c.get("review"):  # the reason is the reviewer's: say whose
            review = c["review"]
            reason = f"审核意见（{md(review.get('reviewer'))}，{md(review.get('date'))}）：{reason}"
        where = "<br>".join(md(loc) for loc in c.get("locations", [])) or "—"
        rows.append([title, md(c.get("group")), md(label), reason or "—", where])
    return rows


def _finding_level(finding: dict, entry: dict, scored: bool) -> str:
    if finding["severity"] == "error":
        return "错误"
    if scored:
        return "扣分"
    return "不符合" if any(c["rule"] == finding.get("rule") for c in entry.get("conditions", [])) else "警告"


def download_links(downloads: dict | None) -> list[str]:
    """The institution's PDF bundle and Excel sheet, as built by `beian build` (file names are page slugs)."""
    if downloads is None:
        return ["- 备案材料 PDF 与认定范围清单 Excel：本次发布未生成。"]
    if "error" in downloads:
        return ["- 备案材料 PDF 与认定范围清单 Excel：生成失败，维护者已在构建日志中看到原因。"]
    return [f"- [备案材料（PDF，{downloads['pages']} 页，公开版：不含身份证号和手机号码）](../downloads/{downloads['pdf']})",
            f"- [评价机构信息与认定范围清单（Excel）](../downloads/{downloads['xlsx']})"]


# --------------------------------------------------------------------------------------------
# Listings
# --------------------------------------------------------------------------------------------

LIST_COLUMNS = ["公示结论", "得分", "机构名称", "城市", "类型", "备案号", "有效期至", "否决项", "职业数"]


def list_score(entry: dict) -> float | None:
    """The number in the list's 得分 column (the earlier score of a 增量备案), for the score filter."""
    if not entry.get("valid", False):
        return None
    score = entry.get("score") if entry.get("score") is not None else entry.get("existing_score")
    return score if isinstance(score, (int, float)) and not isinstance(score, bool) else None


def score_bands(threshold) -> list[tuple[str, str]]:
    """(option value "low,high" in points, words) of the list's score filter, around the pass mark."""
    mark = threshold if isinstance(threshold, (int, float)) else 65
    return [("90,", "90 分及以上"), (f"{mark},90", f"{mark}–89 分"), (f",{mark}", f"{mark} 分以下（未达合格线）"),
            ("none", "无得分（按条件审核或文件无效）")]


def _options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{value}">{words}</option>' for value, words in values)
    return (f'<label>{label} <select name="{name}"><option value="">全部</option>{options}</select></label>')


def list_filters(entries: list[dict]) -> list[str]:
    """The list's filter form, hidden until tables.js wires it up (without scripts the table is all there is).
    The field names are also the address's parameters (institutions/?state=已备案&band=90,), so a filtered
    list can be linked to; not `q`, which material's search box takes for itself."""
    def distinct(values):
        return sorted({v for v in values if v}, key=lambda v: v.encode("utf-8"))

    states = [s for s in (*STATES, INVALID) if any(state_label(e) == s for e in entries)]
    cities = distinct(plain(e.get("city")) for e in entries)
    types = distinct(plain(e.get("type")) for e in entries)
    thresholds = Counter(e.get("threshold") for e in entries if e.get("threshold") is not None)
    mark = thresholds.most_common(1)[0][0] if thresholds else None
    return ['<form class="beian-filters" hidden aria-label="筛选机构">',
            '<label>名称、备案号 <input type="search" name="text" placeholder="输入文字"></label>',
            _options("state", "备案状态", [(s, s) for s in states]),
            _options("city", "城市", [(attr(c), md(c)) for c in cities]),
            _options("type", "类型", [(attr(t), md(t)) for t in types]),
            _options("band", "得分", score_bands(mark)),
            '<output class="beian-count" aria-live="polite"></output>', "</form>"]


def list_row(e: dict) -> str:
    score = list_score(e)
    data = (f'data-state="{state_label(e)}" data-city="{attr(e.get("city"))}" data-type="{attr(e.get("type"))}" '
            f'data-score="{"" if score is None else score}"')
    cells = [decision_label(e), score_text(e), _link(f"{e['page']}/", md(e.get("name")) or md(e["institution"])),
             _cell(e.get("city")), _cell(e.get("type")), _cell(e.get("filing_number")), _cell(e.get("valid_until")),
             len(e.get("vetoes") or []), len(e["scope"])]
    return f"<tr {data}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def institutions_index(entries: list[dict], rows: list[str] | None = None) -> str:
    """The list of institutions: 公示结论 and 得分 first (what a visitor looks for), filters above the table.
    The whole width of the page: material's navigation sidebar would leave the table half the screen.
    ROWS: the entries' list_row, when already made."""
    lines = ["---", "hide:", "  - navigation", "  - toc", "---", "", "# 机构", "", HEADER.strip(), "",
             f"共 {len(entries)} 个机构。按备案状态、城市、类型或得分筛选，点击表头排序。", "",
             "“已备案”的机构才可按所列范围开展认定；“已提交”“草稿”的机构尚未备案，"
             f"其得分是自评结果（{DISCLAIMER}）。", "",
             f"订阅全部机构备案数据的变更：[Atom 订阅](../{changes.ALL_FEED})（每个机构的订阅见其页面的“版本记录”）。", ""]
    head = "".join(f"<th>{h}</th>" for h in LIST_COLUMNS)
    table = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *(rows if rows is not None else map(list_row, entries)),
             "</tbody>", "</table>"]
    return "\n".join(lines + _rows_block(list_filters(entries) + table, "beian-sortable beian-register"))


def _institution_link(e: dict) -> str:
    return _link(f"../../institutions/{e['page']}/", md(e.get("name")) or md(e["institution"]))


def occupation_page(occupation: dict) -> str:
    code, name = occupation["code"], md(occupation["name"])
    lines = [front_matter_title(f"{occupation['name']}（{code}）") + f"# {name}（{code}）", "", HEADER.strip(), ""]
    if occupation["in_catalogue"]:
        lines += [f"职业分类：{md(occupation['major'][1])} › {md(occupation['middle'][1])} › "
                  f"{md(occupation['minor'][1])}（2022 版职业分类大典）", ""]
    elif occupation.get("edition") == "2015":
        lines += ["本职业按 2015 版职业分类大典的编码申报，2022 版大典没有同名职业。", ""]
    else:
        lines += ["本编码不在 2022 版职业分类大典中。", ""]
    approved = [(e, i) for e, i in occupation["holders"] if i.get("approved")]
    others = [(e, i) for e, i in occupation["holders"] if not i.get("approved")]
    lines += [f"已备案的认定机构 {len(approved)} 个，申请中或未生效 {len(others)} 个。", ""]
    lines += [_unsearched("已备案的认定机构"), ""]
    if approved:
        rows = [[_institution_link(e), _cell(e.get("city")), job_types_text(item), levels_text(item_levels(item)),
                 _cell(item["basis"]), _cell(e.get("valid_until"))] for e, item in approved]
        lines += _rows_block(html_table(["机构", "城市", "工种", "级别", "评价标准", "有效期至"], rows))
    else:
        lines.append("目前没有已备案的机构认定这个职业。")
    lines.append("")
    if others:
        rows = [[_institution_link(e), _cell(e.get("city")), state_label(e), job_types_text(item),
                 levels_text(item_levels(item))] for e, item in others]
        lines += [_unsearched("申请中或未生效（尚未备案，不能据此认定）"), ""]
        lines += _rows_block(html_table(["机构", "城市", "状态", "工种", "级别"], rows))
    return "\n".join(lines)


def occupations_index(index: dict[str, dict]) -> str:
    lines = ["# 职业", "", HEADER.strip(), "",
             f"共 {len(index)} 个职业有机构认定或申请认定，按 2022 版职业分类大典的大类浏览。括号内为已备案机构数 / 全部机构数。", ""]
    majors: dict[tuple, dict[tuple, list]] = {}
    for occupation in index.values():
        majors.setdefault(occupation["major"], {}).setdefault(occupation["middle"], []).append(occupation)
    for (major_code, major_name), middles in sorted(majors.items()):
        lines += [f"## 第{md(major_code)}大类 {md(major_name)}", ""]
        for (middle_code, middle_name), occupations in sorted(middles.items()):
            if middle_name:
                lines += [f"**{md(middle_code)} {md(middle_name)}**", ""]
            for o in occupations:
                approved = sum(1 for _, item in o["holders"] if item.get("approved"))
                lines.append(f"- [{o['code']} {md(o['name'])}]({o['page']}.md)（{approved} / {len(o['holders'])}）")
            lines.append("")
    return "\n".join(lines)


def home_page(counts: RegisterCounts) -> str:
    """The home page; every number on it is COUNTS (counts.py), the same the list, the charts and the build print."""
    lines = ["# 职业技能等级认定机构备案公示", "", HEADER.strip(), "",
             "河南省院校类职业技能等级认定机构的备案材料、评估得分和认定范围。数据来自各机构以文件形式提交的备案材料，"
             "由程序按《院校类职业技能等级评价机构备案技术评估评分表》逐项评分，专家判定的条目以专家意见为准。"
             f"尚未备案的机构，其得分是自评结果，不是人社部门的审核结论（{DISCLAIMER}）。", "",
             "## 概况", "",
             "| 项目 | 数量 |", "|---|---|",
             f"| 机构 | {counts.institutions} |",
             f"| 已备案机构 | {counts.approved} |"]
    if counts.certifying_under_review:
        lines.append(f"| 增量备案审核中、原有职业仍可认定的机构 | {counts.certifying_under_review} |")
    lines += [f"| 可开展认定的职业（已备案范围） | {counts.approved_occupations} |",
              f"| 已申请（含未备案）的职业 | {counts.applied_occupations} |",
              f"| 已备案范围覆盖的等级 | {len(counts.levels)} |",
              f"| 180 天内到期的备案 | {counts.expiring} |", ""]
    if counts.certifying_under_review:
        lines += ["“已备案机构”与下表“已备案”一栏相同。增量备案审核中的机构状态为“已提交”，其原有职业仍在原备案有效期内，"
                  "可以继续认定，因此计入“可开展认定的职业”和“已备案范围覆盖的等级”。", ""]
    lines += ["## 备案状态", "", "| 状态 | 机构数 |", "|---|---|"]
    lines += [f"| {label} | {count} |" for label, count in counts.by_state]
    lines += ["", "![各备案状态的机构数](assets/charts/states.svg)", ""]
    lines += ["## 评估得分分布", "", "合格线为 65 分，绿色为达到合格线的分数段。尚未备案机构的得分是自评结果，待人社部门审核。"
              "增量备案按条件审核、不计分，不在图中。", "",
              "![评估得分分布](assets/charts/scores.svg)", ""]
    lines += ["## 各市机构分布", "", "![各市机构数](assets/charts/cities.svg)", ""]
    if counts.levels:
        lines += ["## 已备案范围覆盖的等级", "", "| 等级 | 职业（机构 × 职业） |", "|---|---|"]
        names = shared_reference().level_names
        lines += [f"| {names[level]} | {count} |" for level, count in counts.levels]
        lines.append("")
    lines += ["## 从这里开始", "", "- [全部机构](institutions/index.md)：按名称、城市、状态、得分排序和筛选",
              "- [按职业浏览](occupations/index.md)：哪些机构可以认定哪个职业、哪些等级",
              "- [认定日历](calendar.md)：各机构即将举行的认定考试，可用日历软件订阅",
              "- [评分规则](rules/index.md)：评分表每一条的原文、分值和程序如何判定",
              "- [申报指南](guide.md)：院校如何通过拉取请求提交备案材料",
              "- [数据下载](data.md)：全部备案数据（CSV、JSON）", ""]
    return "\n".join(lines)


SCORE_BINS = [(0, 34, "<35"), (35, 44, "35–44"), (45, 54, "45–54"), (55, 64, "55–64"),
              (65, 74, "65–74"), (75, 84, "75–84"), (85, 94, "85–94"), (95, 100, "95–100")]


def score_bars(entries: list[dict]) -> list[tuple[str, int]]:
    bars = []
    for low, high, label in SCORE_BINS:
        bars.append((label, sum(1 for e in entries if e.get("valid") and e.get("score") is not None
                            and low <= e["score"] < high + 1)))
    return bars


def city_bars(entries: list[dict]) -> list[tuple[str, int]]:
    counts = Counter(str(e.get("city") or "未填写") for e in entries)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def state_bars(counts: RegisterCounts) -> list[tuple[str, int]]:
    return list(counts.by_state)


def data_page(count: int, summary: bool = False) -> str:
    workbook = ["- [汇总表（Excel）](downloads/summary.xlsx)：每个机构一行，含法定代表人、联系人和办公电话（不含手机号码）"] if summary else []
    return "\n".join([
        "# 数据下载", "", HEADER.strip(), "",
        f"全部 {count} 个机构的备案数据，每次发布时由程序重新生成。数据不含任何身份证号或手机号码，也不列出人员姓名"
        "（各机构的备案材料 PDF 公开版列出工作人员、专家和考评员的姓名，不含其身份证号）。", "",
        "- [register.csv](data/register.csv)：每个机构一行（UTF-8，带 BOM，可直接用 Excel 打开）",
        "- [register.json](data/register.json)：每个机构的概况、得分、否决项和认定范围", *workbook,
        "- 单个机构的完整评分数据、备案材料 PDF 和认定范围清单 Excel：见各机构页面的“下载”一节",
        f"- [{changes.ALL_FEED}]({changes.ALL_FEED})：全部机构备案数据变更的 Atom 订阅（来自 git 历史；"
        "每个机构的订阅在 feeds/institutions/，链接见各机构页面的“版本记录”）", "",
        "## CSV 字段", "",
        "| 字段 | 含义 |", "|---|---|",
        "| institution | 机构代号（备案文件夹名） |", "| name | 机构名称 |", "| type | 机构类型 |",
        "| city | 所在城市 |", "| filing_number | 备案号 |", "| state | 备案状态（已备案/已提交/草稿/已过期/已撤销） |",
        "| approved | 是否为当前有效的已备案机构 |", "| valid_until | 备案有效期至 |",
        "| score / base_score / bonus | 总得分 / 基础得分 / 优先项目加分；增量备案按条件审核、不计分，这三列为空 |",
        "| policy | 判定方式：points 百分制评分，conditions 按条件审核（增量备案） |",
        "| existing_score | 增量备案：原有备案（初次备案）的评估得分，由机构从原备案材料抄录 |",
        "| result | 公示结论：已备案机构为“已备案 · 得分”，尚未备案的为自评结果，如“自评 93 分 · 待审核”“草稿 · 自评 35 分”"
        "“自评 否决项：…… · 待审核”；备案过期或撤销的为“备案已过期”“备案已撤销” |",
        "| decision | 程序评分的结论：eligible 达到合格线（增量备案：全部条件符合），ineligible 未达到、有否决项或有条件不符合，"
        "pending_review 取决于待专家判定的条目；"
        "尚未备案的机构是自评结果，不是人社部门的审核结论 |",
        "| vetoes | 否决项条目编号 |", "| occupations | 认定范围，含申请中的职业（职业编码 名称 [等级]） |",
        "| approved_occupations | 其中已备案、当前可开展认定的职业（增量备案审核期间为原有职业） |", ""])
