"""The printable downloads on the next day and after a commit (generator/bundle/pdf_cache.py): does the PDF render
again when only the evaluation date or the code changed?

    python benchmarks/bench_pdf_days.py --register /work/bench/n1000 --sample 20

For the first SAMPLE institutions of a synthetic register (benchmarks/synthetic.py), `beian build`'s downloads
(bundle/public.write_downloads, -j JOBS), each step timed:
  day D cold          an empty cache: every PDF rendered;
  day D again         the downloads' own entries hit (nothing made);
  day D+1             as shipped: the cover prints 生成日期, so every PDF differs and is rendered (a true miss);
  day D, new commit   the downloads' entries gone, as after any commit (the code digest is in their key):
                      the HTML is the same, so the PDFs come from pdf_cache, the workbooks are written anew;
  undated D / D+1     with bundle_html patched to print another fixed date instead of the evaluation date (what a
                      cover printing the data's date would give): day D+1 takes every PDF from the cache.
Each scenario has a private cache folder, removed at the end; the register is only read. Nothing here asserts.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DAY, NEXT = "2026-11-23", "2026-11-24"


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _undated() -> None:
    from generator.bundle import render
    from generator.clock import evaluation_date

    real = render.bundle_html
    render.bundle_html = lambda *a, **k: real(*a, **k).replace(evaluation_date().isoformat(), "2026-11-01")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--jobs", "-j", type=int, default=1)
    args = parser.parse_args()
    os.environ.pop("BEIAN_NO_CACHE", None)
    from generator.bundle.public import DOWNLOAD_STAGE, write_downloads
    from generator.portal.model import page_slug

    folders = [(str(p), page_slug(p.name)) for p in sorted(args.register.iterdir()) if p.is_dir()][:args.sample]
    scratch = Path(tempfile.mkdtemp(prefix="beian-bench-days-"))
    print(f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}, {len(folders)} institutions of {args.register}, "
          f"-j {args.jobs} ({_load()})", flush=True)

    def step(label: str, day: str, cache: str) -> None:
        os.environ["BEIAN_TODAY"], os.environ["BEIAN_CACHE_DIR"] = day, str(scratch / cache)
        started = time.perf_counter()
        results = write_downloads(folders, scratch / "out" / label.replace(" ", "-"), args.jobs)
        seconds = time.perf_counter() - started
        cached = sum(1 for r in results.values() if r.get("cached"))
        failed = sum(1 for r in results.values() if "error" in r)
        print(f"  {label:18s} {seconds:7.1f} s  {seconds / len(folders):6.2f} s per institution  "
              f"(PDF from cache {cached}, rendered {len(folders) - cached - failed}, failed {failed}; {_load()})", flush=True)

    try:
        step("day D cold", DAY, "shipped")
        step("day D again", DAY, "shipped")
        step("day D+1", NEXT, "shipped")
        shutil.rmtree(scratch / "shipped" / "stages" / DOWNLOAD_STAGE)
        step("day D, new commit", DAY, "shipped")
        _undated()
        step("undated D cold", DAY, "undated")
        step("undated D+1", NEXT, "undated")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
