"""Checking many institutions: one record per filing, in parallel when it pays off.

Workers return plain records (report.filing_record), which pickle cheaply;
the parent only renders them, in the order of the input folders.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path

from .engine import evaluate_path
from .paths import PROJECT_ROOT
from .report import filing_record

# Below this many folders a process pool costs more than it saves.
PARALLEL_FROM = 24


def record_for(directory: str) -> dict:
    return filing_record(evaluate_path(Path(directory), PROJECT_ROOT))


def _records(paths: list[str]) -> list[dict]:
    # Results stay alive until output, so the cyclic collector would rescan an ever larger heap;
    # filings make no reference cycles worth collecting mid-run.
    gc.disable()
    try:
        return [record_for(path) for path in paths]
    finally:
        gc.enable()


def _chunk(paths: list[str]) -> list[dict]:
    return _records(paths)


def check_records(directories: list[Path], jobs: int = 0) -> list[dict]:
    workers = jobs or (os.cpu_count() or 1)
    paths = [str(d) for d in directories]
    if workers <= 1 or (jobs == 0 and len(paths) < PARALLEL_FROM):
        return _records(paths)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # platforms without fork
        context = multiprocessing.get_context()
    size = max(1, len(paths) // (workers * 8))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [record for chunk in pool.map(_chunk, chunks) for record in chunk]
