"""`beian review-template PATH`: a reviews.yaml skeleton for the items awaiting judgment.

It prints to stdout and writes nothing: the reviewer copies what they need into
reviews.yaml, so no earlier decision is ever overwritten. Each item carries `inputs:`, the
digest of what the reviewer is judging (generator/review_inputs.py): if the data changes
after the decision, the decision is set aside and the item is listed here again.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .engine import evaluate_path
from .paths import PROJECT_ROOT
from .review_inputs import inputs_digest


def _quote(text: str) -> str:
    return text.replace("\n", " ")


def render(root: Path, out=sys.stdout) -> int:
    result = evaluate_path(root, PROJECT_ROOT)
    if not result.valid:
        out.write(f"# {root}：备案文件无效，请先改正错误（beian check {root}）。\n")
        return 1
    pending = result.pending
    out.write("# yaml-language-server: $schema=../../schemas/reviews.schema.json\n")
    out.write(f"# {result.filing.name}：待专家判定 {len(pending)} 项（程序生成的评审意见模板，请逐项填写后保存为 reviews.yaml）\n")
    out.write("panel: []   # 专家组成员，例如 [王某某（组长）, 李某某]\n")
    out.write("decisions:\n" if pending else "decisions: []\n")
    for item in pending:
        c = item.criterion
        out.write(f"  # {c.section} / {c.group} / {c.title}：{_quote(c.standard)}\n")
        if item.stale:
            out.write(f"  #   · 评审后资料有变动，需重新判定（原评审：{_quote(str(item.stale.get('reviewer')))}，"
                      f"{item.stale.get('date')}）\n")
        for finding in item.findings[:6]:
            out.write(f"  #   · {_quote(finding.message)}\n")
        out.write(f"  - criterion: {c.id}\n")
        if c.outcomes:  # a veto (通过/否决) or a condition (符合/不符合)
            out.write(f"    outcome:     # {c.outcomes[0]} 或 {c.outcomes[1]}\n")
        elif c.is_bonus:
            out.write(f"    points:      # 0 或 {c.points}\n")
        else:
            out.write(f"    points:      # 0 至 {item.potential:g}（满分 {c.max}）\n")
        out.write("    reason: \"\"\n    reviewer: \"\"   # 评审人名册 rules/reviewers.yaml 中的姓名，例如 王某某（专家组组长）\n"
                  f"    date: \"\"\n    inputs: {inputs_digest(result.filing, item.observations)}   # 评审时的资料摘要，请勿修改\n")
    return 0
