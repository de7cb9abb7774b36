"""Where the project's data lives. The package sits beside rules/, schemas/ and institutions/."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BEIAN_ROOT", Path(__file__).resolve().parent.parent))
RULES_DIR = PROJECT_ROOT / "rules"
SHEETS_DIR = RULES_DIR / "sheets"
REFERENCE_DIR = RULES_DIR / "reference"
JURISDICTIONS_DIR = RULES_DIR / "jurisdictions"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
INSTITUTIONS_DIR = PROJECT_ROOT / "institutions"
REGISTERS_FOLDER = "department"   # department/<jurisdiction>/: the supervision registers (rules/kinds.yaml `register`)
SITE_CONFIG = PROJECT_ROOT / "site" / "mkdocs.yml"


def published_portal_url() -> str:
    """Where the portal is published, ending in '/': $BEIAN_PORTAL_URL (pages.yml sets it to the
    GitHub Pages address), else site/mkdocs.yml's site_url; '' when neither says. Shared by the
    portal (badge snippet, canonical links) and SARIF (rule help links)."""
    import re

    if os.environ.get("BEIAN_PORTAL_URL"):
        return os.environ["BEIAN_PORTAL_URL"].rstrip("/") + "/"
    try:
        config = SITE_CONFIG.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config, re.M)
    return found.group(1).rstrip("/") + "/" if found else ""
