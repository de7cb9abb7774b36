"""The stage caches at scale (generator/stage_cache.py): printable downloads cold and cached, -j 1 against -j 2,
and the portal's warm collect.

    python benchmarks/bench_scale_pdf.py --register /work/bench/n1000 --sample 20          # downloads
    python benchmarks/bench_scale_pdf.py --register /work/bench/n1000 --bundle --sample 10  # also `beian bundle`
    python benchmarks/bench_scale_pdf.py --collect /work/bench/n1000 --collect /work/bench/n5000

Downloads: the first SAMPLE institutions (by folder name) of a synthetic register (benchmarks/synthetic.py),
each with its public PDF and 认定范围清单 workbook as `beian build` makes them (bundle/public.write_downloads):
cold with -j 1, cold with -j 2 (a fresh cache each), then cached. --bundle: `beian bundle` (the department's
copy) the same three ways, as a user runs it. Collect: the portal's entries (model.collect, as `beian build`
gathers them) cold, then warm twice. Every run has a private cache folder (BEIAN_CACHE_DIR) that is removed
at the end; the register folders are only read. A measurement, not a test: nothing here asserts on time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BEIAN_TODAY", "2026-11-23")


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _institutions(register: Path) -> list[Path]:
    return sorted(p for p in register.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _fresh_cache(scratch: Path, name: str) -> Path:
    folder = scratch / name
    os.environ["BEIAN_CACHE_DIR"] = str(folder)
    return folder


def downloads(register: Path, sample: int, scratch: Path) -> None:
    from generator.bundle.public import write_downloads
    from generator.portal.model import page_slug

    folders = [(str(p), page_slug(p.name)) for p in _institutions(register)[:sample]]
    print(f"downloads: {len(folders)} institutions of {register} ({_load()})", flush=True)
    for label, jobs, cache in (("cold -j 1", 1, "dl-j1"), ("cold -j 2", 2, "dl-j2"), ("cached -j 1", 1, "dl-j1"),
                               ("cached -j 2", 2, "dl-j1")):
        _fresh_cache(scratch, cache)
        out = scratch / f"out-{label.replace(' ', '')}"
        started = time.perf_counter()
        results = write_downloads(folders, out, jobs)
        seconds = time.perf_counter() - started
        hits = sum(1 for r in results.values() if r.get("cached"))
        failed = sum(1 for r in results.values() if "error" in r)
        print(f"  {label:12s} {seconds:7.1f} s  {seconds / len(folders):6.2f} s per institution  "
              f"(cached {hits}, failed {failed}; {_load()})", flush=True)


def bundle(register: Path, sample: int, scratch: Path) -> None:
    folders = [str(p) for p in _institutions(register)[:sample]]
    print(f"beian bundle: {len(folders)} institutions ({_load()})", flush=True)
    for label, jobs, cache in (("cold -j 1", 1, "b-j1"), ("cold -j 2", 2, "b-j2"), ("cached -j 2", 2, "b-j1")):
        env = dict(os.environ, BEIAN_CACHE_DIR=str(scratch / cache), PYTHONPATH=str(ROOT))
        out = scratch / f"bundle-{label.replace(' ', '')}"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator", "bundle", *folders, "--out", str(out), "-j", str(jobs)],
                              env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        print(f"  {label:12s} {seconds:7.1f} s  {seconds / len(folders):6.2f} s per institution  "
              f"(exit {done.returncode}; {_load()})", flush=True)


def collect(register: Path, scratch: Path) -> None:
    from generator.portal.build import institution_files
    from generator.portal.model import collect as collect_entries

    folders = _institutions(register)
    _fresh_cache(scratch, f"collect-{register.name}")
    print(f"collect: {len(folders)} institutions of {register} ({_load()})", flush=True)
    for label in ("cold", "warm", "warm"):
        counts: dict = {}
        started = time.perf_counter()
        collect_entries(folders, 0, extras=institution_files, counts=counts)
        seconds = time.perf_counter() - started
        print(f"  {label:5s} {seconds:7.1f} s  (cached {counts['cached']}, made {counts['made']}; {_load()})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=Path, help="a synthetic register folder for the downloads")
    parser.add_argument("--sample", type=int, default=20, help="how many of its institutions (PDFs take seconds each)")
    parser.add_argument("--bundle", action="store_true", help="also time `beian bundle` cold -j 1, cold -j 2 and cached")
    parser.add_argument("--collect", type=Path, action="append", default=[], help="a register to collect cold and warm")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}, BEIAN_TODAY={os.environ['BEIAN_TODAY']}")
    scratch = Path(tempfile.mkdtemp(prefix="beian-bench-scale-"))
    try:
        if args.register:
            downloads(args.register, args.sample, scratch)
            if args.bundle:
                bundle(args.register, args.sample, scratch)
        for register in args.collect:
            collect(register, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
