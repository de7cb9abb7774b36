"""Subcommands of this feature; registered by generator/cli.py.

Only argparse wiring lives here: mkdocs and the page generators are imported when
`build` or `serve` runs, so `beian check` never pays for them.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path


def _add_common(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="机构文件夹（默认：institutions/ 下全部）")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="并行进程数（默认：机构较多时使用全部 CPU 核）")
    parser.add_argument("--docs-dir", help="生成的 Markdown 放在哪里（默认 site/generated/docs）")


def register(sub) -> None:
    build = sub.add_parser("build", help="生成公示门户（Markdown、数据与徽章）并用 mkdocs 构建网站",
                           description="生成公示门户并构建网站：页面、数据和各机构的备案材料 PDF（公开版）与 Excel 写入 "
                                       "site/generated/docs，网站写入 site/out（两者都不纳入 git）。默认以 --strict 构建，"
                                       "出现任何警告或身份证号即失败。")
    _add_common(build)
    build.add_argument("--out", help="网站输出目录（默认 site/out）")
    build.add_argument("--no-strict", action="store_true", help="mkdocs 警告不视为错误（不推荐）")
    build.add_argument("--generate-only", action="store_true", help="只生成 Markdown 与数据，不构建网站")
    build.add_argument("--no-downloads", action="store_true",
                       help="不生成各机构的备案材料 PDF 与 Excel（快速预览；PDF 每个机构约需数秒）")
    build.add_argument("--site-url", help="门户的公开地址，用于徽章嵌入代码和网站地图"
                                          "（默认取环境变量 BEIAN_PORTAL_URL，其次 site/mkdocs.yml 的 site_url）")
    build.add_argument("--shard", metavar="K/N",
                       help="分片构建：只为第 K 份（共 N 份，按机构文件夹名的 SHA-256 稳定分配）的机构生成检查结果、页面数据和"
                            "备案材料并存入缓存（BEIAN_CACHE_DIR），不写网站；各分片完成后，用同一缓存运行不带 --shard 的 "
                            "beian build 组装门户。供 GitHub Actions 矩阵并行使用")
    build.add_argument("--internal", action="store_true",
                       help="部门内部构建：门户加“部门内部”栏目（督导员名册、每名督导员的督导记录、外督委派一览、"
                            "各机构督导记录的排序与逾期缺失），"
                            "显示全部委派和督导员；默认输出到 out/internal/site（页面源文件 out/internal/docs），"
                            "不能放在公开门户的 site/ 下。内部网站不得公开发布。")
    build.set_defaults(run=run_build)

    serve = sub.add_parser("serve", help="生成门户并在本机预览（修改页面后自动刷新）")
    _add_common(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=run_serve)


# Left in every folder build writes, so a later build may empty it again; a folder without it that is
# not empty belongs to someone else (`--out institutions` by mistake) and is never emptied.
MARKER = ".beian-generated"


def _foreign(folder: Path, default: Path, option: str) -> str | None:
    """Why FOLDER may not be emptied and rewritten, or None."""
    if folder.resolve() == default.resolve():
        return None
    if folder.exists() and not folder.is_dir():
        return f"{option} 给出的 {folder} 已存在且不是文件夹。"
    try:
        if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
            return (f"{option} 给出的文件夹 {folder} 不是空的，也不是 beian 以前生成的；构建会清空它，"
                    "为免删掉其中的文件，已停止。请给出一个新的或空的文件夹。")
    except OSError as exc:
        from ..textfile import os_reason

        return f"无法读取 {option} 给出的文件夹 {folder}：{os_reason(exc)}。"
    return None


def _mark(*folders: Path, internal: bool = False) -> None:
    words = INTERNAL_MARK if internal else "beian build 生成的文件夹，每次构建会清空重写。\n"
    for folder in folders:
        if folder.is_dir():
            (folder / MARKER).write_text(words, encoding="utf-8")


INTERNAL_MARK = "beian build --internal 生成的部门内部文件夹，不得公开；每次构建会清空重写。\n"


def internal_defaults() -> tuple[Path, Path]:
    """(docs, site) of the department's build: under out/ (git-ignored), never under site/, which holds the
    public portal and is what a Pages workflow publishes."""
    from ..paths import PROJECT_ROOT

    return PROJECT_ROOT / "out" / "internal" / "docs", PROJECT_ROOT / "out" / "internal" / "site"


def public_place(folder: Path, option: str) -> str | None:
    """Why department-only output may not go to FOLDER (the public site's folders, or a public build's
    output), or None."""
    import os

    from ..paths import PROJECT_ROOT

    real = Path(os.path.realpath(folder))
    site = Path(os.path.realpath(PROJECT_ROOT / "site"))
    if real == site or real.is_relative_to(site) or site.is_relative_to(real):
        return (f"{option} 给出的 {folder} 在公开门户的 site/ 文件夹里（或包含它）；部门内部资料不能写到那里，"
                "以免随公开网站发布。请用默认位置（out/ 下）或另给一个文件夹。")
    try:
        marker = (real / MARKER).read_text(encoding="utf-8") if (real / MARKER).is_file() else None
    except OSError:
        marker = None
    if marker is not None and marker != INTERNAL_MARK:
        return f"{option} 给出的 {folder} 是公开门户以前的构建结果；部门内部资料不能写到那里。请另给一个文件夹。"
    return None


def _directories(args) -> list[Path]:
    from ..cli import _institution_dirs

    return _institution_dirs(args.paths)


def run_build(args) -> int:
    from mkdocs.exceptions import MkDocsException

    from . import build as portal

    from ..bundle.fonts import FontMissing

    from ..outputs import OutputError, output_folder

    directories = _directories(args)
    if args.shard:
        return run_shard(args, directories)
    default_docs, default_out = internal_defaults() if args.internal else (portal.GENERATED, portal.OUT)
    try:  # absolute from here on: mkdocs would read a relative path against site/, not the user's folder
        docs = output_folder(args.docs_dir, default_docs, "--docs-dir")
        out = output_folder(args.out, default_out, "--out")
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return 2
    for folder, option in ((docs, "--docs-dir"), (out, "--out")) if args.internal else ():
        problem = public_place(folder, option)
        if problem:
            print(f"beian：{problem}", file=sys.stderr)
            return 2
    site_url = portal.portal_url(args.site_url)
    if site_url and not re.match(r"^https?://[^\s\"'<>]+\Z", site_url):
        print(f"beian：门户地址“{site_url}”不是 http(s) 网址（--site-url 或环境变量 BEIAN_PORTAL_URL）。", file=sys.stderr)
        return 2
    downloads = not args.no_downloads
    for problem in (_foreign(docs, default_docs, "--docs-dir"),
                    None if args.generate_only else _foreign(out, default_out, "--out")):
        if problem:
            print(f"beian：{problem}", file=sys.stderr)
            return 2
    try:
        if args.generate_only:
            stats = portal.generate(directories, docs, args.jobs, site_url, downloads, _progress,
                                    internal=args.internal)
            _mark(docs, internal=args.internal)
            print(f"已生成 {stats['institutions']} 个机构页、{stats['occupations']} 个职业页、"
                  f"{stats['rule_pages']} 个规则页：{docs}")
            return 0
        stats = portal.build_portal(directories, docs, out, strict=not args.no_strict, jobs=args.jobs,
                                    downloads=downloads, progress=_progress, site_url=site_url, internal=args.internal)
        _mark(docs, out, internal=args.internal)
    except FontMissing as exc:
        print(f"beian：{exc}（只预览网页时可加 --no-downloads）", file=sys.stderr)
        return 2
    except portal.PrivacyError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return 1
    except MkDocsException as exc:
        print(f"beian：网站构建失败：{exc}", file=sys.stderr)
        return 1
    t = stats["timings"]
    print(f"已构建门户：{stats['institutions']} 个机构（已备案 {stats['approved']}）、{stats['occupations']} 个职业、"
          f"{stats['rule_pages']} 个规则页 → {out}")
    materials = f"备案材料 {t['downloads']:.1f} s，" if "downloads" in t else ""
    print(f"用时：检查与读取 {t['check_and_load']:.1f} s，{materials}生成页面 {t['write_pages']:.1f} s，"
          f"mkdocs {t['mkdocs']:.1f} s；搜索索引 {stats['search_index_bytes'] / 1024:.0f} KB")
    print(f"缓存：{cache_words(stats, downloads)}")
    print(f"网站页面：{build_words(stats)}")
    if stats.get("build_warnings"):
        print(f"mkdocs 有 {len(stats['build_warnings'])} 条警告，未记录本次构建的清单，下次构建将完整构建", file=sys.stderr)
    same = stats["scanned_files"] - stats["read_files"]
    print(f"个人号码检查：已读 {stats['read_files']} 个输出文件（网页、搜索索引、数据、PDF、Excel），未发现身份证号或手机号"
          + (f"；另 {same} 个与上次构建时相同，上次已检查" if same else "") + f"（{t['privacy_scan']:.1f} s）")
    if args.internal:
        print(f"部门内部构建：含督导员姓名与证卡编号，{WARNING_WORDS}（{out}）")
    return 0


WARNING_WORDS = "部门内部资料，不得公开"


def run_shard(args, directories: list[Path]) -> int:
    """--shard K/N: fill the caches for one shard (shard_fill.py); nothing is written into the site."""
    from ..bundle.fonts import FontMissing
    from ..shards import ShardError, parse_shard
    from .shard_fill import fill_shard

    try:
        shard, count = parse_shard(args.shard)
    except ShardError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return 2
    try:
        result = fill_shard(directories, shard, count, args.jobs, not args.no_downloads, args.internal, _progress)
    except FontMissing as exc:
        print(f"beian：{exc}（只预览网页时可加 --no-downloads）", file=sys.stderr)
        return 2
    print(result.words())
    if result.leaks:
        print(f"beian：备案材料含个人号码，未存入缓存：{'；'.join(result.leaks[:5])}", file=sys.stderr)
        return 1
    return 0


def cache_words(stats: dict, downloads: bool) -> str:
    """What came from the content-addressed caches (stage_cache.py) and what was made again."""
    words = f"机构检查与页面数据取自缓存 {stats.get('entries_cached', 0)} 个、新生成 {stats.get('entries_made', 0)} 个"
    if downloads:
        words += (f"；备案材料 PDF 与 Excel 取自缓存 {stats.get('downloads_cached', 0)} 个、"
                  f"新生成 {stats.get('downloads_made', 0)} 个")
    return words


def build_words(stats: dict) -> str:
    """How much of the site mkdocs made again (incremental.py)."""
    if stats.get("pages_rendered") is None:
        return "已构建"
    how = "完整构建" if stats.get("full_build") else "增量构建"
    return (f"重建 {stats['pages_rendered']} 页，沿用 {stats['pages_reused']} 页（{how}）；"
            f"机构页重新生成 {stats['institution_pages_rendered']} 个，沿用 {stats['institution_pages_reused']} 个")


def _progress(done: int, total: int, result: dict) -> None:
    if "error" in result:
        print(f"[{done}/{total}] {result['page']}：备案材料生成失败：{result['error']}", file=sys.stderr, flush=True)
    else:
        source = "（未变，取自缓存）" if result.get("cached") else ""
        print(f"[{done}/{total}] {result['page']}：备案材料 PDF {result['pages']} 页、认定范围清单 Excel{source}", flush=True)


def run_serve(args) -> int:
    from mkdocs.commands.serve import serve

    from . import build as portal

    from ..outputs import OutputError, output_folder

    try:
        docs = output_folder(args.docs_dir, portal.GENERATED, "--docs-dir")
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return 2
    problem = _foreign(docs, portal.GENERATED, "--docs-dir")
    if problem:
        print(f"beian：{problem}", file=sys.stderr)
        return 2
    directories = _directories(args)
    stats = portal.generate(directories, docs, args.jobs, portal.portal_url())
    _mark(docs)
    print(f"已生成 {stats['institutions']} 个机构页；预览地址 http://{args.addr}/"
          "（备案文件改动后请重新运行 beian serve）")
    portal.plain_search_entries()
    from ..engine import evaluation_date
    from .footer import footer_facts

    # the preview's footer says what the published one will: mkdocs takes `extra` whole, so the file's is kept
    extra = {**portal.mkdocs_config(docs)["extra"], "footer": footer_facts(directories, evaluation_date()).as_config()}
    serve(config_file=str(portal.CONFIG), dev_addr=args.addr, docs_dir=str(docs), extra=extra,
          **portal.packaged_config_fixes())
    return 0
