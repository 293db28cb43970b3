"""``make test-lowest`` (``scripts/lowest.py``): every workspace package has tests to run at its
floors, and each environment holds what those tests import.

Running the environments needs PyPI (``.ci/run`` does it); these checks read the mapping only.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .test_dist import ROOT


def _load_lowest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lowest_script", ROOT / "scripts" / "lowest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


lowest = _load_lowest()
#: The import package each workspace distribution provides.
PROVIDES = {
    "oneminai-webapi": "oneminai_webapi",
    "langchain-oneminai": "langchain_oneminai",
    "llama-index-llms-oneminai": "llama_index.llms.oneminai",
    "llama-index-tools-oneminai": "llama_index.tools.oneminai",
    "oneminai-mcp": "oneminai_mcp",
    "oneminai-gateway": "oneminai_gateway",
}


def _test_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for path in map(ROOT.joinpath, paths):
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _imports(file: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_every_package_has_existing_tests_to_run_at_its_floors() -> None:
    projects = lowest.projects()
    assert set(projects) == set(PROVIDES)  # a new package: add it here and check its tests
    for name, (folder, _) in projects.items():
        configured = lowest.TESTS_FOR.get(folder.name, (f"tests/{folder.name}",))
        assert lowest.tests_for(folder) == list(configured), f"{name}: a test path is missing"
        assert any(f.name.startswith("test_") for f in _test_files(list(configured))), name


def test_each_environment_has_every_workspace_package_its_tests_import() -> None:
    projects = lowest.projects()
    for name, (folder, _) in projects.items():
        members = lowest.members_for(name, projects)
        for file in _test_files(lowest.tests_for(folder)):
            for imported in _imports(file):
                for dist, package in PROVIDES.items():
                    if imported == package or imported.startswith(package + "."):
                        assert dist in members, (
                            f"{name}: {file.relative_to(ROOT)} imports {imported}"
                        )


def test_the_llamaindex_distributions_are_tested_apart_and_together() -> None:
    projects = lowest.projects()
    tools = lowest.members_for("llama-index-tools-oneminai", projects)
    llms = lowest.members_for("llama-index-llms-oneminai", projects)
    assert "llama-index-llms-oneminai" not in tools  # the tool spec alone
    assert {"llama-index-tools-oneminai", "oneminai-webapi"} <= set(llms)
    tool_tests = lowest.tests_for(projects["llama-index-tools-oneminai"][0])
    assert tool_tests and all("tool_spec" in path for path in tool_tests)
