"""Streaming samples end their output line.

A loop that prints pieces with ``print(..., end="")`` leaves the cursor after the last
piece; whatever is printed next (or the shell prompt) would continue that line. Every such
loop in the READMEs, the docs and the examples must be followed, on the normal path, by
``print()`` (or a print that starts with a newline).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def _sources() -> list[tuple[str, str]]:
    """``(where, code)`` for every Python snippet of the READMEs and docs, and every example."""
    pages = [ROOT / "README.md", *ROOT.glob("libs/*/README.md"), *ROOT.glob("examples/*.md")]
    pages += sorted((ROOT / "docs").rglob("*.md"))
    found: list[tuple[str, str]] = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group("lang").lower() in ("python", "py"):
                lines = match.group("body").splitlines()
                code = "\n".join(line.removeprefix(match.group("indent")) for line in lines)
                line = text.count("\n", 0, match.start()) + 2
                found.append((f"{page.relative_to(ROOT)}:{line}", code))
    for script in sorted((ROOT / "examples").glob("*.py")):
        found.append((str(script.relative_to(ROOT)), script.read_text(encoding="utf-8")))
    return found


def _is_print(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    )


def _keeps_line_open(call: ast.Call) -> bool:
    """``print(x, end="")`` (any ``end`` without a newline)."""
    for keyword in call.keywords:
        if keyword.arg == "end":
            value = keyword.value
            return isinstance(value, ast.Constant) and "\n" not in str(value.value)
    return False


def _ends_line(call: ast.Call) -> bool:
    """``print()``, or a print whose text starts with a newline."""
    if _keeps_line_open(call):
        return False
    if not call.args:
        return True
    first = call.args[0]
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("\n")


def _loop_prints(loop: ast.For | ast.AsyncFor) -> bool:
    """The loop prints pieces on one line, and does not end that line itself.

    A loop that also prints a line-ending print (``print(f"\\n{chunk.record_id}")`` on the
    final chunk of a stream) ends its own line.
    """
    calls = [n for n in ast.walk(loop) if _is_print(n)]
    return any(_keeps_line_open(c) for c in calls) and not any(_ends_line(c) for c in calls)  # type: ignore[arg-type]


def _first_print(statement: ast.stmt) -> ast.Call | None:
    calls = [n for n in ast.walk(statement) if _is_print(n)]
    return min(calls, key=lambda c: (c.lineno, c.col_offset), default=None)  # type: ignore[arg-type,return-value]


def _next_print(loop: ast.stmt, parents: dict[ast.AST, ast.AST]) -> ast.Call | None:
    """The first print on the normal path after ``loop`` (climbing out of with/try/if)."""
    node: ast.AST = loop
    while True:
        parent = parents.get(node)
        if parent is None:
            return None
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and node in block:
                for statement in block[block.index(node) + 1 :]:
                    call = _first_print(statement)
                    if call is not None:
                        return call
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            return None  # the function or the snippet ends with the line still open
        node = parent


def unterminated_loops(code: str) -> list[int]:
    """Line numbers of loops that print with ``end=""`` and never end the line."""
    tree = ast.parse(code)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    bad = []
    for loop in ast.walk(tree):
        if isinstance(loop, (ast.For, ast.AsyncFor)) and _loop_prints(loop):
            call = _next_print(loop, parents)
            if call is None or not _ends_line(call):
                bad.append(loop.lineno)
    return bad


SOURCES = _sources()


@pytest.mark.parametrize(("where", "code"), SOURCES, ids=[where for where, _ in SOURCES])
def test_streamed_output_ends_its_line(where: str, code: str) -> None:
    try:
        bad = unterminated_loops(code)
    except SyntaxError:
        pytest.skip("not plain Python (the docs test checks that snippets compile)")
    assert bad == [], f"{where}: the loop at snippet line(s) {bad} needs a print() after it"


def test_the_check_finds_an_open_line() -> None:
    open_line = 'for c in s:\n    print(c, end="")\nprint("done")\n'
    assert unterminated_loops(open_line) == [1]
    assert unterminated_loops('async def f():\n    async for c in s:\n        print(c, end="")\n')
    assert unterminated_loops('with s:\n    for c in s:\n        print(c, end="")\nprint()\n') == []
    assert unterminated_loops('for c in s:\n    print(c, end="")\nprint(f"\\nok {c}")\n') == []
    assert len(SOURCES) > 50
