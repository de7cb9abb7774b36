"""`beian docs`: one generated Markdown page per rule, for the portal.

Pages are written under a do-not-edit header into a generated folder that git
ignores; `beian explain` prints the same text from rulesinfo.rule_page.
"""
from __future__ import annotations

import re
from pathlib import Path

from .engine import validity_rules
from .escaping import markdown_text
from .forms.docs import form_page, jurisdiction_name, who_fills
from .forms.model import JUDGING_LABELS, all_forms
from .jurisdiction import jurisdiction_files, load_jurisdiction
from .jurisdiction_docs import jurisdiction_page, supervision_basis
from .rulesinfo import points_text, rule_page
from .sheet import all_sheets

HEADER = "<!-- 本页由 `beian docs` 根据 rules/ 自动生成，请勿手工修改。 -->\n\n"


def _page(markdown: str) -> str:
    """The page with its notice after the title line: mkdocs takes a page's title from a leading
    `# …` heading only, and would otherwise name the page after its file (basis-question-bank →
    "Basis question bank") in the browser tab and in search."""
    title, _, rest = markdown.partition("\n")
    return f"{title}\n\n{HEADER}{_examples_out_of_search(rest.lstrip())}"


def _examples_out_of_search(markdown: str) -> str:
    """The worked examples stay on the page but out of the portal's search: they quote the sample filing's names
    and occupations on every rule page, so a search for 车工 would find every rule instead of the occupation."""
    head, found, examples = markdown.partition("\n## 示例\n")
    if not found:
        return markdown
    body, heading, after = examples.partition("\n## ")
    # the sub-headings too: the search plugin makes an (empty) entry of every heading, even in an excluded block
    body = re.sub(r"^(###+ .+)$", r"\1 { data-search-exclude }", body, flags=re.M)
    return (f"{head}\n## 示例\n\n<div class=\"beian-examples\" markdown=\"1\" data-search-exclude>\n{body.strip()}\n\n</div>\n"
            + (f"\n## {after}" if heading else ""))


def write_rule_pages(out: Path, developer: bool = False) -> list[Path]:
    """Every rule, jurisdiction and form page under OUT. DEVELOPER (`beian docs --developer`) adds each rule's check
    function and test cases for maintainers; the portal always builds without them."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# 规则", "", HEADER.strip(), ""]
    for sheet in all_sheets().values():
        index += [f"## {sheet.title}（`{sheet.id}`）", "", "| 编号 | 条目 | 分值 | 计分方式 |", "|---|---|---|---|"]
        for c in sheet.criteria:
            page = out / sheet.id / f"{c.id}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page(rule_page(f"{sheet.id}/{c.id}", developer)), encoding="utf-8")
            written.append(page)
            points = points_text(c)
            index.append(f"| [{c.id}]({sheet.id}/{c.id}.md) | {c.title} | {points} | {c.mode_label} |")
        index.append("")
    index += ["## 有效性规则", "", "| 编号 | 规则 | 级别 |", "|---|---|---|"]
    for rule in validity_rules():
        page = out / "validity" / f"{rule.id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(rule_page(rule.id, developer)), encoding="utf-8")
        written.append(page)
        index.append(f"| [{rule.id}](validity/{rule.id}.md) | {rule.title} | {rule.severity} |")
    index += ["", "## 辖区事实", "", "| 辖区 | 督导依据 |", "|---|---|"]
    for path in jurisdiction_files():
        home = load_jurisdiction(path.stem)
        page = out / "jurisdictions" / f"{home.id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(jurisdiction_page(home)), encoding="utf-8")
        written.append(page)
        index.append(f"| [{home.name}](jurisdictions/{home.id}.md) | {markdown_text(supervision_basis(home))} |")
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
