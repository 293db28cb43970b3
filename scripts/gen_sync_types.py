"""Generate the typed facades of the clients' methods for type checkers.

The public methods are written once (``_client/_methods.py``, ``_client/features/``) and
annotated for the async client (``Awaitable[X]``). This script derives the declarations
the sync client really has (``X``) into ``_client/_sync_types.py``, and those of
``client.with_raw_response`` (``Awaitable[RawResponse[X]]`` / ``RawResponse[X]``) into
``_client/_raw_types.py``, so that type checkers and IDEs show the right types.
The generated classes have no runtime content; ``SYNC_RETURNS`` (method → sync return
annotation) is the one runtime table, which ``_sync.py`` uses so that ``help()`` on a sync
method shows the sync return type. The async client needs no facade: its methods are
annotated for it, with overloads where ``stream=True`` changes the return type. The output
imports only what it uses and is sorted and formatted by ruff (``make lint`` checks it like
any module). Run: ``uv run python scripts/gen_sync_types.py`` (a test fails when a file is
stale).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Collection
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "libs/core/src/oneminai_webapi/_client"
SOURCES = {
    "_methods.py": "ClientMethods",
    "features/__init__.py": "FeatureMethods",
    "features/images.py": "ImageMethods",
    "features/audio.py": "AudioMethods",
    "features/video.py": "VideoMethods",
    "features/text.py": "TextMethods",
    "_completion_methods.py": "CompletionMethods",
}
#: The session's facade is generated from ``ChatSession`` in the same way.
SESSION = ("_session.py", "ChatSession")
TARGET = PKG / "_sync_types.py"
RAW_TARGET = PKG / "_raw_types.py"
#: Not in the typed ``with_raw_response`` facade: methods that send no request themselves,
#: ``complete`` (one call may send several requests: there is no single raw response), and
#: ``save`` (a download written to a file, not an API answer).
NO_RAW = {"start_chat", "complete", "save"}
#: Sessions are sync sessions on the sync client.
RETURNS = {"start_chat": "SyncChatSession"}


#: Async-only types in return annotations and their sync counterparts.
RENAMES = {"AsyncCompletionStream": "SyncCompletionStream", "AsyncChatStream": "SyncChatStream"}


class _Unwrap(ast.NodeTransformer):
    """``Awaitable[X]`` → ``X``; with ``sync``, async-only types → their sync counterparts."""

    def __init__(self, *, sync: bool = True) -> None:
        self.sync = sync

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(RENAMES.get(node.id, node.id) if self.sync else node.id, node.ctx)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Awaitable":
            return self.visit(node.slice)
        return self.generic_visit(node)


def _rebase(node: ast.stmt, package: str) -> str:
    """An import of a module in ``_client/<package>/`` as written in ``_client/``."""
    if package and isinstance(node, ast.ImportFrom) and node.level:
        node = ast.ImportFrom(node.module, node.names, node.level)
        if node.level == 1:
            node.module = f"{package}.{node.module}" if node.module else package
        else:
            node.level -= 1
    return ast.unparse(node)


def _imports(tree: ast.Module, package: str = "") -> list[str]:
    lines: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (
            isinstance(node, ast.ImportFrom) and node.module == "__future__"
        ):
            lines.append(_rebase(node, package))
        elif isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            lines.extend(
                _rebase(n, package)
                for n in node.body
                if isinstance(n, (ast.Import, ast.ImportFrom))
            )
    return lines


def _sync_return(node: ast.FunctionDef) -> ast.expr:
    if node.name in RETURNS:
        return ast.parse(RETURNS[node.name], mode="eval").body
    return _Unwrap().visit(node.returns)


def _raw_return(node: ast.FunctionDef, *, sync: bool) -> ast.expr:
    if sync:
        inner = ast.unparse(_sync_return(node))
        return ast.parse(f"RawResponse[{inner}]", mode="eval").body
    inner = ast.unparse(_Unwrap(sync=False).visit(node.returns))
    return ast.parse(f"Awaitable[RawResponse[{inner}]]", mode="eval").body


def _methods(
    tree: ast.Module,
    cls_name: str,
    *,
    properties: bool = False,
    returns: Callable[[ast.FunctionDef], ast.expr] = _sync_return,
    skip: Collection[str] = (),
    any_implementation: bool = False,
) -> list[str]:
    """The public methods of ``cls_name`` as bodiless declarations with ``returns``.

    With ``any_implementation``, the implementation of an overloaded method returns ``Any``
    (a raw response of a union cannot stand for the raw responses of each overload).
    """
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
    overloaded = {
        n.name
        for n in cls.body
        if isinstance(n, ast.FunctionDef)
        and any(ast.unparse(d) == "overload" for d in n.decorator_list)
    }
    out: list[str] = []
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        is_property = any(ast.unparse(d) == "property" for d in node.decorator_list)
        if (is_property and not properties) or node.name in skip:
            continue
        is_overload = any(ast.unparse(d) == "overload" for d in node.decorator_list)
        decorators = [ast.Name("property")] if is_property else []
        decorators += [ast.Name("overload")] if is_overload else []
        fn = ast.FunctionDef(
            name=node.name,
            args=node.args,
            body=[ast.Expr(ast.Constant(...))],
            decorator_list=decorators,
            returns=(
                ast.Name("Any")
                if any_implementation and node.name in overloaded and not is_overload
                else returns(node)
            ),
            type_comment=None,
            type_params=[],
            lineno=0,
        )
        out.append(ast.unparse(ast.fix_missing_locations(fn)))
    return out


def _sync_returns(tree: ast.Module, cls_name: str) -> dict[str, str]:
    """Method name → its sync return annotation (of the implementation when overloaded)."""
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
    returns: dict[str, str] = {}
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        decorators = {ast.unparse(d) for d in node.decorator_list}
        if "property" in decorators or "overload" in decorators:
            continue
        returns[node.name] = ast.unparse(_sync_return(node))
    return returns


def render() -> str:
    imports: list[str] = []
    defs: list[str] = []
    aliases: list[str] = []
    sync_returns: dict[str, str] = {}
    for filename, cls in SOURCES.items():
        tree = ast.parse((PKG / filename).read_text())
        sync_returns.update(_sync_returns(tree, cls))
        imports += [
            i for i in _imports(tree, str(Path(filename).parent).strip(".")) if i not in imports
        ]
        defs += _methods(tree, cls)
        aliases += [
            ast.unparse(n)
            for n in tree.body
            if isinstance(n, ast.AnnAssign) and ast.unparse(n.annotation) == "TypeAlias"
        ]
    session_tree = ast.parse((PKG / SESSION[0]).read_text())
    imports += [i for i in _imports(session_tree) if i not in imports]
    session_defs = _methods(session_tree, SESSION[1], properties=True)
    imports = [i for i in imports if "import FeatureMethods" not in i and "Methods\n" not in i]
    imports.append("from ._sync import SyncChatStream")
    imports.append("from ._complete import SyncCompletionStream")
    imports.append("from typing import TypeAlias")
    head = "\n".join("    " + line for stmt in imports + aliases for line in stmt.splitlines())
    body = "\n".join("        " + line for d in defs for line in d.splitlines())
    session_body = "\n".join("        " + line for d in session_defs for line in d.splitlines())
    return (
        '"""GENERATED by scripts/gen_sync_types.py — do not edit.\n\n'
        "Signatures of the sync client's methods (the async ones without ``Awaitable``), for type\n"
        "checkers: at runtime the classes are empty and the methods come from ClientMethods;\n"
        '``SYNC_RETURNS`` is what ``help()`` shows on the sync client (see ``_sync.py``).\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n" + head + "\n\n\n"
        "#: Method name → the return annotation the sync client shows at run time\n"
        "#: (``help()``, ``inspect.signature``): the async annotation without ``Awaitable``.\n"
        "SYNC_RETURNS = {\n"
        + "".join(f'    "{name}": "{returns}",\n' for name, returns in sorted(sync_returns.items()))
        + "}\n\n\n"
        "class SyncMethods:\n"
        '    """Typed facade of the sync client\'s public methods."""\n\n'
        "    if TYPE_CHECKING:\n" + body + "\n\n\n"
        "class SyncChatSession:\n"
        '    """What ``SyncOneMinAIClient.start_chat`` returns, for type checkers.\n\n'
        "    A :class:`ChatSession` whose methods return values instead of awaitables (at runtime\n"
        '    it is a ChatSession).\n    """\n\n'
        "    if TYPE_CHECKING:\n" + session_body + "\n"
    )


