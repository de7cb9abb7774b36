"""What the portal publishes for download: per institution a public PDF bundle and its 认定范围清单
workbook, and one 汇总表 for all. Called by `beian build` (generator/portal/build.py).

The public PDF is the bundle without ID numbers and mobile numbers (the portal publishes no ID
number, not even a masked one); the workbooks never held either. Each institution is evaluated
once, in a worker process; the parent writes the 汇总表 from the rows the workers return. An
institution whose inputs have not changed gets its PDF, workbook and 汇总表 row from the cache
(stage_cache.py; key: download_key, which holds the evaluation date and the code). When that misses, the
PDF is still taken from the cache if the HTML it is rendered from and the files it reads are the same
(pdf_cache.py); the workbook and the row are made anew.
"""
from __future__ import annotations

from pathlib import Path

PDF_SUFFIX = ".pdf"
SCOPE_SUFFIX = "-scope.xlsx"
SUMMARY_NAME = "summary.xlsx"


DOWNLOAD_STAGE = "portal-downloads"


def download_key(directory: str, page: str, version: str | None = None) -> str:
    """Everything that changes the bytes of an institution's public downloads besides its folder and the code:
    its page name (in the QR link), the data version printed (VERSION: render_key.folder_versions' words), the
    portal address, the renderer and fonts."""
    from ..stage_cache import stage_key
    from .render_key import render_fingerprint, version_parts

    return stage_key(DOWNLOAD_STAGE, Path(directory), "public", f"page={page}", *version_parts(Path(directory), version),
                     render_fingerprint())


def _cached_downloads(key: str, out: Path, page: str) -> dict | None:
    from ..stage_cache import fetch_files

    pdf, xlsx = f"{page}{PDF_SUFFIX}", f"{page}{SCOPE_SUFFIX}"
    meta = fetch_files(DOWNLOAD_STAGE, key, out, {"pdf": pdf, "xlsx": xlsx})
    if not (isinstance(meta, dict) and isinstance(meta.get("pages"), int) and isinstance(meta.get("row"), list)):
        return None
    return {"page": page, "pdf": pdf, "xlsx": xlsx, "pages": meta["pages"], "row": meta["row"], "cached": True}


def institution_downloads(task: tuple) -> dict:
    """(folder, output folder, page name[, data version words]) → {"page", "pdf", "xlsx", "pages", "row", "cached"}
    or {"page", "error"}. Unchanged downloads are copied from the cache (stage_cache.py), after their bytes are checked."""
    from ..published import LeakError
    from ..stage_cache import enabled, store_files

    directory, out, page, *version = task
    key = download_key(directory, page, *version) if enabled() else None
    found = key and _cached_downloads(key, Path(out), page)
    if found:
        return found
    from .data import build_context
    from .excel import summary_row, write_scope_workbook
    from .pdf_cache import cached_pdf, keepable
    from .render import bundle_html

    try:
        c = build_context(Path(directory))
        pdf = Path(out) / f"{page}{PDF_SUFFIX}"
        # a new day or a new commit misses KEY; the PDF is still not rendered again unless what it prints, or
        # what renders it, changed (pdf_cache.py). The workbook prints 生成日期 and costs little: written anew.
        info = cached_pdf(bundle_html(c, public=True, page=page), c.filing.root, pdf, public=True)
        xlsx = write_scope_workbook(c, Path(out) / f"{page}{SCOPE_SUFFIX}")
        row = summary_row(c)
        if key and keepable(info):  # only what was read back and found free of personal numbers (write_pdf) is kept
            store_files(DOWNLOAD_STAGE, key, {"pdf": pdf, "xlsx": xlsx}, {"pages": info["pages"], "row": row})
        return {"page": page, "pdf": pdf.name, "xlsx": xlsx.name, "pages": info["pages"], "row": row,
                "cached": info["cached"]}
    except LeakError as exc:  # the build must fail: see portal/build.py write_downloads
        return {"page": page, "error": str(exc), "leak": True}
    except Exception as exc:  # one broken filing must not stop the portal; its page says so
        return {"page": page, "error": f"{type(exc).__name__}: {exc}"}


def write_downloads(folders: list[tuple[str, str]], out: Path, jobs: int = 0, progress=None) -> dict[str, dict]:
    """folders: (institution folder, page name) pairs. Returns page name → result, and writes
    out/summary.xlsx. Runs on all cores; `progress(done, total, result)` after each institution."""
    from .excel import write_summary_workbook

    import weasyprint  # noqa: F401  imported before forking, so workers share it

    from ..batch import each_result

    from ..stage_cache import enabled
    from .render_key import folder_versions

    out.mkdir(parents=True, exist_ok=True)
    versions = folder_versions([folder for folder, _ in folders]) if enabled() else {}
    tasks = [(str(folder), str(out), page, *([versions[str(Path(folder))]] if str(Path(folder)) in versions else []))
             for folder, page in folders]
    results: dict[str, dict] = {}

    def record(result: dict) -> None:
        results[result["page"]] = result
        if progress:
            progress(len(results), len(tasks), result)

    each_result(institution_downloads, tasks, jobs, record)
    write_summary_workbook([results[page]["row"] for _, page in folders if "row" in results[page]], out / SUMMARY_NAME)
    return results
