"""The emulator's pytest fixtures are opt-in: installing the client adds nothing to test runs."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import distribution, entry_points
from pathlib import Path

TEST_FILE = """
from oneminai_webapi import SyncOneMinAIClient


def test_uses_the_fixture(onemin_emulator_thread):
    emu = onemin_emulator_thread
    with SyncOneMinAIClient(emu.api_key, base_url=emu.base_url) as client:
        assert client.generate_content("hi").text.endswith("hi")
"""


def _pytest(directory: Path, *args: str, autoload: bool = True) -> subprocess.CompletedProcess[str]:
    """Run pytest on ``directory``; ``autoload=False`` skips installed plugins (faster)."""
    env = dict(os.environ)
    if not autoload:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(directory)],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_pytest11_entry_point_is_installed() -> None:
    ours = [ep for ep in entry_points(group="pytest11") if ep.value.startswith("oneminai")]
    assert ours == []
    declared = distribution("oneminai-webapi").read_text("entry_points.txt") or ""
    assert "pytest11" not in declared


def test_fixtures_are_absent_without_opt_in(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(TEST_FILE)
    result = _pytest(tmp_path)  # every installed plugin loads, as on a user's machine
    assert result.returncode != 0
    assert "fixture 'onemin_emulator_thread' not found" in result.stdout


def test_conftest_opt_in_and_command_line_opt_in(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(TEST_FILE)
    result = _pytest(tmp_path, "-p", "oneminai_webapi.testing.pytest_plugin", autoload=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["oneminai_webapi.testing.pytest_plugin"]\n'
    )
    result = _pytest(tmp_path, autoload=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