def _indent(lines: list[str], prefix: str) -> str:
    return "\n".join(prefix + line for block in lines for line in block.splitlines())


def render_raw() -> str:
    imports: list[str] = []
    aliases: list[str] = []
    async_defs: list[str] = []
    sync_defs: list[str] = []
    for filename, cls in SOURCES.items():
        tree = ast.parse((PKG / filename).read_text())
        imports += [
            i for i in _imports(tree, str(Path(filename).parent).strip(".")) if i not in imports
        ]
        aliases += [
            ast.unparse(n)
            for n in tree.body
            if isinstance(n, ast.AnnAssign) and ast.unparse(n.annotation) == "TypeAlias"
        ]
        for sync, defs in ((False, async_defs), (True, sync_defs)):
            defs += _methods(
                tree,
                cls,
                returns=lambda n, s=sync: _raw_return(n, sync=s),
                skip=NO_RAW,
                any_implementation=True,
            )
    imports = [i for i in imports if "import FeatureMethods" not in i and "Methods\n" not in i]
    imports += [
        "from typing import TypeAlias",
        "from ._async import AsyncChatStream",
        "from ._raw import RawResponse",
        "from ._sync import SyncChatStream",
    ]
    return (
        '"""GENERATED by scripts/gen_sync_types.py — do not edit.\n\n'
        "Signatures of ``client.with_raw_response.<method>`` (each client method returning a\n"
        "``RawResponse`` of its result), for type checkers only: at runtime the classes are empty\n"
        'and the calls are made by ``_raw.AsyncRawResponses`` / ``_raw.SyncRawResponses``.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n" + _indent(imports + aliases, "    ") + "\n\n\n"
        "class AsyncRawMethods:\n"
        '    """Typed facade of ``OneMinAIClient.with_raw_response``."""\n\n'
        "    if TYPE_CHECKING:\n" + _indent(async_defs, "        ") + "\n\n\n"
        "class SyncRawMethods:\n"
        '    """Typed facade of ``SyncOneMinAIClient.with_raw_response``."""\n\n'
        "    if TYPE_CHECKING:\n" + _indent(sync_defs, "        ") + "\n"
    )


