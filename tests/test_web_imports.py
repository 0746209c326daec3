"""A web process loads no PDF library: WeasyPrint and pyHanko load only where a PDF is made."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import django
django.setup()
import glenwood.urls
from django.urls import reverse
reverse("verify")
print(" ".join(sorted(m for m in ("weasyprint", "pyhanko", "pypdf") if m in sys.modules)) or "none")
"""


def test_loading_the_urls_loads_no_pdf_library():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "glenwood.settings_test"},
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "none", result.stdout + result.stderr
