"""Checking many institutions: one record per filing, in parallel when it pays off.

Workers return plain records (report.filing_record), which pickle cheaply;
the parent only renders them, in the order of the input folders.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path

from .paths import REGISTERS_FOLDER
from .record_cache import cached_record

# Below this many folders a process pool costs more than it saves.
PARALLEL_FROM = 24


def record_for(directory: str, reviews: dict[str, str | None] | None = None) -> dict:
    """REVIEWS: folder name → reviews.yaml text to score with instead of the folder's own (see pr/reviews.py)."""
    path = Path(directory)
    if path.resolve().parent.name == REGISTERS_FOLDER:  # judged against every institution's sessions: they enter its key too
        from .paths import PROJECT_ROOT
        from .record_cache import register_inputs

        return cached_record(path, lambda: register_record_for(path), register_inputs(PROJECT_ROOT))
    if reviews and path.name in reviews:
        return institution_record(path, {"reviews": reviews[path.name]})
    from .paths import PROJECT_ROOT
    from .record_cache import institution_inputs

    return cached_record(path, lambda: institution_record(path), institution_inputs(PROJECT_ROOT))


def institution_record(path: Path, substitute: dict[str, str | None] | None = None) -> dict:
    """The filing's record with its sessions' records under "sessions" (each judged with this filing)."""
    # Imported here, not at the top: a warm check answers from the record cache without loading the engine.
    from .engine import evaluate_path, evaluate_records, evaluate_sessions
    from .paths import PROJECT_ROOT
    from .report import filing_record

    result = evaluate_path(path, PROJECT_ROOT, substitute=substitute)
    record = filing_record(result)
    record["sessions"] = []
    for session in evaluate_sessions(result.filing, PROJECT_ROOT, today=result.today):
        entry = filing_record(session)
        # its supervision records (sessions/<plan>/supervision/), each judged with the session and the filing
        entry["records"] = [filing_record(r) for r in evaluate_records(session.filing, result.filing, PROJECT_ROOT,
                                                                       today=result.today)]
        record["sessions"].append(entry)
    return record


def register_record_for(path: Path) -> dict:
    """A department register's record (department/<jurisdiction>/): its supervisors and dispatches judged."""
    from .engine import evaluate
    from .filing import load_register
    from .paths import PROJECT_ROOT
    from .report import filing_record

    return filing_record(evaluate(load_register(path, PROJECT_ROOT)))


def _run_chunk(function, paths: list[str]) -> list:
    # Results stay alive until output, so the cyclic collector would rescan an ever larger heap;
    # filings make no reference cycles worth collecting mid-run.
    gc.disable()
    try:
        return [function(path) for path in paths]
    finally:
        gc.enable()


def _fork_context():
    """Forked workers inherit what the parent has loaded (rules, reference data, weasyprint)."""
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # platforms without fork
        return multiprocessing.get_context()


def map_folders(function, paths: list[str], jobs: int = 0) -> list:
    """function(path) for every folder (or file), in input order; in a fork pool when there are many.

    `function` must be picklable (a module-level function or a functools.partial of one).
    """
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or (jobs == 0 and len(paths) < PARALLEL_FROM):
        return _run_chunk(function, paths)
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from .reference import shared_reference

    shared_reference()  # loaded once here, inherited by the forked workers
    context = _fork_context()
    size = max(1, len(paths) // (workers * 8))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [result for chunk in pool.map(partial(_run_chunk, function), chunks) for result in chunk]


def check_records(directories: list[Path], jobs: int = 0, reviews: dict[str, str | None] | None = None) -> list[dict]:
    from functools import partial

    function = partial(record_for, reviews=reviews) if reviews else record_for
    return map_folders(function, [str(d) for d in directories], jobs)


def each_result(function, tasks: list, jobs: int = 0, on_result=None) -> list:
    """function(task) for every task, in a fork pool when there are several; on_result(result) is
    called in this process as each one finishes (for progress lines). Results in finishing order.

    For slow tasks such as PDFs, where a person wants to see progress; anything the workers should
    share (weasyprint) is best imported before calling, so the fork inherits it."""
    workers = jobs or min(len(tasks), os.cpu_count() or 1)
    results = []

    def record(result):
        results.append(result)
        if on_result:
            on_result(result)

    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            record(function(task))
        return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
        for future in as_completed([pool.submit(function, task) for task in tasks]):
            record(future.result())
    return results
