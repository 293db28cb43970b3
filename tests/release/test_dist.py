"""``make dist``: every workspace package builds, passes the checks and installs from its wheel.

``test_make_dist_builds_checks_and_installs`` runs ``scripts/dist.py`` as ``make dist`` does
(offline: the build backend comes from the locked dev environment). The other tests feed the
checks broken packages, so that a check that stopped looking would fail here.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dist_script", ROOT / "scripts" / "dist.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


dist = _load_dist()


@pytest.mark.timeout(600)
def test_make_dist_builds_checks_and_installs(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "dist.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=540,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    members = dist.packages()
    assert {p.path.name for p in members} == {
        p.name for p in (ROOT / "libs").iterdir() if (p / "pyproject.toml").is_file()
    }
    built = {p.name for p in out.iterdir()}
    for pkg in members:  # a wheel and an sdist per libs/* package
        assert f"{pkg.stem}-{pkg.version}-py3-none-any.whl" in built
        assert f"{pkg.stem}-{pkg.version}.tar.gz" in built
    assert "smoke ok:" in result.stderr  # stdout is kept for --release-tag outputs
    assert dist.check(out) == []


# ── the checks catch what they are for ──────────────────────────────────────────────────

README = "# demo-pkg\n\n```bash\npip install demo-pkg\n```\n\n```python\nimport demo\n```\n"
MIT = "MIT License\n\nCopyright (c) 2026 oneminai contributors\n"


def _package(tmp_path: Path, **project: Any) -> Any:
    path = tmp_path / "libs" / "demo"
    path.mkdir(parents=True)
    (path / "README.md").write_text(README)
    (path / "LICENSE").write_text(MIT)
    fields = {
        "name": "demo-pkg",
        "version": "1.0.0",
        "description": "Demo.",
        "requires-python": ">=3.10",
        "license": "MIT",
        "authors": [{"name": "oneminai contributors"}],
        "classifiers": ["Typing :: Typed"],
        "urls": {"1min.AI": "https://1min.ai"},
        "dependencies": ["requests>=2.31"],
    }
    return dist.Package(path, {**fields, **project})


def _wheel(tmp_path: Path, files: dict[str, str], metadata: str | None = None) -> Path:
    info = "demo_pkg-1.0.0.dist-info"
    meta = (
        metadata
        if metadata is not None
        else (
            "Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0.0\nSummary: Demo.\n"
            "Author: oneminai contributors\nLicense-Expression: MIT\nClassifier: Typing :: Typed\n"
            "Project-URL: 1min.AI, https://1min.ai\nRequires-Python: >=3.10\n"
            "Requires-Dist: requests>=2.31\nDescription-Content-Type: text/markdown\n\n" + README
        )
    )
    wheel = tmp_path / "demo_pkg-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{info}/METADATA", meta)
        for name, content in files.items():
            archive.writestr(name.replace("INFO", info), content)
    return wheel


GOOD = {"demo/__init__.py": "", "demo/py.typed": "", "INFO/licenses/LICENSE": MIT}


def test_a_good_wheel_passes(tmp_path: Path) -> None:
    assert dist.check_wheel(_package(tmp_path), _wheel(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"INFO/licenses/LICENSE": None}, "licenses/LICENSE"),
        ({"demo/py.typed": None}, "demo/ has no py.typed"),
        ({"demo/tests/test_x.py": ""}, "ships demo/tests/test_x.py"),
        ({"demo/__pycache__/x.cpython-311.pyc": ""}, "ships demo/__pycache__"),
        ({"INFO/entry_points.txt": "[pytest11]\nx = demo.plugin\n"}, "pytest11"),
    ],
)
def test_a_broken_wheel_is_reported(
    tmp_path: Path, change: dict[str, str | None], problem: str
) -> None:
    files = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problems = dist.check_wheel(_package(tmp_path), _wheel(tmp_path, files))
    assert any(problem in p for p in problems), problems


def test_wheel_metadata_must_match_the_project(tmp_path: Path) -> None:
    metadata = "Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0.0\nLicense: MIT\n\nother\n"
    problems = "\n".join(dist.check_wheel(_package(tmp_path), _wheel(tmp_path, GOOD, metadata)))
    for expected in (
        "License-Expression",
        "no Summary",
        "no Classifier",
        "no Project-URL",
        "not the Markdown README",
        "not README.md",
        "Requires-Dist",
    ):
        assert expected in problems


def test_sources_need_floors_licence_and_readme(tmp_path: Path) -> None:
    pkg = _package(tmp_path, dependencies=["requests", "oneminai-webapi"], classifiers=[])
    (pkg.path / "LICENSE").write_text("Apache License\n")
    (pkg.path / "README.md").write_text("# demo\n")
    sibling = dist.Package(tmp_path, {"name": "oneminai-webapi", "urls": pkg.project["urls"]})
    problems = "\n".join(dist.check_sources(pkg, [pkg, sibling]))
    for expected in (
        "without a version floor: 'requests'",
        "without a version floor: 'oneminai-webapi'",
        "MIT licence text",
        "no classifiers",
        "pip install",
    ):
        assert expected in problems
    pkg2 = _package(tmp_path / "other", dependencies=["oneminai-webapi==2.0.0"])
    assert "needs a floor" in "\n".join(dist.check_sources(pkg2, [pkg2, sibling]))


# ── LlamaHub's metadata of the llama-index-* packages ───────────────────────────────────


def test_the_llamaindex_packages_carry_llamahub_metadata() -> None:
    hub = {p.name: p.tool.get("llamahub") for p in dist.packages() if p.name.startswith("llama")}
    assert hub == {
        "llama-index-llms-oneminai": {
            "contains_example": False,
            "import_path": "llama_index.llms.oneminai",
            "class_authors": {"OneMinAI": "oneminai"},
        },
        "llama-index-tools-oneminai": {
            "contains_example": False,
            "import_path": "llama_index.tools.oneminai",
            "class_authors": {"OneMinAIToolSpec": "oneminai"},
        },
    }
    assert all(dist.check_llamahub(p) == [] for p in dist.packages())


def _llamahub_package(tmp_path: Path, llamahub: dict[str, Any]) -> Any:
    path = tmp_path / "llama-index-llms-demo"
    module = path / "src" / "llama_index" / "llms" / "demo"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text('from .base import Demo\n\n__all__ = ["Demo"]\n')
    project = {"name": "llama-index-llms-demo"}
    return dist.Package(path, project, {"llamahub": llamahub})


@pytest.mark.parametrize(
    ("llamahub", "problem"),
    [
        ({}, "import_path must be 'llama_index.llms.demo'"),
        ({"import_path": "llama_index.llms.other"}, "import_path must be"),
        ({"import_path": "llama_index.llms.demo"}, "[tool.llamahub.class_authors] names no class"),
        (
            {"import_path": "llama_index.llms.demo", "class_authors": {"Other": "me"}},
            "names Other, which llama_index.llms.demo does not export",
        ),
        (
            {"import_path": "llama_index.llms.demo", "class_authors": {"Demo": "not a handle"}},
            "is not a GitHub handle",
        ),
    ],
)
def test_wrong_llamahub_metadata_is_reported(
    tmp_path: Path, llamahub: dict[str, Any], problem: str
) -> None:
    problems = dist.check_llamahub(_llamahub_package(tmp_path, llamahub))
    assert any(problem in p for p in problems), problems
    good = {"import_path": "llama_index.llms.demo", "class_authors": {"Demo": "oneminai"}}
    assert dist.check_llamahub(_llamahub_package(tmp_path / "good", good)) == []
    assert dist.check_llamahub(_package(tmp_path / "other")) == []  # not a llama-index-* name
