"""The `beian` command. Each subcommand imports only what it needs, so `check` stays fast."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_parser import ChineseArgumentParser
from .textfile import os_reason

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command itself cannot run (bad arguments, missing paths); exit code 2."""


def _subfolders(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError as exc:
        raise UsageError(f"无法读取文件夹 {path}：{os_reason(exc)}") from None


def _institution_dirs(paths: list[str]) -> list[Path]:
    if not paths:
        folder = _project_root() / "institutions"
        if not folder.is_dir():
            raise UsageError(f"备案仓库 {folder.parent} 里还没有 institutions/ 文件夹；用 beian new 机构代号 新建第一个机构。")
        return _subfolders(folder)
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            if not path.exists():
                raise UsageError(f"路径不存在：{raw}")
            if path.is_file():
                path = path.parent
                if path.name == "evidence":
                    path = path.parent
            is_filing = (path / "profile.yaml").exists() or any(path.glob("*.yaml"))
        except OSError as exc:
            raise UsageError(f"无法读取 {raw}：{os_reason(exc)}") from None
        if is_filing:
            found.append(path)
        else:
            subdirs = _subfolders(path)
            if not subdirs:
                raise UsageError(f"{raw} 不是机构文件夹，里面也没有机构文件夹。")
            found.extend(subdirs)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _project_root() -> Path:
    """The registry repository, for what reads it as a whole (every institution, the registers, git history);
    UsageError in Chinese when the working directory is in none."""
    from .paths import NoProjectError, require_project

    try:
        return require_project()
    except NoProjectError as error:
        raise UsageError(str(error)) from None


def _root_from_paths(args) -> None:
    """Run outside any repository but given filings inside one: that repository is the project (BEIAN_ROOT is
    set before anything reads generator.paths). The working directory's repository, when there is one, wins."""
    import os

    from .roots import find_project_root

    if os.environ.get("BEIAN_ROOT") or find_project_root(Path.cwd()):
        return
    for raw in [*(getattr(args, "paths", None) or ()), *(getattr(args, "slugs", None) or ()), getattr(args, "path", None)]:
        found = find_project_root(Path(raw)) if raw and Path(raw).exists() else None
        if found:
            os.environ["BEIAN_ROOT"] = str(found)
            return


def _register_dirs() -> list[Path]:
    """The department's supervision registers, one folder per jurisdiction; [] when the repository has none."""
    from .paths import PROJECT_ROOT, REGISTERS_FOLDER

    folder = PROJECT_ROOT / REGISTERS_FOLDER
    return _subfolders(folder) if folder.is_dir() else []


from .record_words import judged  # noqa: E402  (kept importable as cli.judged)


def exit_code(records, require_decision: bool = False, counts=None) -> int:
    """1 when a filing, one of its sessions or a session's supervision record is invalid or fails (不具备 / 不符合要求); a pending one
    (待专家判定 / 待判定) fails only with --require-decision, the same rule for both. COUNTS: which of them may fail the
    check (with --changed-since, those the change touched); all when None."""
    from .record_words import fails

    for subject in judged(records):
        if counts is None or counts(subject):
            if fails(subject):
                return EXIT_FAILED
            if require_decision and subject["decision"] == "pending_review":
                return EXIT_FAILED
    return EXIT_OK


def _changed_only(directories: list[Path], ref: str, with_registers: bool = False):
    """Keep the folders whose institution changed since REF (all when rules/, schemas/ or generator/ did).
    WITH_REGISTERS: add the department registers when they may judge differently: a change under department/,
    in the code and rules, or in a session (a dispatch is judged against the session's people and days)."""
    from .pr.changes import GitError, changed_institution_dirs

    try:
        root = _project_root()
        changed, changes = changed_institution_dirs(root, root / "institutions", ref)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    wanted = {d.resolve() for d in changed}
    if any(f.startswith("department/") for f in changes.files):
        # supervision records are judged against the dispatches and supervisors' terms: their institutions too
        from .kinds import kind

        wanted |= {d.resolve() for d in directories if any((d / "sessions").glob(f"*/{kind('supervision').subfolder}"))}
    kept = [d for d in directories if d.resolve() in wanted]
    if changes.global_change:
        reason = (f"评分规则或程序有改动（{changes.global_change[0]} 等 {len(changes.global_change)} 个文件），检查全部机构"
                  f"（退出码只看本次改动的备案文件；对各机构得分的影响用 beian diff {ref} 查看）")
    else:
        reason = f"自 {ref} 以来有改动的机构"
    print(f"beian：{reason}：{len(kept)} 个。", file=sys.stderr)
    if with_registers and (changes.global_change or any(f.startswith("department/") or "/sessions/" in f
                                                        for f in changes.files)):
        registers = _register_dirs()
        if registers:
            print(f"beian：督导员名册、委派记录或认定计划有改动，检查督导员名册：{len(registers)} 个。", file=sys.stderr)
        kept += registers
    return kept, changes


def cmd_check(args) -> int:
    from functools import partial

    from . import formats
    from .batch import check_piece, is_register_dir, stream_folders

    if args.no_cache:
        import os

        os.environ["BEIAN_NO_CACHE"] = "1"  # set before any worker forks, so they skip the cache too
    directories = _institution_dirs(args.paths)
    held = changes = None
    if args.changed_since is not None:
        directories, changes = _changed_only(directories, args.changed_since, with_registers=not args.paths)
        held = _held_back(args.changed_since, args.author)
    elif not args.paths:  # the whole repository: the department registers too (department/<jurisdiction>/)
        directories += _register_dirs()
    # Registers first: the text format lists them first, and the others hold them (a few) to the end.
    directories = sorted(directories, key=lambda d: not is_register_dir(d))
    job = partial(check_piece, fmt=args.format, verbose=args.verbose, reviews=held.reviews if held else None,
                  held=held, files=changes.files if changes is not None else None)
    # Streaming: each record is written as it comes and then dropped; only its verdict flags are kept.
    writer = formats.streaming(args.format)[1](sys.stdout, args.verbose)
    failed = pending = False
    others = 0
    for made, (fails, awaits, not_counted) in stream_folders(job, [str(d) for d in directories], args.jobs):
        writer.add(made)
        failed, pending, others = failed or fails, pending or awaits, others + not_counted
    writer.close()
    # A pull request answers for the filings it changed; what a rule or code change does to the others is
    # reported by `beian diff` for the reviewers, and does not fail the check.
    if changes is not None and others:
        print(f"beian：另有 {others} 个本次未改动的机构、认定计划或督导记录不合格，不影响退出码。", file=sys.stderr)
    return EXIT_FAILED if failed or (args.require_decision and pending) else EXIT_OK


def _held_back(ref: str, author: str | None):
    """Review changes since REF that do not count because AUTHOR is not a registered reviewer."""
    if not author:
        return None
    from .pr.changes import GitError
    from .pr.reviews import held_back
    from .reviewers import use_register

    try:
        held = held_back(_project_root(), ref, author)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if held and held.register:
        use_register(held.register)
    return held


def cmd_rules(args) -> int:
    from .rulesinfo import print_rules

    return print_rules(args.sheet, args.format, args.validate)


def cmd_explain(args) -> int:
    from .rulesinfo import explain

    return explain(args.rule_id, args.developer)


def cmd_new(args) -> int:
    from .paths import INSTITUTIONS_DIR
    from .scaffold import create

    return create(args.slug, Path(args.dir) if args.dir else INSTITUTIONS_DIR, args.force)


def cmd_new_session(args) -> int:
    from .paths import INSTITUTIONS_DIR
    from .session_scaffold import create_session

    return create_session(args.slug, Path(args.dir) if args.dir else INSTITUTIONS_DIR, args.plan_number, args.method)


def cmd_review_template(args) -> int:
    from .review_template import render

    directories = _institution_dirs([args.path])
    if len(directories) != 1:
        raise UsageError("请指定一个机构文件夹。")
    return render(directories[0])


def cmd_codeowners(args) -> int:
    from .codeowners import run

    return run(args)


def cmd_card(args) -> int:
    from .card_report import CardUsageError, run
    from .clock import evaluation_date

    try:
        return run(args.numbers, evaluation_date(), args.jurisdiction, args.role, args.institution_number)
    except CardUsageError as exc:
        raise UsageError(str(exc)) from None


def cmd_docs(args) -> int:
    from .docs import write_rule_pages

    from .outputs import OutputError, output_folder

    try:
        from .paths import PROJECT_ROOT

        out = output_folder(args.out, PROJECT_ROOT / "site" / "generated" / "rules", "--out")
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    try:
        pages = write_rule_pages(out, developer=args.developer)
    except OSError as exc:
        raise UsageError(f"无法写入 {exc.filename or out}：{os_reason(exc)}。") from None
    print(f"已生成 {len(pages)} 个规则说明页：{out}" + ("（含开发者信息，不要放进公示门户）" if args.developer else ""))
    return EXIT_OK


# Feature packages that add subcommands: each has a small `command` module whose
# register(subparsers) adds its parsers and imports its heavy code only when run.
COMMAND_MODULES = ("generator.portal.command", "generator.bundle.command", "generator.pr.command",
                   "generator.department.command", "generator.forms.command",
                   "generator.forms.capture_command", "generator.init_command", "generator.cache_command")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; for one of the commands defined here (`check` above all), the feature
    packages' command modules are not imported, which is most of the start-up of a parser."""
    from .formats import names as format_names

    parser = ChineseArgumentParser(  # its subcommands' parsers are of the same class: Chinese throughout
        prog="beian",
        description="职业技能等级认定机构备案文件检查与评分（河南院校类）。",
        epilog="示例：beian check institutions/songyue-jishi ；beian rules ；beian explain scope-occupations")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    check = sub.add_parser("check", help="检查备案文件并按评分表评分",
                           description="检查备案文件并按评分表评分。退出码：0 合格或仍可能合格；1 文件无效、否决或不可能及格，"
                                       "或某个认定计划文件无效、不符合要求；2 命令无法执行。")
    check.add_argument("paths", nargs="*", metavar="PATH", help="机构文件夹（默认：institutions/ 下全部）")
    check.add_argument("--format", "-f", choices=format_names(), default="text", help="输出格式")
    check.add_argument("--verbose", "-v", action="store_true", help="显示全部提示与逐项得分")
    check.add_argument("--no-cache", action="store_true",
                       help="不用检查结果缓存，全部重新检查（缓存按文件内容和规则、程序的内容判定是否可用，通常不需要）")
    check.add_argument("--require-decision", action="store_true", help="仍有待专家判定的条目或待判定的认定计划时也以 1 退出")
    check.add_argument("--changed-since", metavar="REF",
                       help="只检查自 git 版本 REF（与当前分支的分叉点）以来有改动的机构，退出码只看改动过的备案文件、认定计划和督导记录；"
                            "rules/、schemas/、generator/ 有改动时检查全部，但其余机构的结论不影响退出码（影响用 beian diff 查看）")
    check.add_argument("--jobs", "-j", type=int, default=0, help="并行进程数（默认：机构较多时使用全部 CPU 核）")
    check.add_argument("--author", metavar="LOGIN",
                       help="（CI 用，配合 --changed-since）PR 提交人的 GitHub 账号；不在 REF 版本的评审人名册中时，"
                            "其对 reviews.yaml 与名册的修改不计入得分")
    check.set_defaults(run=cmd_check)

    rules = sub.add_parser("rules", help="列出评分表及其条目")
    rules.add_argument("sheet", nargs="?", help="评分表编号，例如 henan-2022")
    rules.add_argument("--format", "-f", choices=["text", "json"], default="text", help="输出格式")
    rules.add_argument("--validate", action="store_true", help="校验评分表数据本身（分值合计、检查函数存在等）")
    rules.set_defaults(run=cmd_rules)

    explain = sub.add_parser("explain", help="解释一条规则：评估标准、计分方式、如何判定")
    explain.add_argument("rule_id", help="条目编号，例如 scope-occupations 或 henan-2022/scope-occupations")
    explain.add_argument("--developer", action="store_true", help="另列检查函数、测试用例名和来源文件（给维护者）")
    explain.set_defaults(run=cmd_explain)

    template = sub.add_parser("review-template", help="为待专家判定的条目生成 reviews.yaml 模板（只输出，不写文件）")
    template.add_argument("path", metavar="PATH", help="机构文件夹")
    template.set_defaults(run=cmd_review_template)

    owners = sub.add_parser("codeowners", help="根据评审人名册生成 .github/CODEOWNERS",
                            description="根据 rules/reviewers.yaml 生成 .github/CODEOWNERS：reviews.yaml 须经名册中的评审人批准，"
                                        "名册、规则、程序与工作流须经人社部门批准。")
    owners.add_argument("--check", action="store_true", help="只核对已提交的文件是否与名册一致，不一致时以 1 退出")
    owners.add_argument("--stdout", action="store_true", help="输出到标准输出，不写文件")
    owners.set_defaults(run=cmd_codeowners)

    card = sub.add_parser("card", help="解读质量督导员证卡编码：各位的含义与问题",
                          description="按各辖区公布的证卡编码规则解读质量督导员证卡编码，逐段说明含义并指出问题。"
                                      "不指定辖区和类别时逐一试用已公布的格式，说明符合哪一种或最接近哪一种。"
                                      "退出码：0 全部有效；1 有无效的编码；2 命令无法执行。",
                          epilog="示例：beian card R1122A001 ；beian card Y112001220001 --jurisdiction beijing --role 内督")
    card.add_argument("numbers", nargs="+", metavar="NUMBER", help="证卡编码")
    card.add_argument("--jurisdiction", metavar="ID", help="辖区（rules/jurisdictions/ 下的文件名），例如 guangdong、beijing")
    card.add_argument("--role", metavar="外督|内督", help="督导员类别：外督 或 内督")
    card.add_argument("--institution-number", metavar="NO", help="评价机构的编号或备案号，用于核对证卡中与机构相关的部分")
    card.set_defaults(run=cmd_card)

    docs = sub.add_parser("docs", help="生成每条规则的说明页（Markdown）")
    docs.add_argument("--out", help="输出目录（默认 site/generated/rules，不纳入 git）")
    docs.add_argument("--developer", action="store_true",
                      help="每页另列检查函数、测试用例名和来源文件（给维护者；公示门户从不包含这些）")
    docs.set_defaults(run=cmd_docs)

    new = sub.add_parser("new", help="生成一个带注释的备案文件模板")
    new.add_argument("slug", help="机构代号（小写字母、数字、连字符），例如 zhengzhou-jishi")
    new.add_argument("--dir", help="放在哪个目录下（默认 institutions/）")
    new.add_argument("--force", action="store_true", help="（不推荐）目录已存在时仍写入缺少的文件；已有文件永不覆盖")
    new.set_defaults(run=cmd_new)

    session = sub.add_parser("new-session", help="为一个机构生成带注释的认定实施计划模板（plan.yaml、roster.yaml）",
                             description="在 institutions/机构代号/sessions/评价计划编号/ 下生成认定实施计划和匿名考生名册模板，"
                                         "按机构的认定范围和人员名单预填。已有的计划文件夹永不覆盖。",
                             epilog="示例：beian new-session songyue-jishi --plan-number SY2027-03 --method 考试考核")
    session.add_argument("slug", help="机构代号（institutions/ 下的文件夹名），例如 songyue-jishi")
    session.add_argument("--plan-number", help="评价计划编号，即文件夹名（默认：本机构已有计划编号的字母前缀"
                                               "（没有时取机构代号各段首字母）加下个月的年月，例如 SY2027-01；已存在时加 -2、-3）")
    # No argparse choices: session_scaffold checks the method with a Chinese message, and importing it here
    # would load YAML for every command, `check` included.
    session.add_argument("--method", default="考试考核", help="认定方式：考试考核、直接认定、过程化考核或竞赛取证（默认：考试考核）")
    session.add_argument("--dir", help="机构目录（默认 institutions/）")
    session.set_defaults(run=cmd_new_session)

    if command not in sub.choices:  # the feature packages' commands (and the full help) need every module
        import importlib

        for module in COMMAND_MODULES:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for arg in argv:
        if "\0" in arg:  # the operating system cannot open such a path; say so before anything tries
            print(f"beian：参数“{arg.replace(chr(0), '␀')}”中含有空字符（NUL），不是有效的路径或值。", file=sys.stderr)
            return EXIT_USAGE
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    _root_from_paths(args)
    try:
        return args.run(args)
    except UsageError as exc:
        from .escaping import terminal_text

        print(f"beian：{terminal_text(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
