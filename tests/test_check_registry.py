"""The check registry imports a check's module only when one of its checks is asked for (start-up of `beian check`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.checks import registry

ROOT = Path(__file__).resolve().parent.parent


def test_every_check_lives_in_the_module_its_name_begins_with():
    # The lazy registry finds "sites.office" by importing generator/checks/sites.py; a check registered
    # elsewhere would still be found, but only by importing every module, which is what the registry avoids.
    misplaced = {name: function.__module__ for name, function in registry().items()
                 if function.__module__ != f"generator.checks.{name.partition('.')[0]}"}
    assert not misplaced


def test_checking_an_institution_leaves_the_dispatch_and_register_checks_and_other_commands_unimported(tmp_path):
    sample = ROOT / "institutions" / "songyue-jishi"
    assert any((sample / "sessions").iterdir())
    script = ("import sys, io, contextlib\n"
              "from generator.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    main(['check', {str(sample)!r}, '--no-cache'])\n"
              "print(sorted(m for m in sys.modules if m.startswith(('generator.checks.supervision_dispatch', "
              "'generator.checks.supervision_register', 'generator.supervision.dispatch', 'fastjsonschema', 'generator.portal', 'generator.bundle'))))\n")
    env = {"PATH": "/usr/bin:/bin", "BEIAN_TODAY": "2026-11-23", "PYTHONPATH": str(ROOT), "BEIAN_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert "fastjsonschema" in first.stdout  # the first start compiles the schema validators
    again = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert again.stdout.strip() == "[]", again.stdout  # later ones run them from the cache without the library


def test_an_unknown_check_is_not_in_the_registry_and_every_known_one_is():
    checks = registry()
    assert "sites.office" in checks and "supervision_dispatch.session" in checks
    assert "sites.no_such_check" not in checks and "no_module.check" not in checks and None not in checks
    assert len(checks) == len(list(checks)) > 70
