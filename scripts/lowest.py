"""Run each package's tests against the lowest versions its dependency floors allow.

``make test-lowest`` (run by ``.ci/run`` after ``make test``), for every ``libs/*`` package:

1. ``uv pip compile --resolution lowest-direct`` of the package (with the workspace packages
   it depends on) gives the floor version of each dependency they declare
   (``aiohttp>=3.10.2`` → 3.10.2 …).
2. An environment of its own, ``.venv-lowest/<folder>``, gets the packages (editable),
   exactly those floor versions (as constraints), and the test tools resolved around them
   (at most the dev environment's versions).
3. The package's tests (:data:`TESTS_FOR`, else ``tests/<folder>``) run there. A floor that
   is not true fails: the code uses something the floor version does not have.

One environment per package, so that a package's floors are not lifted by another package's
dependencies. The first run downloads from PyPI; later runs reuse uv's cache and the
environments.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / ".venv-lowest"
#: Test tools: the newest version that fits the floors, at most the dev environment's.
TOOLS = ("pytest", "pytest-asyncio", "pytest-timeout", "pytest-xdist", "hypothesis", "vcrpy")
#: What a package's tests import besides the workspace (capped at the dev versions too).
TEST_EXTRAS = {"langchain": ("langchain", "langchain-tests")}
#: Workspace packages a package's tests also use (installed editable, their dependencies at
#: their floors too): the LLM's tests run agents with the 1min.AI tool spec.
TEST_PACKAGES = {"llama-index-llms-oneminai": ("llama-index-tools-oneminai",)}
#: Tests per ``libs/<folder>`` when not ``tests/<folder>``: for the core, the client tests
#: exercise aiohttp, requests and pydantic at their floors (the whole core suite would
#: double the time of this step).
#: The gateway's and the MCP server's other tests drive them with third-party clients (the
#: openai SDK, LangChain, LlamaIndex), which are not their dependencies.
TESTS_FOR = {
    "core": ("tests/core/client",),
    "gateway": ("tests/gateway/test_raw_http.py",),
    "mcp": (
        "tests/mcp/test_mcp_server.py",
        "tests/mcp/test_mcp_cli.py",
        "tests/mcp/test_transports.py",
    ),
    # The two LlamaIndex distributions share tests/llamaindex: the tool spec's own tests run
    # with the tool package alone; the LLM's run all of them (with the tool package).
    "llama-index-llms-oneminai": ("tests/llamaindex",),
    "llama-index-tools-oneminai": (
        "tests/llamaindex/test_tool_spec.py",
        "tests/llamaindex/test_tool_spec_shared.py",
    ),
}


def uv() -> list[str]:
    """The uv command (``uv run`` exports ``UV``)."""
    exe = os.environ.get("UV") or shutil.which("uv")
    return [exe] if exe else [sys.executable, "-m", "uv"]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0]).lower()


def projects() -> dict[str, tuple[Path, dict]]:  # type: ignore[type-arg]
    """Workspace packages by normalised name: (folder, ``[project]`` table)."""
    found = {}
    for pyproject in sorted(ROOT.glob("libs/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        found[_name(project["name"])] = (pyproject.parent, project)
    return found


def closure(name: str, all_projects: dict) -> list[str]:  # type: ignore[type-arg]
    """``name`` and the workspace packages it depends on, transitively."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        deps = all_projects[current][1].get("dependencies", [])
        todo += [_name(r) for r in deps if _name(r) in all_projects]
    return seen


def floors(names: list[str], all_projects: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """The version ``lowest-direct`` resolution picks for each declared dependency."""
    declared = {
        _name(r)
        for n in names
        for r in all_projects[n][1].get("dependencies", [])
        if _name(r) not in all_projects
    }
    compiled = subprocess.run(
        [*uv(), "pip", "compile", "--quiet", "--resolution", "lowest-direct",
         "--python", sys.executable, "--no-header", "--no-annotate", "-"],
        input="".join(f"-e {all_projects[n][0]}\n" for n in names),
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    pins = dict(line.split("==", 1) for line in compiled.splitlines() if "==" in line)
    return {_name(n): v for n, v in pins.items() if _name(n) in declared}


def installed(python: Path, names: list[str]) -> dict[str, str]:
    script = "import importlib.metadata as md, sys\nfor n in sys.argv[1:]: print(n, md.version(n))"
    out = subprocess.run(
        [str(python), "-c", script, *names], capture_output=True, text=True, check=True
    ).stdout
    return {_name(n): v for n, v in (line.split() for line in out.splitlines())}


def tests_for(folder: Path) -> list[str]:
    """The test paths run for the package in ``folder`` (those that exist)."""
    return [p for p in TESTS_FOR.get(folder.name, (f"tests/{folder.name}",)) if (ROOT / p).exists()]


def members_for(name: str, all_projects: dict) -> list[str]:  # type: ignore[type-arg]
    """The workspace packages installed for ``name``'s tests: its closure and test packages."""
    members = closure(name, all_projects)
    for extra in TEST_PACKAGES.get(all_projects[name][0].name, ()):
        members += [m for m in closure(extra, all_projects) if m not in members]
    return members


def run_package(name: str, all_projects: dict, pytest_args: list[str]) -> int:  # type: ignore[type-arg]
    folder = all_projects[name][0]
    tests = tests_for(folder)
    if not tests:
        print(f"test-lowest: {name}: no tests")
        return 0
    members = members_for(name, all_projects)
    venv = VENVS / folder.name
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run(
            [*uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True
        )
    pins = floors(members, all_projects)
    (venv / "floors.txt").write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())))
    tools = (*TOOLS, *TEST_EXTRAS.get(folder.name, ()))
    requirements = [
        *(f"-e {all_projects[m][0]}" for m in members),
        *(f"{tool}<={md.version(tool)}" for tool in tools),
    ]
    (venv / "requirements.txt").write_text("\n".join(requirements) + "\n")
    subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--python", str(python),
         "-r", str(venv / "requirements.txt"), "--constraint", str(venv / "floors.txt")],
        check=True, cwd=ROOT,
    )  # fmt: skip
    have = installed(python, sorted(pins))
    print(f"test-lowest: {name}: " + ", ".join(f"{n} {v}" for n, v in sorted(have.items())))
    wrong = {n: (have.get(n), v) for n, v in pins.items() if have.get(n) != v}
    if wrong:
        print(f"test-lowest: {name}: not at the floor: {wrong}", file=sys.stderr)
        return 1
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(
        [str(python), "-m", "pytest", "-q", "-n", "2", *tests, *pytest_args],
        cwd=ROOT, env=env, check=False,
    ).returncode  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    parser.add_argument("--package", action="append", help="only these packages (names)")
    args = parser.parse_args(argv)
    all_projects = projects()
    results = {}
    for name in args.package or list(all_projects):
        started = time.monotonic()
        code = run_package(_name(name), all_projects, args.pytest_args)
        results[name] = (code, time.monotonic() - started)
    for name, (code, seconds) in results.items():
        print(
            f"test-lowest: {name}: {'ok' if code == 0 else f'FAILED ({code})'} in {seconds:.0f} s"
        )
    return 0 if all(code == 0 for code, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
