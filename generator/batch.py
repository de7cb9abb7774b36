"""Checking many institutions: one record per filing, in parallel when it pays off.

Results come back in the order of the input folders, as they are made (stream_folders): a few chunks are
in flight at a time, so neither the parent nor the pool holds more than those. `beian check` has each
worker also render its records into the output format's pieces (check_piece), so the parent only writes.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path

from .paths import REGISTERS_FOLDER
from .record_cache import cached_record

# Below this many folders a process pool costs more than it saves.
PARALLEL_FROM = 24


def is_register_dir(path) -> bool:
    """Whether the folder, symbolic links resolved, sits in a department/ folder: path.resolve().parent.name,
    with two lstat calls instead of one per component (a parent that is no link keeps its name resolved)."""
    path = os.path.abspath(path)
    if os.path.islink(path):
        return os.path.basename(os.path.dirname(os.path.realpath(path))) == REGISTERS_FOLDER
    parent = os.path.dirname(path)
    return os.path.basename(os.path.realpath(parent) if os.path.islink(parent) else parent) == REGISTERS_FOLDER


def record_source(directory: str, reviews: dict[str, str | None] | None = None):
    """(folder, how to judge it, the other files its record depends on) for the record cache; None when the
    folder is judged with substituted files (REVIEWS: folder name → reviews.yaml text to score with instead of
    the folder's own, see pr/reviews.py), which is never cached."""
    path = Path(directory)
    from .paths import PROJECT_ROOT

    if is_register_dir(path):  # judged against every institution's sessions: they enter its key too
        from .record_cache import register_inputs

        return path, lambda: register_record_for(path), register_inputs(PROJECT_ROOT)
    if reviews and path.name in reviews:
        return None
    from .record_cache import institution_inputs

    return path, lambda: institution_record(path), institution_inputs(PROJECT_ROOT)


def record_for(directory: str, reviews: dict[str, str | None] | None = None) -> dict:
    """The folder's record (record_source says how), from the record cache when nothing changed."""
    source = record_source(directory, reviews)
    if source is None:
        path = Path(directory)
        return institution_record(path, {"reviews": reviews[path.name]})
    return cached_record(*source)


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


def check_piece(directory: str, fmt: str, verbose: bool = False, reviews: dict[str, str | None] | None = None,
                held=None, files: list[str] | None = None) -> tuple:
    """(the record in the output format FMT (formats.streaming), its verdict flags): what the parent of
    `beian check` needs of one folder. HELD: pr.reviews.HeldBack, whose note goes into the record first.
    FILES: with --changed-since, the changed files (which subjects the change answers for)."""
    from .formats import streaming

    piece = streaming(fmt)[0]
    source = record_source(directory, reviews) if held is None and files is None else None
    if source is not None:  # the plain check: its output piece is cached beside the record
        from .record_cache import cached_view

        return cached_view(*source, f"check piece {fmt} verbose={verbose}",
                           lambda record: (piece(record, verbose), verdict_flags(record)))
    record = record_for(directory, reviews)
    if held is not None:
        held.note(record)
    return piece(record, verbose), verdict_flags(record, files)


def verdict_flags(record: dict, files: list[str] | None = None) -> tuple[bool, bool, int]:
    """(a counted subject fails, a counted subject awaits a decision, how many subjects not counted fail) over
    the record, its sessions and their supervision records. `beian check` exits 1 when a counted one is invalid or
    fails (不具备 / 不符合要求); a pending one (待专家判定 / 待判定) only with --require-decision. All are counted
    when FILES is None; with --changed-since, those the change answers for (pr.changes.answers_for)."""
    from .record_words import fails, judged

    counts = None
    if files is not None:
        from .pr.changes import answers_for

        counts = answers_for([record], files)
    failed = pending = False
    others = 0
    for subject in judged([record]):
        if counts is None or counts(subject):
            failed = failed or fails(subject)
            pending = pending or subject["decision"] == "pending_review"
        elif fails(subject):
            others += 1
    return failed, pending, others


def _run_chunk(function, paths: list[str]) -> list:
    # A chunk's results stay alive until it is sent, and judging a filing makes no reference cycles worth
    # collecting mid-chunk: the cyclic collector would only rescan the heap.
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


# Chunks of at most this many folders, and at most IN_FLIGHT chunks per worker submitted at a time: what the
# parent holds at once is bounded whatever the number of folders (a chunk of JSON records is a few MB).
CHUNK = 32
IN_FLIGHT = 3


def stream_folders(function, paths: list[str], jobs: int = 0):
    """function(path) for every folder (or file), yielded in input order as they are done; in a fork pool
    when there are many. `function` must be picklable (a module-level function or a functools.partial of one)."""
    from .record_cache import end_run, start_run

    run = start_run()  # the department registers are read once for the whole run (record_cache._inputs_digest)
    try:
        yield from _stream(function, paths, jobs)
    finally:
        end_run(run)


def _stream(function, paths: list[str], jobs: int):
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or (jobs == 0 and len(paths) < PARALLEL_FROM):
        for i in range(0, len(paths), CHUNK):
            yield from _run_chunk(function, paths[i:i + CHUNK])
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from .reference import shared_reference

    shared_reference()  # loaded once here, inherited by the forked workers
    size = max(1, min(CHUNK, len(paths) // (workers * 8)))
    chunks = iter([paths[i:i + size] for i in range(0, len(paths), size)])
    task = partial(_run_chunk, function)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
        pending = deque(pool.submit(task, chunk) for _, chunk in zip(range(workers * IN_FLIGHT), chunks))
        while pending:
            results = pending.popleft().result()
            for chunk in chunks:  # keep the pool busy: one chunk in for each one out
                pending.append(pool.submit(task, chunk))
                break
            yield from results


def map_folders(function, paths: list[str], jobs: int = 0) -> list:
    """function(path) for every folder (or file), in input order (stream_folders, all held)."""
    return list(stream_folders(function, paths, jobs))


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
