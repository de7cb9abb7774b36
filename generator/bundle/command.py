"""Subcommands of this feature; registered by generator/cli.py.

Only argparse set-up happens at import: weasyprint, pandas, openpyxl and jinja2 are imported
inside the run functions, so `beian check` does not pay for them.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..outputs import OutputError, output_folder

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _default_out(kind: str) -> Path:
    from ..paths import PROJECT_ROOT

    return PROJECT_ROOT / "out" / kind


def _directories(names: list[str]) -> list[Path]:
    """Slugs (looked up under institutions/) or paths, as `beian check` takes them."""
    from ..cli import _institution_dirs
    from ..paths import INSTITUTIONS_DIR

    resolved = []
    for name in names:
        if not Path(name).exists() and (INSTITUTIONS_DIR / name).is_dir():
            resolved.append(str(INSTITUTIONS_DIR / name))
        else:
            resolved.append(name)
    return _institution_dirs(resolved)


def _out_dir(given: str | None, kind: str, create: bool = True) -> Path:
    """The output folder: the default, or --out, which must be a folder (created if missing and CREATE)."""
    from ..textfile import os_reason

    out = output_folder(given, _default_out(kind), "--out")
    if not create:
        return out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out}：{os_reason(exc)}。") from None
    return out


def _fonts_or_exit() -> int | None:
    from .fonts import FontMissing, fast_subsetting, require_fonts

    try:
        require_fonts()
    except FontMissing as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if not fast_subsetting():
        print("提示：未安装 libharfbuzz-subset0，字体子集化改用 fontTools，生成速度约慢 6 倍"
              "（sudo apt-get install libharfbuzz-subset0）。", file=sys.stderr)
    return None


def _portal_hint() -> None:
    """Say once why the printouts carry no QR code when no portal address is configured."""
    from ..paths import published_portal_url

    if not published_portal_url():
        print("提示：未配置门户地址（环境变量 BEIAN_PORTAL_URL 或 site/mkdocs.yml 的 site_url），"
              "PDF 不含核验二维码，封面注明“未配置门户地址”。", file=sys.stderr)


BUNDLE_STAGE = "bundle"


def bundle_key(directory: str, version: str | None = None) -> str:
    """What changes the department's copy of the bundle and plans besides the folder and the code: the data
    version printed (VERSION: render_key.folder_versions' words), the portal address of the QR codes, the
    renderer and its fonts."""
    from ..stage_cache import stage_key
    from .render_key import render_fingerprint, version_parts

    return stage_key(BUNDLE_STAGE, Path(directory), "department copy", *version_parts(Path(directory), version),
                     render_fingerprint())


def _store_bundle(key: str, result: dict) -> None:
    """Keep a bundle whose every PDF was made whole (a failed plan, or a resource refused for time, is tried
    again next time, and said again)."""
    from ..stage_cache import store_files

    from .pdf_cache import keepable

    plans = result.get("plans") or []
    if any("error" in plan for plan in plans) or not all(keepable(info) for info in (result, *plans)):
        return
    files = {Path(result["path"]).name: Path(result["path"]), **{Path(p["path"]).name: Path(p["path"]) for p in plans}}
    meta = {**{k: v for k, v in result.items() if k not in ("plans", "seconds")}, "path": Path(result["path"]).name,
            "plans": [{**{k: v for k, v in p.items() if k != "seconds"}, "path": Path(p["path"]).name} for p in plans]}
    store_files(BUNDLE_STAGE, key, files, meta)


def _cached_bundle(key: str, out: str, started: float) -> dict | None:
    from ..stage_cache import fetch_files

    meta = fetch_files(BUNDLE_STAGE, key, Path(out))
    if not (isinstance(meta, dict) and isinstance(meta.get("path"), str) and isinstance(meta.get("plans"), list)):
        return None
    seconds = time.perf_counter() - started
    plans = [{**p, "path": str(Path(out) / p["path"]), "seconds": 0.0} for p in meta["plans"]]
    return {**meta, "path": str(Path(out) / meta["path"]), "plans": plans, "seconds": seconds, "cached": True}


def _bundle_one(args: tuple) -> dict:
    """The institution's bundle and, beside it, the 认定实施计划 of each of its sessions (not in the public copy);
    copied from the cache (stage_cache.py) when nothing they are made from has changed."""
    from ..stage_cache import enabled

    directory, out, *version = args
    started = time.perf_counter()
    key = bundle_key(directory, *version) if enabled() else None
    found = key and _cached_bundle(key, out, started)
    if found:
        return found
    from .data import build_context
    from .plan import render_plans
    from .bundle_pdf import render_bundle

    from ..published import LeakError

    try:
        context = build_context(Path(directory))
        result = dict(render_bundle(directory, out, context=context), plans=render_plans(context, out))
        # KEY missed (a new day, a new commit), yet every PDF may have come from pdf_cache.py unrendered
        result["cached"] = bool(result.get("cached")) and all(p.get("cached") for p in result["plans"])
        if key:
            _store_bundle(key, result)
        return result
    except LeakError as exc:  # its message names the file and page, never the number
        return {"slug": Path(directory).name, "error": str(exc)}
    except Exception as exc:  # one broken filing must not stop the others
        return {"slug": Path(directory).name, "error": f"{type(exc).__name__}: {exc}"}


def cmd_bundle(args) -> int:
    failed = _fonts_or_exit()
    if failed is not None:
        return failed
    import weasyprint  # noqa: F401  imported before forking, so workers share it

    from ..batch import each_result

    _portal_hint()
    directories = _directories(args.slugs)
    try:
        out = _out_dir(args.out, "bundles")
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    jobs = args.jobs or min(len(directories), os.cpu_count() or 1)
    from ..stage_cache import enabled
    from .render_key import folder_versions

    versions = folder_versions(directories) if enabled() else {}
    tasks = [(str(d), str(out), *([versions[str(Path(d))]] if str(Path(d)) in versions else [])) for d in directories]
    started = time.perf_counter()
    results = []
    total = len(tasks)

    def report(result: dict) -> None:
        results.append(result)
        n = len(results)
        if "error" in result:
            print(f"[{n}/{total}] {result['slug']}：失败：{result['error']}", file=sys.stderr, flush=True)
            return
        note = "" if result["valid"] else "（备案文件无效，封面已标注）"
        refused = f"，拒绝读取 {len(result['refused'])} 个外部资源" if result["refused"] else ""
        made = "取自缓存" if result.get("cached") else f"{result['seconds']:.1f} 秒"
        print(f"[{n}/{total}] {result['slug']}：{result['pages']} 页，{made} → {result['path']}{note}{refused}",
              flush=True)
        for message in result["refused"]:
            print(f"    {message}", file=sys.stderr)
        for plan in result.get("plans") or []:
            if "error" in plan:
                print(f"    认定计划 {plan['plan']}：失败：{plan['error']}", file=sys.stderr, flush=True)
                continue
            note = "" if plan["valid"] and plan["decision"] == "eligible" else "（计划未通过检查，首页已标注）"
            print(f"    认定实施计划 {plan['plan']}：{plan['pages']} 页 → {plan['path']}{note}", flush=True)

    each_result(_bundle_one, tasks, jobs, report)
    elapsed = time.perf_counter() - started
    ok = [r for r in results if "error" not in r]
    plans = [p for r in ok for p in r.get("plans") or [] if "error" not in p]
    failed_plans = [p for r in ok for p in r.get("plans") or [] if "error" in p]
    cached = [r for r in ok if r.get("cached")]
    reused = f"（其中 {len(cached)} 个机构的材料未变，取自缓存）" if cached else ""
    print(f"完成：{len(ok)}/{total} 份材料，{sum(r['pages'] for r in ok)} 页；认定实施计划 {len(plans)} 份{reused}"
          f"，用时 {elapsed:.1f} 秒（{jobs} 个进程），输出目录 {out}")
    if ok:  # write_pdf names a PDF only after reading its text back (published.py); the cache keeps only those
        when = "（取自缓存的在当初生成时读回）" if cached else ""
        print(f"个人号码检查：已逐页读回 {len(ok) + len(plans)} 份 PDF{when}，未发现完整身份证号或手机号。")
    return EXIT_OK if len(ok) == total and not failed_plans else EXIT_FAILED


def cmd_receipt(args) -> int:
    failed = _fonts_or_exit()
    if failed is not None:
        return failed
    from .render import BundleError, render_receipt

    _portal_hint()
    try:
        out = _out_dir(args.out, "bundles", create=False)  # made only when a receipt is written
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    code = EXIT_OK
    for directory in _directories(args.slugs):
        try:
            result = render_receipt(directory, out)
        except BundleError as exc:
            print(f"beian：{exc}", file=sys.stderr)
            code = EXIT_FAILED
            continue
        print(f"{result['slug']}：{result['kind']}，备案号 {result['filing_number']}，有效期至 {result['valid_until']} → {result['path']}")
    return code


def cmd_sheets(args) -> int:
    from .data import build_context
    from .excel import SUMMARY_TITLE, SCOPE_TITLE, summary_row, write_scope_workbook, write_summary_workbook

    from ..published import LeakError, NothingScanned, remove_leaking

    directories = _directories(args.slugs)
    try:
        out = _out_dir(args.out, "sheets")
    except OutputError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_USAGE
    rows, written = [], []
    try:
        for i, directory in enumerate(directories, start=1):
            c = build_context(directory)
            rows.append(summary_row(c))
            path = write_scope_workbook(c, out / f"{c.filing.slug}-{SCOPE_TITLE}.xlsx")
            written.append(path)
            print(f"[{i}/{len(directories)}] {c.filing.slug} → {path}", flush=True)
        summary = write_summary_workbook(rows, out / f"{SUMMARY_TITLE}.xlsx")
        written.append(summary)
    except OSError as exc:
        from ..textfile import os_reason

        print(f"beian：无法写入 {exc.filename or out}：{os_reason(exc)}。", file=sys.stderr)
        return EXIT_USAGE
    print(f"汇总表（{len(rows)} 个机构）→ {summary}")
    try:
        leaks = remove_leaking(written)
    except NothingScanned as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_FAILED
    if leaks:
        print(f"beian：{LeakError(leaks, '已删除含号码的工作簿')}", file=sys.stderr)
        return EXIT_FAILED
    print(f"个人号码检查：已读 {len(written)} 个工作簿的每个单元格，未发现身份证号或手机号。")
    return EXIT_OK


def cmd_import_scope(args) -> int:
    from .excel import ScopeImportError, import_scope, scope_yaml

    try:
        data = import_scope(args.file)
    except ScopeImportError as exc:
        print(f"beian：{exc}", file=sys.stderr)
        return EXIT_FAILED
    text = scope_yaml(data, Path(args.file).name)
    if not args.out:
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.out)
    if target.is_dir():
        target = target / "scope.yaml"
    if target.exists():
        print(f"beian：{target} 已存在，不会覆盖。请换一个输出路径，或先手动移走原文件再导入。", file=sys.stderr)
        return EXIT_FAILED
    try:
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        print(f"beian：{target} 已存在，不会覆盖。", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        from ..textfile import os_reason

        print(f"beian：无法写入 {target}：{os_reason(exc)}。", file=sys.stderr)
        return EXIT_USAGE
    print(f"已写入 {target}（{len(data['occupations'])} 个职业）。请用 beian check 检查后提交。")
    return EXIT_OK


def register(sub) -> None:
    """Add this feature's subcommands to the `beian` parser."""
    bundle = sub.add_parser("bundle", help="生成每个机构的 A4 备案材料 PDF（申请函、申请表、工作方案、评分表等）和各认定计划的认定实施计划 PDF",
                            description="为机构生成一份可打印的 A4 备案材料 PDF（<机构代号>.pdf），并为 sessions/ 下每个认定计划生成"
                                        "认定实施计划（<机构代号>-<评价计划编号>-认定实施计划.pdf）；多个机构并行生成。"
                                        "默认输出到 out/bundles/（不纳入 git）。")
    bundle.add_argument("slugs", nargs="*", metavar="SLUG", help="机构代号或文件夹（默认：institutions/ 下全部）")
    bundle.add_argument("--out", "-o", help="输出目录（默认 out/bundles/）")
    bundle.add_argument("--jobs", "-j", type=int, default=0, help="并行进程数（默认：CPU 核数）")
    bundle.set_defaults(run=cmd_bundle)

    receipt = sub.add_parser("receipt", help="为已备案机构生成备案回执（增量备案生成增量备案回执）",
                             description="为备案状态为“已备案”的机构生成备案回执 PDF，含备案号与 3 年有效期。")
    receipt.add_argument("slugs", nargs="+", metavar="SLUG", help="机构代号或文件夹")
    receipt.add_argument("--out", "-o", help="输出目录（默认 out/bundles/）")
    receipt.set_defaults(run=cmd_receipt)

    sheets = sub.add_parser("sheets", help="生成 Excel：全部机构的汇总表和每个机构的评价机构信息与认定范围清单",
                            description="生成 Excel 汇总表与认定范围清单，默认输出到 out/sheets/（不纳入 git）。")
    sheets.add_argument("slugs", nargs="*", metavar="SLUG", help="机构代号或文件夹（默认：institutions/ 下全部）")
    sheets.add_argument("--out", "-o", help="输出目录（默认 out/sheets/）")
    sheets.set_defaults(run=cmd_sheets)

    imp = sub.add_parser("import-scope", help="把已有的“评价机构信息与认定范围清单”Excel 转成 scope.yaml",
                         description="读取认定范围清单（.xlsx、旧版 Excel 的 .xls 或 WPS/LibreOffice 的 .ods），输出 scope.yaml；"
                                     "不指定 --out 时打印到屏幕。已有文件永不覆盖。过大、设有密码或恶意构造的表格在解析之前拒绝读取。")
    imp.add_argument("file", metavar="FILE", help="认定范围清单表格文件（.xlsx、.xls 或 .ods）")
    imp.add_argument("--out", "-o", help="写入的文件或机构文件夹（写入其中的 scope.yaml）；文件已存在则拒绝")
    imp.set_defaults(run=cmd_import_scope)
