"""The knowledge data shipped inside the package: found beside this module wherever rightsbot is
installed (a wheel, a container, an editable checkout), never relative to the working directory.

pyproject.toml lists these files as package data; tests/test_installed_package.py checks a built
wheel carries them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
HANDOVER_FILE = PACKAGE_DIR / "handover.yaml"  # subjects officers always take (knowledge/README.md)
FACTSHEETS_DIR = PACKAGE_DIR / "factsheets"  # MiP's own factsheets, one Markdown file each
