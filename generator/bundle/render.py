"""HTML (jinja2, autoescaped) → PDF (weasyprint) for bundles and receipts.

Every string from a filing reaches the page through jinja2 autoescaping; the only files the
renderer may open are the institution's own folder and this package's assets (fetcher.py).
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path

from ..identifiers import certificate_number_problems
from ..personal import mask_text, redact
from ..public_state import DISCLAIMER
from ..reference import shared_reference
from ..report import existing_words
from .data import Context, build_context, cn_date, level_label, levels_text
from .docinfo import DocInfo, doc_info
from .fetcher import ASSETS_DIR, make_fetcher
from .fonts import SYMBOL, SYMBOL_FILE, require_fonts
from .verify import SCAN_HINT, Verification, portal_verification

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
RENDER_TIMEOUT = 60.0
# Tagged PDF with a structure tree, document language and title shown (ISO 14289-1); see write_pdf.
PDF_VARIANT = "pdf/ua-1"
BUNDLE_SUBJECT = "河南省院校类职业技能等级认定机构备案申请材料"


class BundleError(Exception):
    """A bundle that cannot be made; the message is Chinese."""


def _no_numbers(value):
    return redact(value) if isinstance(value, str) else value


def _masked_numbers(value):
    return mask_text(value) if isinstance(value, str) else value


@lru_cache(maxsize=None)
def environment(public: bool = False):
    """Templates with autoescaping. Every printed value shows a personal number typed anywhere in a
    filing only masked (the department's copy keeps the masked ID column its 申请表 asks for);
    `public`: not at all, not even masked, as the portal promises."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True,
                             finalize=_no_numbers if public else _masked_numbers)
    env.globals.update(cn_date=cn_date, level_label=level_label, levels=levels_text, disclaimer=DISCLAIMER,
                       symbol_family=SYMBOL, symbol_font_url=SYMBOL_FILE.as_uri(), scan_hint=SCAN_HINT)
    return env


def _font_names() -> dict:
    serif, sans = require_fonts()
    safe = re.compile(r"[^\w \-]")
    return {"serif": safe.sub("", serif), "sans": safe.sub("", sans)}


def _addressee(c: Context) -> str:
    """技工院校 and 中职 write to their city's 人社局, the others to the provincial 人社厅 (手册第一部分“三、受理机构”)."""
    kind = c.g("profile", "institution", "type")
    city = str(c.g("profile", "institution", "city", default="") or "")
    if kind in ("技工院校", "中等职业学校") and city:
        return f"{city}人力资源和社会保障局"
    return "河南省人力资源和社会保障厅"


def score_rows(c: Context) -> list[dict]:
    """Rows of the evaluation sheet with the engine's results, and row spans for 项目 / 项目分解."""
    sheet = c.sheet
    points = {}
    if sheet:
        for section in sheet.sections:
            points[(section["name"], None)] = section.get("points", 0)
            for group in section.get("groups", []):
                points[(section["name"], group["name"])] = group.get("points", 0)
    rows = []
    for rec in c.record["criteria"]:
        crit = sheet.criterion(rec["id"]) if sheet else None
        if rec["veto"]:
            awarded, maximum = ("否决" if rec["status"] == "vetoed" else "通过" if rec["status"] in ("met", "reviewed") else "—"), "否决项"
        elif rec["bonus"]:
            awarded, maximum = (f"+{rec['awarded']}" if rec["awarded"] else "0"), f"加{rec['max']}"
        else:
            awarded, maximum = rec["awarded"], rec["max"]
        if rec["status"] == "pending":
            awarded = f"{awarded}（待定）"
        remark = rec["reason"] or ""
        review = rec.get("review") or {}
        if review.get("reviewer"):
            remark = f"{remark}（{review['reviewer']}{'，' + str(review['date']) if review.get('date') else ''}）"
        rows.append({"section": rec["section"], "group": rec["group"],
                     "content": crit.content if crit else rec["title"], "standard": crit.standard if crit else "",
                     "method": crit.method if crit else "", "max": maximum, "awarded": awarded,
                     "status": rec["status"], "status_label": rec["status_label"], "remark": remark,
                     "section_points": points.get((rec["section"], None)), "group_points": points.get((rec["section"], rec["group"])),
                     "section_span": 0, "group_span": 0})
    for key, span_key in (("section", "section_span"), (("section", "group"), "group_span")):
        start = 0
        for i in range(1, len(rows) + 1):
            ident = (lambda r: r["section"]) if key == "section" else (lambda r: (r["section"], r["group"]))
            if i == len(rows) or ident(rows[i]) != ident(rows[start]):
                rows[start][span_key] = i - start
                start = i
    return rows


def condition_rows(c: Context) -> list[dict]:
    """Rows of a conditions result (增量备案审核): each condition, its verdict and why; no points."""
    rows = []
    labels = {x["rule"]: x["status_label"] for x in c.record.get("conditions") or []}
    for rec in c.record["criteria"]:
        if rec["id"] not in labels:
            continue
        crit = c.sheet.criterion(rec["id"]) if c.sheet else None
        remark = rec["reason"] or ""
        review = rec.get("review") or {}
        if review.get("reviewer"):
            remark = f"{remark}（{review['reviewer']}{'，' + str(review['date']) if review.get('date') else ''}）"
        rows.append({"group": rec["group"], "title": rec["title"], "standard": crit.standard if crit else "",
                     "status": rec["status"], "label": labels[rec["id"]], "remark": remark})
    return rows


