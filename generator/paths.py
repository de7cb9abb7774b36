"""Where the project's data lives. The package sits beside rules/, schemas/ and institutions/."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BEIAN_ROOT", Path(__file__).resolve().parent.parent))
RULES_DIR = PROJECT_ROOT / "rules"
SHEETS_DIR = RULES_DIR / "sheets"
REFERENCE_DIR = RULES_DIR / "reference"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
INSTITUTIONS_DIR = PROJECT_ROOT / "institutions"