def _names(node: ast.AST, *, strings: bool = False) -> set[str]:
    """The names ``node`` uses (with ``strings``, also inside string annotations)."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif strings and isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found |= _names(ast.parse(sub.value, mode="eval"))
    return found


def _bound(alias: ast.alias) -> str:
    return (alias.asname or alias.name).split(".")[0]


def _tidy_imports(text: str) -> str:
    """Keep only the imports and aliases of the ``TYPE_CHECKING`` block the module uses."""
    tree = ast.parse(text)
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    used: set[str] = set()
    for node in tree.body:
        if node is not block:
            used |= _names(node)
    used.discard("TYPE_CHECKING")  # imported once, outside the block
    aliases = {
        n.target.id: n
        for n in block.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    }
    pending = [name for name in aliases if name in used]
    while pending:  # an alias may name other aliases
        for name in _names(aliases[pending.pop()], strings=True) & set(aliases):
            if name not in used:
                used.add(name)
                pending.append(name)
        used |= set().union(*(_names(aliases[a], strings=True) for a in aliases if a in used))
    statements: dict[tuple[str, int], list[ast.alias]] = {}
    plain: list[ast.alias] = []
    seen: set[str] = set()
    for node in block.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if _bound(alias) in used and _bound(alias) not in seen:
                    seen.add(_bound(alias))
                    statements.setdefault((node.module or "", node.level), []).append(alias)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _bound(alias) in used and _bound(alias) not in seen:
                    seen.add(_bound(alias))
                    plain.append(alias)
    lines = [ast.unparse(ast.Import([a])) for a in plain]
    lines += [
        ast.unparse(ast.ImportFrom(module or None, names, level))
        for (module, level), names in statements.items()
    ]
    lines += [ast.unparse(node) for name, node in aliases.items() if name in used]
    source = text.splitlines()
    body = ["    " + line for line in lines]
    kept = source[: block.lineno] + body + source[block.end_lineno or block.lineno :]
    return "\n".join(kept) + "\n"


def _ruff(text: str, path: Path) -> str:
    """``text`` with its imports sorted and formatted by ruff (as ``make lint`` checks)."""
    for command in (["check", "--fix", "--select", "I", "--quiet"], ["format", "--quiet"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--stdin-filename", str(path), "-"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=PKG.parents[4],
        )
        text = result.stdout
    return text


def main() -> int:
    outputs = {
        path: _ruff(_tidy_imports(text), path)
        for path, text in ((TARGET, render()), (RAW_TARGET, render_raw()))
    }
    if "--check" in sys.argv:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
