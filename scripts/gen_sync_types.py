"""Generate the typed facades of the clients' methods for type checkers.

The public methods are written once (``_client/_methods.py``, ``_client/features/``) and
annotated for the async client (``Awaitable[X]``). This script derives the declarations
the sync client really has (``X``) into ``_client/_sync_types.py``, and those of
``client.with_raw_response`` (``Awaitable[RawResponse[X]]`` / ``RawResponse[X]``) into
``_client/_raw_types.py``, so that type checkers and IDEs show the right types.
The generated classes have no runtime content. Run: ``uv run python scripts/gen_sync_types.py``
(a test fails when a file is stale).
"""

from __future__ import annotations

import ast
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
#: What a raw streaming call's ``parse()`` returns on the async client.
ASYNC_RETURNS = {"generate_content_stream": "AsyncChatStream"}
#: Streams are iterators on the sync client, and sessions are sync sessions.
RETURNS = {
    "generate_content_stream": "SyncChatStream",
    "send_message_stream": "SyncChatStream",
    "start_chat": "SyncChatSession",
}


#: Async-only types in return annotations and their sync counterparts.
RENAMES = {"AsyncCompletionStream": "SyncCompletionStream"}


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
    inner = ASYNC_RETURNS.get(node.name) or ast.unparse(_Unwrap(sync=False).visit(node.returns))
    return ast.parse(f"Awaitable[RawResponse[{inner}]]", mode="eval").body


def _methods(
    tree: ast.Module,
    cls_name: str,
    *,
    properties: bool = False,
    returns: Callable[[ast.FunctionDef], ast.expr] = _sync_return,
    skip: Collection[str] = (),
) -> list[str]:
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
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
            returns=returns(node),
            type_comment=None,
            type_params=[],
            lineno=0,
        )
        out.append(ast.unparse(ast.fix_missing_locations(fn)))
    return out


def render() -> str:
    imports: list[str] = []
    defs: list[str] = []
    aliases: list[str] = []
    for filename, cls in SOURCES.items():
        tree = ast.parse((PKG / filename).read_text())
        imports += [i for i in _imports(tree, str(Path(filename).parent).strip('.')) if i not in imports]
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
        'checkers only: at runtime the class is empty and the methods come from ClientMethods.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n" + head + "\n\n\n"
        "class SyncMethods:\n"
        '    """Typed facade of the sync client\'s public methods."""\n\n'
        "    if TYPE_CHECKING:\n" + body + "\n\n\n"
        "class SyncChatSession:\n"
        '    """What ``SyncOneMinAIClient.start_chat`` returns, for type checkers: a\n'
        "    :class:`ChatSession` whose methods return values instead of awaitables (at runtime\n"
        '    it is a ChatSession)."""\n\n'
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
        imports += [i for i in _imports(tree, str(Path(filename).parent).strip('.')) if i not in imports]
        aliases += [
            ast.unparse(n)
            for n in tree.body
            if isinstance(n, ast.AnnAssign) and ast.unparse(n.annotation) == "TypeAlias"
        ]
        for sync, defs in ((False, async_defs), (True, sync_defs)):
            defs += _methods(
                tree, cls, returns=lambda n, s=sync: _raw_return(n, sync=s), skip=NO_RAW
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


def main() -> int:
    outputs = {TARGET: render(), RAW_TARGET: render_raw()}
    if "--check" in sys.argv:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
