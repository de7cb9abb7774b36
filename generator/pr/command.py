"""Subcommands of this feature; registered by generator/cli.py. Heavy code is imported only when run."""
from __future__ import annotations


def _diff(args) -> int:
    from .diff import run

    return run(args)


def _comment(args) -> int:
    from .comment import run

    return run(args)


def register(sub) -> None:
    """Add `beian diff` and `beian pr-comment` to the `beian` parser."""
    diff = sub.add_parser(
        "diff", help="比较两个 git 版本：每个有改动的机构得分、条目、认定范围和认定计划的变化",
        description="比较 BASE（与 HEAD 的分叉点）和 HEAD（默认：当前工作区）之间每个有改动的机构："
                    "总得分前后、得分变化的条目、认定范围的新增与删除，以及新增、删除或有变化的认定计划"
                    "（结论前后、新增和已消除的问题）。rules/、schemas/、generator/ 有改动时比较全部机构，列出得分、结论或问题"
                    "有变化的机构并统计不变的机构，供评审人判断规则或程序改动的影响。各版本用各自的评分表和程序评分；不改动工作区。")
    diff.add_argument("base", metavar="BASE", help="基准 git 版本，例如 origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="比较的 git 版本（默认：当前工作区，含未提交的改动）")
    diff.add_argument("--format", "-f", choices=["text", "markdown", "json"], default="text", help="输出格式")
    diff.add_argument("--author", metavar="LOGIN",
                      help="PR 提交人的 GitHub 账号；不在基准版本的评审人名册中时，其对 reviews.yaml 与名册的修改不计入得分")
    diff.set_defaults(run=_diff)

    comment = sub.add_parser(
        "pr-comment", help="（CI 用）把检查报告和版本比较合成一条 PR 评论",
        description="把 `beian check -f markdown` 与 `beian diff -f markdown` 的输出合成一条带标记的 PR 评论，"
                    "超过 GitHub 评论长度上限时截断并指向作业摘要。")
    comment.add_argument("--report", required=True, help="检查报告（Markdown 文件）")
    comment.add_argument("--diff", help="版本比较（Markdown 文件）")
    comment.add_argument("--run-url", help="本次 CI 运行的地址，截断时提示读者去那里看全文")
    comment.add_argument("--sha", help="被检查的提交")
    comment.set_defaults(run=_comment)
