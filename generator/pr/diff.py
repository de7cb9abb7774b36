"""`beian diff BASE [HEAD]`: how each changed institution's score and scope moved, and which of its
session plans (认定计划) were added, removed or changed (verdict before → after, problems that came or went).

BASE is scored by BASE's own rules and code, HEAD (or the working tree) by its
own, so a change to the sheet shows up as a score change too. Revisions are
exported with `git archive` into a temporary folder: the user's working tree,
index and refs are never touched.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from ..findings import finding_key
from .changes import Changes, GitError, changed_files, git, treeish
from .reviews import (REGISTER_PATH, author_registered, change_text, decision_changes, read_text, register_in,
                      restore_base_reviews, reviews_path, shown_login)

TREE_PARTS = ("generator", "rules", "schemas", "institutions", "pyproject.toml")
# A rule change may move thousands of institutions: the Markdown (job summary, PR comment) lists the most telling
# ones and says how many more there are; the JSON has them all.
MAX_ROWS = 100
MAX_FINDINGS = 10
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


# --- exporting and scoring a revision ---------------------------------------------------------

def list_tree(root: Path, commit: str, path: str = "") -> set[str]:
    """Names in a folder of COMMIT (relative to the project root); empty if it does not exist."""
    try:
        return set(filter(None, git(root, "ls-tree", "--name-only", treeish(root, commit, path)).split("\n")))
    except GitError:
        return set()


def export_tree(root: Path, commit: str, target: Path, institutions: list[str]) -> Path:
    """Write the parts of COMMIT needed to score INSTITUTIONS into TARGET (a fresh folder)."""
    present = list_tree(root, commit)
    paths = [p for p in TREE_PARTS if p in present and p != "institutions"]
    existing = list_tree(root, commit, "institutions")
    paths += [f"institutions/{slug}" for slug in institutions if slug in existing]
    target.mkdir(parents=True, exist_ok=True)
    if not paths:
        return target
    data = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", treeish(root, commit), "--", *paths],
                          capture_output=True, timeout=300)
    if data.returncode != 0:
        raise GitError(data.stderr.decode("utf-8", "replace").strip())
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as archive:
        try:
            archive.extractall(target, filter="data")
        except TypeError:  # Python without extraction filters; git archive output has no links outside
            archive.extractall(target)
    return target


def institution_slugs(tree: Path) -> list[str]:
    folder = tree / "institutions"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def score_tree(tree: Path, slugs: list[str], own_code: bool = True) -> dict[str, dict]:
    """Check records by slug, scored in TREE with TREE's own generator when it has one."""
    dirs = [f"institutions/{s}" for s in slugs if (tree / "institutions" / s).is_dir()]
    if not dirs:
        return {}
    env = dict(os.environ, BEIAN_ROOT=str(tree), PYTHONIOENCODING="utf-8")
    if own_code and (tree / "generator" / "__main__.py").is_file():
        env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json", *dirs],
                            cwd=tree, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)
    if result.returncode not in (0, 1):
        raise GitError(f"无法为 {tree} 中的机构评分：{result.stderr.strip()[-500:]}")
    try:
        payload = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise GitError(f"评分输出不是 JSON：{exc}") from None
    return {f["institution"]: f for f in payload.get("filings", [])}


def score_working_tree(root: Path, slugs: list[str]) -> dict[str, dict]:
    from ..batch import check_records

    dirs = [root / "institutions" / s for s in slugs if (root / "institutions" / s).is_dir()]
    return {r["institution"]: r for r in check_records(dirs)} if dirs else {}


# --- comparing ----------------------------------------------------------------------------

