"""CI cannot pass by skipping (issue 14): a test that needs what the machine lacks skips on a
newcomer's machine and fails where JIXIAO_REQUIRE names the need, as .ci/run sets it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = '''
from tests.conftest import require

def test_needs_a_server():
    require("pg", "no server here")
'''


def _run_probe(tmp_path: Path, require: str | None) -> subprocess.CompletedProcess:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("", encoding="utf-8")
    (tests / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text("utf-8"),
                                       encoding="utf-8")
    (tests / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin"}
    if require is not None:
        env["JIXIAO_REQUIRE"] = require
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-rs", "tests/test_probe.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("require", "outcome"), [
    (None, "1 skipped"), ("ocr,soffice", "1 skipped"), ("pg,ocr,soffice", "1 failed"),
])
def test_require_skips_or_fails_as_the_environment_says(tmp_path: Path, require: str | None,
                                                        outcome: str) -> None:
    result = _run_probe(tmp_path, require)
    assert outcome in result.stdout, result.stdout + result.stderr
    assert "no server here" in result.stdout


def test_ci_requires_what_it_installs_in_one_line() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [ln for ln in script.splitlines() if re.match(r"\s*export JIXIAO_REQUIRE=", ln)]
    assert len(lines) == 1, lines
    needs = set(lines[0].split("=", 1)[1].strip().strip("\"'").split(","))
    assert {"pg", "ocr", "soffice", "corpus"} <= needs
    assert "pip install --quiet -e '.[dev,ocr]'" in script  # the OCR extra it requires
    # the permission tests run again as someone whom permission bits stop
    assert "runuser -u jixiao-ci" in script and "JIXIAO_REQUIRE=unprivileged" in script
