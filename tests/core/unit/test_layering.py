"""The import rules of ARCHITECTURE.md ("Invariants"), checked on the source tree.

Each module's imports are read with :mod:`ast` (no import runs), including imports inside
functions, which are real dependencies at run time; imports under ``if TYPE_CHECKING:`` are
left out, since they only name types. A rule names, for one part of ``oneminai_webapi``, the
other parts it may import; a broken rule lists every offending ``file: import``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORE = ROOT / "libs" / "core" / "src"
PACKAGE = "oneminai_webapi"

#: Part of the core → the other parts it may import (a part is a top-level module or package).
#: Parts not listed here are the top of the stack (the root ``__init__``, ``_cli``,
#: ``integrations``, ``__main__``) and may import anything in the package.
ALLOWED: dict[str, set[str]] = {
    "exceptions": set(),
    "constants": set(),
    "_logging": set(),
    "_credits": set(),
    "_config": {"exceptions"},
    "_registry": {"constants", "exceptions"},
    "tool_calling": set(),
    "types": {"constants", "exceptions", "_credits"},
    "completions": {"constants", "exceptions", "tool_calling", "types"},
    "_protocol": {
        "_credits",
        "constants",
        "exceptions",
        "_config",
        "_logging",
        "_registry",
        "tool_calling",
        "types",
        "completions",
    },
    "_transport": {"_protocol", "_config", "exceptions", "_logging"},
    "_client": {
        "_credits",
        "constants",
        "exceptions",
        "_config",
        "_logging",
        "_registry",
        "tool_calling",
        "types",
        "completions",
        "_protocol",
        "_transport",
        "integrations",
    },
    # the emulator reads requests as the service does: it shares data, never protocol code
    "testing": {"_registry", "_config", "constants"},
}

#: The one import that goes up, and why: the registry's method table is built from the
#: feature methods' signatures (their declarations are the single source), read on first use.
#: The declarations themselves import only ``constants`` when loaded (checked below).
UPWARD: dict[str, set[str]] = {"_registry": {"oneminai_webapi._client.features"}}

#: Third-party libraries a part must not import (I/O, or the frameworks above the core).
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "_protocol": {"aiohttp", "requests", "urllib3"},
    "_registry": {"aiohttp", "requests"},
    "tool_calling": {"aiohttp", "requests", "pydantic", "langchain_core", "llama_index"},
    "types": {"aiohttp", "requests"},
    "completions": {"aiohttp", "requests"},
}
FRAMEWORKS = {
    "langchain",
    "langchain_core",
    "llama_index",
    "mcp",
    "oneminai_gateway",
    "oneminai_mcp",
}

#: The packages above the core: they use only its public modules.
ADAPTERS = {
    "langchain": ROOT / "libs" / "langchain" / "src",
    "gateway": ROOT / "libs" / "gateway" / "src",
    "mcp": ROOT / "libs" / "mcp" / "src",
}
ADAPTERS.update(
    {path.name: path / "src" for path in (ROOT / "libs").glob("llama*") if (path / "src").is_dir()}
)


@dataclass(frozen=True)
class Import:
    """One import statement: where it is, and the dotted module it imports."""

    file: Path
    line: int
    target: str
    #: At module level (run when the module loads), not inside a function.
    on_load: bool = True

    def __str__(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}: {self.target}"


def _runtime_nodes(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement except those under ``if TYPE_CHECKING:``, with whether it
    runs when the module loads (outside any function)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, on_load = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            on_load = False
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend((c, on_load) for c in child.orelse)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, on_load
            stack.append((child, on_load))


def imports_of(src: Path, file: Path) -> Iterator[Import]:
    """The absolute module names ``file`` (below ``src``) imports at run time."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    package = parts[:-1]
    for node, on_load in _runtime_nodes(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(file, node.lineno, alias.name, on_load)
            continue
        if not node.level:
            yield Import(file, node.lineno, node.module or "", on_load)
            continue
        base = package[: len(package) - (node.level - 1)]
        if node.module:
            yield Import(file, node.lineno, ".".join([*base, node.module]), on_load)
        else:  # ``from . import x``: x may be a module
            for alias in node.names:
                yield Import(file, node.lineno, ".".join([*base, alias.name]), on_load)


def part_of(module: str) -> str | None:
    """The top-level part of ``oneminai_webapi`` a dotted module name belongs to."""
    pieces = module.split(".")
    if pieces[0] != PACKAGE:
        return None
    return pieces[1] if len(pieces) > 1 else "__init__"


def core_files() -> list[Path]:
    return sorted((CORE / PACKAGE).rglob("*.py"))


def test_the_tree_is_where_the_rules_expect_it() -> None:
    # a rule about a part that no longer exists would pass silently
    parts = {part_of(".".join(f.relative_to(CORE).with_suffix("").parts)) for f in core_files()}
    assert set(ALLOWED) <= parts, set(ALLOWED) - parts
    assert len(core_files()) > 50


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below(part: str) -> None:
    broken = []
    for file in core_files():
        own = part_of(".".join(file.relative_to(CORE).with_suffix("").parts))
        if own != part:
            continue
        for imp in imports_of(CORE, file):
            top = imp.target.split(".")[0]
            other = part_of(imp.target)
            if other is not None:
                if imp.target in UPWARD.get(part, set()):
                    continue
                if other != part and other not in ALLOWED[part] and other not in _ROOT_NAMES:
                    broken.append(str(imp))
            elif top in FORBIDDEN_LIBRARIES.get(part, set()) | FRAMEWORKS:
                broken.append(str(imp))
    assert not broken, f"{part} may import only {sorted(ALLOWED[part])}:\n" + "\n".join(broken)


#: ``from oneminai_webapi import __version__`` and the like name the root, not a layer above.
_ROOT_NAMES = {"__version__"}


def test_the_feature_declarations_load_only_constants() -> None:
    # what makes the registry's one upward import safe: loading the declarations loads
    # nothing of the client, the protocol or the registry (calls import them when made)
    features = CORE / PACKAGE / "_client" / "features"
    files = sorted(features.glob("*.py"))
    assert len(files) >= 5
    loaded = {
        str(imp)
        for file in files
        for imp in imports_of(CORE, file)
        if imp.on_load
        and imp.target.startswith(PACKAGE)
        and not imp.target.startswith(f"{PACKAGE}._client.features")
        and imp.target != f"{PACKAGE}.constants"
    }
    assert not loaded, "\n".join(sorted(loaded))


@pytest.mark.parametrize("package", sorted(ADAPTERS))
def test_packages_above_the_core_use_only_its_public_modules(package: str) -> None:
    src = ADAPTERS[package]
    files = sorted(src.rglob("*.py"))
    assert files, f"no sources under {src}"
    broken = [
        str(imp)
        for file in files
        for imp in imports_of(src, file)
        if imp.target.startswith(f"{PACKAGE}.")
        and any(piece.startswith("_") for piece in imp.target.split(".")[1:])
    ]
    # nothing above the core speaks HTTP to 1min.AI itself (the gateway serves with aiohttp,
    # but never opens a client session: checked on the text, since a session is a call)
    clients = [
        f"{file.relative_to(ROOT)}"
        for file in files
        if "ClientSession(" in file.read_text(encoding="utf-8")
        or "requests.Session(" in file.read_text(encoding="utf-8")
    ]
    assert not broken, "private core modules imported:\n" + "\n".join(broken)
    assert not clients, f"HTTP clients opened outside the core: {clients}"


def test_a_broken_rule_is_caught(tmp_path: Path) -> None:
    # the checker itself: a protocol module importing the client is reported
    pkg = tmp_path / PACKAGE / "_protocol"
    pkg.mkdir(parents=True)
    bad = pkg / "_bad.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .._client import X\n"
        "def f():\n    from .._client._async import OneMinAIClient\n"
        "from . import _http\n",
        encoding="utf-8",
    )
    found = sorted((imp.target, imp.on_load) for imp in imports_of(tmp_path, bad))
    assert found == [
        ("oneminai_webapi._client._async", False),
        ("oneminai_webapi._protocol._http", True),
        ("typing", True),
    ]
    assert part_of("oneminai_webapi._client._async") == "_client"


def test_the_core_imports_no_framework() -> None:
    found = [
        str(imp)
        for file in core_files()
        for imp in imports_of(CORE, file)
        if imp.target.split(".")[0] in FRAMEWORKS
    ]
    assert not found, "\n".join(found)


def test_architecture_names_only_files_that_exist() -> None:
    # ARCHITECTURE.md names files by path; a rename that forgets the map fails here
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = {
        token
        for token in re.findall(r"`([\w./-]+)`", text)
        if token.endswith((".py", "/")) and not token.startswith(".")
    }
    assert len(named) > 40
    tracked = [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*") if _in_tree(path)]
    missing = sorted(
        token
        for token in named
        if not any(
            f"/{path}/".endswith(f"/{token.rstrip('/')}/") or f"/{path}".endswith(f"/{token}")
            for path in tracked
        )
    )
    assert not missing, missing


def _in_tree(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return not any(p.startswith(".") or p in {"__pycache__", "site", "dist"} for p in parts)