def _sample_image(c: Context) -> str | None:
    sample = c.g("certificate", "sample")
    if not isinstance(sample, str) or Path(sample).suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return (c.filing.root.resolve() / sample).as_uri()  # the fetcher decides whether it may be read


def portal_page(c: Context) -> str:
    """The institution's page name on the portal (the portal names it from the same folder name)."""
    from ..personal import mask_text
    from ..portal.model import page_slug

    return page_slug(mask_text(c.filing.slug))


def institution_verification(c: Context, page: str | None = None) -> Verification:
    """The version line of a bundle or receipt: the institution page at exactly this data version."""
    from ..version_link import institution_version_url

    page = page or portal_page(c)
    return portal_verification(c.version, lambda portal: institution_version_url(portal, page, c.version.commit))


def institution_info(c: Context, subject: str, *keywords: str, author: str | None = None) -> DocInfo:
    """Document properties of a printout about the institution: it is the author unless AUTHOR says otherwise."""
    category = c.g("profile", "application", "category")
    words = (c.name, c.filing.slug, str(category or ""), *keywords)
    return doc_info(author or c.name, f"{c.name}：{subject}", words, c.version, c.today)


def bundle_html(c: Context, public: bool = False, page: str | None = None) -> str:
    """The bundle as HTML. `public`: the portal's copy, without ID numbers and mobile numbers. PAGE: the
    institution's page name on the portal, when the portal already knows it (public.py)."""
    number = c.g("certificate", "sample_number")
    fields = c.certificate_fields()
    problems = certificate_number_problems(str(number), set(shared_reference().city_codes.values())) if number else []
    errors = [f for f in c.record["findings"] if f["severity"] == "error"]
    return environment(public).get_template("bundle.html.j2").render(
        c=c, fonts=_font_names(), css_url=(ASSETS_DIR / "bundle.css").as_uri(), addressee=_addressee(c),
        score_rows=score_rows(c), condition_rows=condition_rows(c), existing=existing_words(c.record),
        cert_fields=fields, cert_problems=problems, errors=errors,
        cert_level=level_label(fields[6][1] and int(fields[6][1])) if fields else "＿＿＿＿",
        sample_image=_sample_image(c), public=public,
        info=institution_info(c, BUNDLE_SUBJECT + ("（公开版）" if public else ""), "备案材料"),
        verification=institution_verification(c, page))


def write_pdf(html: str, base: Path, target: Path, timeout: float = RENDER_TIMEOUT, public: bool = False) -> dict:
    """Render and write a PDF; it takes its name only once its text has been read back and holds no
    full personal number (`public`: no masked one either). Otherwise LeakError and no file."""
    from weasyprint import HTML

    from ..published import LeakError, scan_file

    fetcher = make_fetcher([base, ASSETS_DIR], timeout=timeout)
    options = {"pdf_variant": PDF_VARIANT}
    document = HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher).render(**options)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.stem + ".part" + target.suffix)  # keeps .pdf: the scan reads by suffix
    document.write_pdf(tmp, **options)
    try:
        leaks = scan_file(tmp, masked=public, shown_as=target.name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if leaks:
        tmp.unlink(missing_ok=True)
        raise LeakError(leaks, f"未写出 {target.name}")
    tmp.replace(target)
    return {"pages": len(document.pages), "refused": list(fetcher.refused)}


class NotFiled(BundleError):
    pass


def render_receipt(directory: str | Path, out_dir: str | Path) -> dict:
    """The 备案回执 (or 增量备案回执) of a filing whose status is 已备案."""
    started = time.perf_counter()
    c = build_context(Path(directory))
    state = c.g("profile", "status", "state")
    number = c.g("profile", "status", "filing_number")
    if state != "已备案":
        raise NotFiled(f"{c.filing.slug}：备案状态是“{state or '未填写'}”，只有“已备案”的机构才能生成备案回执"
                       "（profile.yaml 的 status.state）。")
    if not number or not c.g("profile", "status", "valid_from"):
        raise NotFiled(f"{c.filing.slug}：已备案但缺少备案号或有效期起始日（profile.yaml 的 status.filing_number、status.valid_from）。")
    if not c.record["valid"]:
        raise NotFiled(f"{c.filing.slug}：备案文件无效，请先用 `beian check {c.filing.display_root}` 修正。")
    suffix = "增量备案回执" if c.is_incremental else "备案回执"
    target = Path(out_dir) / f"{c.filing.slug}-{suffix}.pdf"
    html = environment().get_template("receipt.html.j2").render(
        c=c, fonts=_font_names(), css_url=(ASSETS_DIR / "bundle.css").as_uri(),
        valid_from=c.validity()[0], valid_until=c.validity()[1], new=c.new_occupations(),
        city=str(c.g("profile", "institution", "city", default="") or ""),
        info=institution_info(c, suffix, "备案回执", str(number), author=_addressee(c)),
        verification=institution_verification(c))
    info = write_pdf(html, c.filing.root, target)
    return {"slug": c.filing.slug, "path": str(target), "seconds": time.perf_counter() - started,
            "kind": suffix, "filing_number": number, "valid_until": c.validity()[1], **info}
