"""`beian pr-comment`: the one PR comment with the report, updated in place on every push.

The comment starts with MARKER so the commenting workflow can find and edit its
own comment instead of adding a new one. GitHub rejects comments over 65,536
characters; a longer report is cut at a line and points to the job summary.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

MARKER = "<!-- beian-report -->"
LIMIT = 60_000
_SHA = re.compile(r"^[0-9a-f]{7,64}\Z")


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[:room]
    cut = cut[:cut.rfind("\n") + 1] if "\n" in cut else ""
    # Close a collapsed section the cut left open, so the rest of the comment still renders.
    missing = cut.count("<details>") - cut.count("</details>")
    return cut + "\n</details>\n" * max(0, missing)


def body(report: str, diff: str | None = None, run_url: str | None = None, sha: str | None = None) -> str:
    head = [MARKER, "# 备案检查结果"]
    if sha and _SHA.match(sha):
        head.append(f"检查的提交：`{sha[:12]}`")
    # Only a URL of the expected form is linked: it is the reader's way to the full report.
    link = run_url if run_url and re.match(r"^https://[A-Za-z0-9.-]+/[\w.-]+/[\w.-]+/actions/runs/\d+(/attempts/\d+)?\Z", run_url) else None
    footer = "\n---\n<sub>由 `beian` 自动生成，每次推送后更新这一条评论。"
    footer += f" [完整报告与标注]({link})</sub>\n" if link else "</sub>\n"
    parts = ["\n\n".join(head) + "\n\n"]
    if diff:
        # A rule change compared over every institution can be long too: it keeps at most two thirds of the room.
        if len(diff) > LIMIT * 2 // 3:
            diff = _cut(diff, LIMIT * 2 // 3) + "\n> ⚠️ 版本比较过长，评论中只显示开头部分；完整内容见作业摘要。\n"
        parts.append(diff.rstrip("\n") + "\n\n")
    text = "".join(parts)
    room = LIMIT - len(text) - len(footer) - 200
    if len(report) > room:
        note = "\n> ⚠️ 报告过长，评论中只显示开头部分" + ("，完整报告见文末链接的作业摘要。\n" if link else "。\n")
        report = _cut(report, max(0, room - len(note))) + note
    return text + report.rstrip("\n") + "\n" + footer


class InputError(Exception):
    """An input file that cannot be read; the message is Chinese and names the file."""


def _read(path: Path, option: str) -> str:
    from ..textfile import TextFileError, decode_bytes, os_reason

    if not path.exists():
        raise InputError(f"{option} 给出的文件不存在：{path}")
    if not path.is_file():
        raise InputError(f"{option} 给出的 {path} 不是文件（可能是文件夹）。")
    try:
        return decode_bytes(path.read_bytes())
    except OSError as exc:
        raise InputError(f"无法读取 {option} 给出的 {path}：{os_reason(exc)}。") from None
    except TextFileError as exc:
        raise InputError(f"{option} 给出的 {path}：{exc.message}") from None


def run(args) -> int:
    try:
        report = _read(Path(args.report), "--report")
        # A missing --diff is normal in CI (no comparable base); a present but unreadable one is not.
        diff = _read(Path(args.diff), "--diff") if args.diff and Path(args.diff).exists() else None
    except InputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return 2
    sys.stdout.write(body(report, diff, args.run_url, args.sha))
    return 0
