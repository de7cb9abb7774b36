"""A record's key takes an institution's attachments by name and type, not by content (generator/record_cache.py,
DOCUMENT_SUFFIXES): a check of 20,000 institutions would otherwise read gigabytes of scanned evidence to learn
that nothing changed. That is sound only while the checks never read an attachment's bytes; these tests hold
them to it, and show when the bytes do count: review decisions."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT
from test_record_cache import school  # noqa: F401 - the base filing with a session, in a folder the test may change


def test_rewriting_an_attachment_keeps_the_key_and_adding_removing_or_linking_one_changes_it(school):
    from generator.record_cache import record_key

    before = record_key(school, "2026-11-23")
    attachment = school / "evidence" / "人才培养方案.md"
    attachment.write_text("另一份人才培养方案\n", encoding="utf-8")
    assert record_key(school, "2026-11-23") == before  # the checks only look for it
    (school / "evidence" / "新增扫描件.pdf").write_bytes(b"%PDF-1.7\n")
    added = record_key(school, "2026-11-23")
    assert added != before
    attachment.unlink()
    assert record_key(school, "2026-11-23") not in (before, added)
    attachment.symlink_to(school / "evidence" / "新增扫描件.pdf")
    linked = record_key(school, "2026-11-23")
    attachment.unlink()
    attachment.mkdir()
    assert record_key(school, "2026-11-23") != linked  # a folder where a file was named is seen


def test_a_changed_document_always_changes_the_key(school):
    from generator.record_cache import record_key

    before = record_key(school, "2026-11-23")
    plan = school / "sessions" / "T2026-12" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# 注释也算\n", encoding="utf-8")
    assert record_key(school, "2026-11-23") != before


def test_with_review_decisions_attachments_are_keyed_by_content(school):
    from generator.record_cache import record_key

    (school / "reviews.yaml").write_text("decisions: []\n", encoding="utf-8")
    before = record_key(school, "2026-11-23")
    (school / "evidence" / "人才培养方案.md").write_text("另一份人才培养方案\n", encoding="utf-8")
    assert record_key(school, "2026-11-23") != before


def test_checking_institutions_reads_no_attachment_except_for_a_review_decision(tmp_path):
    """Every file `beian check` opens under the sample institutions, recorded by an audit hook: documents only,
    except the attachments a review decision covers (review_inputs hashes them), which only happens in a
    folder with a reviews.yaml — the condition under which the key takes attachments by content."""
    script = ("import io, contextlib, json, sys\n"
              "opened = []\n"
              "sys.addaudithook(lambda event, args: opened.append(args[0]) if event == 'open' "
              "and isinstance(args[0], str) else None)\n"
              "from generator.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    main(['check', '--no-cache'])\n"
              "sys.stdout.write(json.dumps(opened))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin", "BEIAN_TODAY": "2026-11-23", "PYTHONPATH": str(ROOT),
                               "BEIAN_CACHE_DIR": str(tmp_path)})
    institutions = str(ROOT / "institutions") + "/"
    attachments = {path for path in json.loads(done.stdout)
                   if path.startswith(institutions) and not path.endswith((".yaml", ".yml"))}
    without_reviews = [path for path in attachments
                       if not (ROOT / "institutions" / path[len(institutions):].split("/")[0] / "reviews.yaml").exists()]
    assert not without_reviews
    assert attachments  # the audit sees the decisions' evidence being read: the hook works


def test_printouts_and_pages_are_still_keyed_by_every_byte_of_an_attachment(school):
    """A PDF may embed a scan: the stage cache (downloads, bundles, portal entries) keys attachments by content."""
    from generator.stage_cache import stage_key

    before = stage_key("portal-downloads", school, "public")
    (school / "evidence" / "人才培养方案.md").write_text("另一份人才培养方案\n", encoding="utf-8")
    assert stage_key("portal-downloads", school, "public") != before


def test_a_run_reads_the_registers_once_and_the_next_one_sees_a_change(tmp_path):
    """Within one run (batch.stream_folders) the department registers are a snapshot; outside it and in the next
    run a changed register means new keys."""
    from generator import record_cache

    register = tmp_path / "dispatches.yaml"
    register.write_text("dispatches: []\n", encoding="utf-8")
    also = (register,)
    before = record_cache._inputs_digest(also)
    run = record_cache.start_run()
    assert record_cache._inputs_digest(also) == before
    register.write_text("dispatches: [{plan: T2026-12}]\n", encoding="utf-8")
    assert record_cache._inputs_digest(also) == before  # the run's snapshot
    record_cache.end_run(run)
    changed = record_cache._inputs_digest(also)
    assert changed != before
    record_cache.start_run()
    assert record_cache._inputs_digest(also) == changed
    record_cache.end_run(record_cache._run)
