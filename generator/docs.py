"""`beian docs`: one generated Markdown page per rule, for the portal.

Pages are written under a do-not-edit header into a generated folder that git
ignores; `beian explain` prints the same text from rulesinfo.rule_page.
"""
from __future__ import annotations

from pathlib import Path

from .engine import validity_rules
from .escaping import markdown_text
from .forms.docs import form_page, jurisdiction_name, who_fills
from .forms.model import JUDGING_LABELS, all_forms
from .jurisdiction import jurisdiction_files, load_jurisdiction
from .jurisdiction_docs import jurisdiction_page
from .rulesinfo import points_text, rule_page
from .sheet import all_sheets

HEADER = "<!-- 本页由 `beian docs` 根据 rules/ 自动生成，请勿手工修改。 -->\n\n"


def _page(markdown: str) -> str:
    """The page with its notice after the title line: mkdocs takes a page's title from a leading
    `# …` heading only, and would otherwise name the page after its file (basis-question-bank →
    "Basis question bank") in the browser tab and in search."""
    title, _, rest = markdown.partition("\n")
    return f"{title}\n\n{HEADER}{rest.lstrip()}"


def write_rule_pages(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# 规则", "", HEADER.strip(), ""]
    for sheet in all_sheets().values():
        index += [f"## {sheet.title}（`{sheet.id}`）", "", "| 编号 | 条目 | 分值 | 计分方式 |", "|---|---|---|---|"]
        for c in sheet.criteria:
            page = out / sheet.id / f"{c.id}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page(rule_page(f"{sheet.id}/{c.id}")), encoding="utf-8")
            written.append(page)
            points = points_text(c)
            index.append(f"| [{c.id}]({sheet.id}/{c.id}.md) | {c.title} | {points} | {c.mode_label} |")
        index.append("")
    index += ["## 有效性规则", "", "| 编号 | 规则 | 级别 |", "|---|---|---|"]
    for rule in validity_rules():
        page = out / "validity" / f"{rule.id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(rule_page(rule.id)), encoding="utf-8")
        written.append(page)
        index.append(f"| [{rule.id}](validity/{rule.id}.md) | {rule.title} | {rule.severity} |")
    index += ["", "## 辖区事实", "", "| 辖区 | 数据文件 |", "|---|---|"]
    for path in jurisdiction_files():
        home = load_jurisdiction(path.stem)
        page = out / "jurisdictions" / f"{home.id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(jurisdiction_page(home)), encoding="utf-8")
        written.append(page)
        index.append(f"| [{home.name}](jurisdictions/{home.id}.md) | `rules/jurisdictions/{path.name}` |")
    index += ["", "## 督导记录表", "", "| 记录表 | 辖区 | 填写 | 判定方式 |", "|---|---|---|---|"]
    for form in all_forms().values():
        page = out / "forms" / f"{form.id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(form_page(form)), encoding="utf-8")
        written.append(page)
        index.append(f"| [{markdown_text(form.title)}](forms/{form.id}.md) | {markdown_text(jurisdiction_name(form))} | "
                     f"{markdown_text(who_fills(form))} | {JUDGING_LABELS[form.judging]} |")
    (out / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(out / "index.md")
    return written