def scope_units(tree: Path, slug: str) -> dict[tuple, str]:
    """(code, 工种, level) → occupation name, from TREE's scope.yaml; empty if missing or unreadable."""
    from ..yamlload import read_data

    path = tree / "institutions" / slug / "scope.yaml"
    try:
        data = read_data(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    units: dict[tuple, str] = {}
    occupations = data.get("occupations") if isinstance(data, dict) else None
    for occupation in occupations if isinstance(occupations, list) else []:
        if not isinstance(occupation, dict) or not occupation.get("code"):
            continue
        code, name = str(occupation["code"]), str(occupation.get("name") or "")
        job_types = occupation.get("job_types")
        groups = ([(str(j.get("name") or ""), j.get("levels")) for j in job_types if isinstance(j, dict)]
                  if isinstance(job_types, list) and job_types else [(None, occupation.get("levels"))])
        for job_type, levels in groups:
            for level in levels if isinstance(levels, list) else []:
                units[(code, job_type, level)] = name
    return units


def _scope_lines(units: dict[tuple, str], keys: set) -> list[dict]:
    grouped: dict[tuple, list] = {}
    for code, job_type, level in keys:
        grouped.setdefault((code, job_type), []).append(level)
    lines = []
    for (code, job_type), levels in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        name = units.get((code, job_type, levels[0]), "")
        ordered = sorted(levels, key=lambda x: (-x if isinstance(x, int) else 0, str(x)))
        lines.append({"code": code, "name": name, "job_type": job_type, "levels": ordered})
    return lines


def _problems(session: dict | None) -> dict[tuple, dict]:
    findings = (session or {}).get("findings") or []
    return {finding_key(f): f for f in findings if f["severity"] != "notice"}


def session_changes(before: dict | None, after: dict | None, edited: set[str] = frozenset()) -> list[dict]:
    """The institution's sessions (认定计划) that were added, removed or changed: verdict before → after and
    the problems (errors and warnings) that appeared or went away. EDITED: plan numbers whose files the
    change touched; such a plan is listed even when its verdict and problems stay the same."""
    from ..report import session_verdict

    old = {s["plan_number"]: s for s in (before or {}).get("sessions") or []}
    new = {s["plan_number"]: s for s in (after or {}).get("sessions") or []}
    changes = []
    for plan in sorted(set(old) | set(new)):
        o, n = old.get(plan), new.get(plan)
        was, now = _problems(o), _problems(n)
        entry = {"plan_number": plan, "title": (n or o).get("title"),
                 "status": "added" if o is None else ("removed" if n is None else "changed"),
                 "before": session_verdict(o) if o else None, "after": session_verdict(n) if n else None,
                 "decision_before": (o["decision"] if o["valid"] else "invalid") if o else None,
                 "decision_after": (n["decision"] if n["valid"] else "invalid") if n else None,
                 "findings_added": [f for key, f in now.items() if key not in was],
                 "findings_removed": [f for key, f in was.items() if key not in now],
                 "edited": plan in edited}
        if (entry["status"] != "changed" or entry["before"] != entry["after"] or entry["findings_added"]
                or entry["findings_removed"] or entry["edited"]):
            changes.append(entry)
    return changes


def edited_plans(files: list[str], slug: str) -> set[str]:
    """Plan numbers (session folder names) of SLUG with a changed file."""
    prefix = f"institutions/{slug}/sessions/"
    return {name[len(prefix):].split("/")[0] for name in files if name.startswith(prefix) and "/" in name[len(prefix):]}


def compare(slug: str, before: dict | None, after: dict | None, scope_before: dict, scope_after: dict,
            edited: set[str] = frozenset()) -> dict:
    entry = {"institution": slug, "name": (after or before or {}).get("name") or slug,
             "status": "added" if before is None else ("removed" if after is None else "changed"),
             "before": _summary(before), "after": _summary(after), "criteria": [], "status_changes": [],
             "sessions": session_changes(before, after, edited)}
    # the filing's own problems (errors and warnings) that came or went, as for sessions
    was, now = _problems(before), _problems(after)
    entry["findings_added"] = [f for key, f in now.items() if key not in was]
    entry["findings_removed"] = [f for key, f in was.items() if key not in now]
    if before and after and before.get("valid") and after.get("valid"):
        old = {c["id"]: c for c in before["criteria"]}
        for c in after["criteria"]:
            o = old.get(c["id"])
            if o is None:
                continue
            delta = c["awarded"] - o["awarded"]
            if delta:
                entry["criteria"].append({"id": c["id"], "title": c["title"], "before": o["awarded"],
                                          "after": c["awarded"], "delta": _number(delta)})
            elif c["status"] != o["status"]:
                entry["status_changes"].append({"id": c["id"], "title": c["title"], "before": o["status_label"],
                                                "after": c["status_label"]})
        entry["criteria"].sort(key=lambda c: -abs(c["delta"]))
    entry["scope_added"] = _scope_lines(scope_after, set(scope_after) - set(scope_before))
    entry["scope_removed"] = _scope_lines(scope_before, set(scope_before) - set(scope_after))
    return entry


def _number(value):
    return int(value) if float(value).is_integer() else round(value, 2)


def _summary(record: dict | None) -> dict | None:
    if record is None:
        return None
    return {k: record.get(k) for k in ("valid", "score", "base_score", "bonus", "pending_points", "decision",
                                       "decision_label", "threshold")} | {"vetoes": [v["title"] for v in record["vetoes"]]}


def _titles(*records) -> dict[str, str]:
    return {c["id"]: c["title"] for r in records if r for c in r.get("criteria", [])}


def _scratch_copy(root: Path, target: Path, slugs: list[str]) -> Path:
    """The parts of the working tree needed to score SLUGS, copied so they can be changed."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in TREE_PARTS:
        source = root / part
        if part == "institutions":
            for slug in slugs:
                if (source / slug).is_dir():
                    shutil.copytree(source / slug, target / part / slug, ignore=ignore)
        elif source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        elif source.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / part)
    return target


def diff(root: Path, base_ref: str, head_ref: str | None = None, author: str | None = None) -> dict:
    changes: Changes = changed_files(root, base_ref, head_ref)
    head_commit = git(root, "rev-parse", "--verify", f"{head_ref}^{{commit}}").strip() if head_ref else None
    if changes.global_change:
        # Every institution may move: compare all of them, on both sides.
        head_slugs = list_tree(root, head_commit, "institutions") if head_commit else set(institution_slugs(root))
        slugs = sorted(s for s in list_tree(root, changes.base, "institutions") | head_slugs
                       if not s.startswith((".", "_")))
    else:
        slugs = changes.institutions
    with tempfile.TemporaryDirectory(prefix="beian-diff-") as tmp:
        base_tree = export_tree(root, changes.base, Path(tmp) / "base", slugs)
        head_tree = export_tree(root, head_commit, Path(tmp) / "head", slugs) if head_commit else root
        # Review decisions are read before any scoring: they are reported as the PR wrote them.
        texts = {s: (read_text(base_tree / reviews_path(s)), read_text(head_tree / reviews_path(s))) for s in slugs}
        touched = [s for s in slugs if texts[s][0] != texts[s][1]]
        register_changed = REGISTER_PATH in changes.files
        registered = author_registered(author, register_in(base_tree))
        counted = registered is not False or not (touched or register_changed)
        if not counted:
            # Score the head as if the PR had left reviews.yaml and the register alone.
            if not head_commit:
                head_tree = _scratch_copy(root, Path(tmp) / "head", slugs)
            restore_base_reviews(base_tree, head_tree, touched, register_changed)
        before = score_tree(base_tree, slugs)
        after = score_tree(head_tree, slugs) if head_commit or not counted else score_working_tree(root, slugs)
        entries = [compare(slug, before.get(slug), after.get(slug), scope_units(base_tree, slug), scope_units(head_tree, slug),
                           edited_plans(changes.files, slug))
                   for slug in slugs if slug in before or slug in after]
    for entry in entries:
        old, new = texts[entry["institution"]]
        entry["review_changes"] = decision_changes(old, new, _titles(before.get(entry["institution"]),
                                                                       after.get(entry["institution"])))
    moved = [e for e in entries if e["status"] != "changed" or e["criteria"] or e["status_changes"] or e["review_changes"]
             or e["scope_added"] or e["scope_removed"] or e["sessions"] or e["before"] != e["after"]
             or e["findings_added"] or e["findings_removed"]]
    return {"version": 1, "base": changes.base, "head": head_commit or "工作区", "global_change": changes.global_change,
            "author": author or None, "author_registered": registered, "register_changed": register_changed,
            "reviews_counted": counted, "institutions": moved, "unchanged": [e["institution"] for e in entries if e not in moved]}


# --- rendering -----------------------------------------------------------------------------

def _points(value) -> str:
    return "–" if value is None else f"{value:g}"


def _signed(value) -> str:
    return f"+{value:g}" if value > 0 else f"{value:g}"


def _side(summary: dict | None, missing: str) -> str:
    """One side of '72 → 78': the score, or a conditions result's verdict (it has no score), 无效, 新增/已删除."""
    if not summary:
        return missing
    if not summary["valid"]:
        return "无效"
    return summary["decision_label"] if summary.get("score") is None else _points(summary["score"])


def score_line(entry: dict) -> str:
    """'72 → 78：题库 +4，考评人员数量 +2'"""
    line = f"{_side(entry['before'], '新增')} → {_side(entry['after'], '已删除')}"
    if entry["criteria"]:
        line += "：" + "，".join(f"{c['title']} {_signed(c['delta'])}" for c in entry["criteria"])
    return line


def _levels(levels) -> str:
    return "、".join(LEVEL_NAMES.get(x, str(x)) for x in levels)


def scope_text(item: dict) -> str:
    job = f"（{item['job_type']}）" if item["job_type"] else ""
    return f"{item['code']} {item['name']}{job} {_levels(item['levels'])}"


def decision_text(entry: dict) -> str | None:
    before, after = entry["before"], entry["after"]
    label = lambda s: (s["decision_label"] if s["valid"] else "文件无效") if s else "—"  # noqa: E731
    if before and after and label(before) == label(after):
        return None
    return f"{label(before)} → {label(after)}"


def review_lines(report: dict) -> list[str]:
    """The review part of the report, first and apart from data changes; [] when the PR touched no review."""
    changed = [e for e in report["institutions"] if e.get("review_changes")]
    if not changed and not report.get("register_changed"):
        return []
    lines = []
    if report.get("author_registered") is False:
        lines.append(f"PR 提交人 {shown_login(report['author'])} 不在评审人名册中，以下评审意见变更不计入本次得分。")
    if report.get("register_changed"):
        lines.append(f"本 PR 修改了评审人名册 {REGISTER_PATH}。")
    if changed:
        lines.append("本 PR 修改了专家评审意见：")
    return lines


def review_items(entry: dict) -> list[str]:
    return [change_text(c) for c in entry.get("review_changes", [])]


SESSION_STATUS = {"added": "新增", "removed": "已删除", "changed": ""}


def session_change_text(change: dict) -> str:
    """“认定计划 SY2027-02（新增）：— → 符合要求” / “认定计划 SY2026-12：符合要求 → 不符合要求”."""
    status = SESSION_STATUS[change["status"]]
    if change["status"] == "changed" and change["before"] == change["after"]:
        status = "资料有改动" if change.get("edited") else ""
        verdict = f"{change['after']}（结论不变）"
    else:
        verdict = f"{change['before'] or '—'} → {change['after'] or '—'}"
    return f"认定计划 {change['plan_number']}{f'（{status}）' if status else ''}：{verdict}"


def _session_findings(change: dict) -> list[tuple[str, dict]]:
    return [("新增问题", f) for f in change["findings_added"]] + [("已消除", f) for f in change["findings_removed"]]


def _filing_findings(entry: dict) -> list[tuple[str, dict]]:
    return _session_findings({"findings_added": entry.get("findings_added") or [],
                              "findings_removed": entry.get("findings_removed") or []})


def effect_line(report: dict) -> str:
    """“比较全部 20000 个机构：3 个有变化（结论变化 1 个），19997 个不变。” — the ecosystem count of a rule or code change."""
    moved, unchanged = report["institutions"], report["unchanged"]
    decided = sum(1 for e in moved if decision_text(e))
    return (f"比较全部 {len(moved) + len(unchanged)} 个机构：{len(moved)} 个有变化（结论变化 {decided} 个），"
            f"{len(unchanged)} 个不变。")


def _delta(entry: dict) -> float:
    before, after = entry["before"] or {}, entry["after"] or {}
    return abs((after.get("score") or 0) - (before.get("score") or 0))


def effect_order(entries: list[dict]) -> list[dict]:
    """Most telling first, as reviewers read a rule change's effect: changed conclusions, then the largest score
    moves, then the most problems that came or went; ties by institution code."""
    return sorted(entries, key=lambda e: (decision_text(e) is None, -_delta(e),
                                          -(len(e.get("findings_added") or []) + len(e.get("findings_removed") or [])),
                                          e["institution"]))


def _finding_text(finding: dict) -> str:
    from ..findings import SEVERITY_LABELS

    where = (finding.get("file") or "") + (f":{finding['line']}" if finding.get("line") else "")
    return f"{where}: {SEVERITY_LABELS[finding['severity']]} [{finding['rule']}] {finding['message']}"


def render_text(report: dict, out) -> None:
    from ..escaping import terminal_text
    from ..personal import mask_text

    def emit(line: str = "") -> None:
        # filing text reaches a terminal: control characters shown as codes, personal numbers masked
        out.write(terminal_text(mask_text(line)) + "\n")

    for line in review_lines(report):
        emit(line)
    for e in report["institutions"]:
        for item in review_items(e):
            emit(f"  institutions/{e['institution']}  {e['name']}：{item}")
    if review_lines(report):
        emit()
    if report["global_change"]:
        emit(f"评分规则或程序有改动（{'、'.join(report['global_change'][:5])}"
             f"{' 等' if len(report['global_change']) > 5 else ''}），用各自版本的规则与程序为全部机构评分。")
    if report["global_change"]:
        emit(effect_line(report))
    elif not report["institutions"]:
        emit("没有机构的得分或认定范围发生变化。")
    for e in report["institutions"]:
        emit(f"institutions/{e['institution']}  {e['name']}")
        emit(f"  总得分 {score_line(e)}")
        if decision_text(e):
            emit(f"  结论 {decision_text(e)}")
        for sign, finding in _filing_findings(e):
            emit(f"  {sign} {_finding_text(finding)}")
        for c in e["status_changes"]:
            emit(f"  {c['title']}：{c['before']} → {c['after']}")
        for item in e["scope_added"]:
            emit(f"  认定范围新增：{scope_text(item)}")
        for item in e["scope_removed"]:
            emit(f"  认定范围删除：{scope_text(item)}")
        for change in e.get("sessions") or []:
            emit(f"  {session_change_text(change)}")
            for sign, finding in _session_findings(change):
                emit(f"    {sign} {_finding_text(finding)}")


def render_markdown(report: dict, out) -> None:
    from ..formats.markdown import md

    out.write("## 与基准版本相比 / Changes since base\n\n")
    lines = review_lines(report)
    if lines:
        out.write("### ⚠️ 专家评审意见变更 / Review decisions changed\n\n")
        out.write("".join(f"> {md(line)}\n>\n" for line in lines[:-1]) + f"> {md(lines[-1])}\n\n")
        for e in report["institutions"]:
            for item in review_items(e):
                out.write(f"- {md(e['name'])}：{md(item)}\n")
        out.write("\n### 资料变化 / Data changes\n\n")
    entries = report["institutions"]
    if report["global_change"]:
        out.write("### 规则或程序改动对全部机构的影响 / Effect on every institution\n\n")
        out.write(f"评分规则或程序有改动（{md('、'.join(report['global_change'][:5]))}"
                  f"{' 等' if len(report['global_change']) > 5 else ''}），用基准版本和本版本各自的规则与程序为全部机构评分。"
                  f"{effect_line(report)}这些变化供评审人判断，不影响检查是否通过。\n\n")
        entries = effect_order(entries)
    if not entries:
        if not report["global_change"]:
            out.write("没有机构的得分或认定范围发生变化。\n\n")
        return
    shown = entries[:MAX_ROWS]
    out.write("| 机构 | 总得分 | 结论 | 问题 | 变化的条目 | 认定范围 |\n|---|---|---|---|---|---|\n")
    for e in shown:
        left, right = _side(e["before"], "新增"), _side(e["after"], "已删除")
        items = [f"{md(c['title'])} {_signed(c['delta'])}" for c in e["criteria"]]
        items += [f"{md(c['title'])}：{md(c['before'])} → {md(c['after'])}" for c in e["status_changes"]]
        if e.get("sessions"):
            items.append(f"认定计划变化 {len(e['sessions'])} 个（见下）")
        scope = [f"➕ {md(scope_text(i))}" for i in e["scope_added"]] + [f"➖ {md(scope_text(i))}" for i in e["scope_removed"]]
        added, removed = len(e.get("findings_added") or []), len(e.get("findings_removed") or [])
        problems = "，".join(p for p in (f"+{added}" if added else "", f"−{removed}" if removed else "") if p) or "—"
        out.write(f"| {md(e['name'])} | {left} → {right} | {md(decision_text(e) or '不变')} | {problems} "
                  f"| {'<br>'.join(items) or '—'} | {'<br>'.join(scope) or '—'} |\n")
    if len(entries) > len(shown):
        out.write(f"\n另有 {len(entries) - len(shown)} 个机构有变化，未列出；完整结果用 "
                  f"`beian diff {report['base'][:12]} --format json` 查看。\n")
    out.write("\n")
    _findings_markdown(shown, out)
    _sessions_markdown({**report, "institutions": shown}, out)


def _findings_markdown(entries: list[dict], out) -> None:
    """Each listed institution's own problems that came or went, folded: the detail behind the table's 问题 column."""
    from ..formats.markdown import md

    changed = [e for e in entries if _filing_findings(e)]
    if not changed:
        return
    out.write("<details><summary>新增和已消除的问题 / Findings added and removed</summary>\n\n")
    for e in changed:
        items = _filing_findings(e)
        out.write(f"- {md(e['name'])}\n")
        for sign, f in items[:MAX_FINDINGS]:
            out.write(f"  - {'➕' if sign == '新增问题' else '✔️'} {sign}：{md(_finding_text(f))}\n")
        if len(items) > MAX_FINDINGS:
            out.write(f"  - 另有 {len(items) - MAX_FINDINGS} 条\n")
    out.write("\n</details>\n\n")


def _sessions_markdown(report: dict, out) -> None:
    """Each new, removed or changed plan: its verdict before → after and the problems that came or went."""
    from ..findings import SEVERITY_LABELS
    from ..formats.markdown import md

    changed = [e for e in report["institutions"] if e.get("sessions")]
    if not changed:
        return
    out.write("### 认定计划变化 / Session changes\n\n")
    for e in changed:
        for change in e["sessions"]:
            out.write(f"- {md(e['name'])} {md(session_change_text(change))}\n")
            for sign, f in _session_findings(change):
                where = md(f.get("file") or "") + (f":{f['line']}" if f.get("line") else "")
                icon = "➕" if sign == "新增问题" else "✔️"
                out.write(f"  - {icon} {sign}：{SEVERITY_LABELS[f['severity']]} {where} `{f['rule']}` {md(f['message'])}\n")
    out.write("\n")


def run(args) -> int:
    from ..cli import EXIT_OK, UsageError
    from ..paths import PROJECT_ROOT

    try:
        report = diff(PROJECT_ROOT, args.base, args.head, args.author)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        render_markdown(report, sys.stdout)
    else:
        render_text(report, sys.stdout)
    return EXIT_OK
