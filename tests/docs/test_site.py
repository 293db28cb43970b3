"""The docs site builds offline in strict mode, its snippets compile, every page is in the nav.

The build runs ``mkdocs build --strict`` in a subprocess (the same command as ``make docs``),
so a broken link, a page missing from the nav or a docstring that mkdocstrings cannot parse
fails this suite.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"

#: ```python (or ```py) fences, possibly indented (inside lists or admonitions).
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def _markdown_files() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _python_blocks() -> list[tuple[str, int, str]]:
    """``(page, line, code)`` for every Python fenced block of every page."""
    blocks = []
    for path in _markdown_files():
        text = path.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group("lang").lower() not in ("python", "py"):
                continue
            indent = match.group("indent")
            lines = match.group("body").splitlines()
            code = "\n".join(line.removeprefix(indent) for line in lines)
            line_no = text.count("\n", 0, match.start()) + 2  # the first line of code
            blocks.append((path.relative_to(DOCS).as_posix(), line_no, code))
    return blocks


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without evaluating tags such as ``!ENV`` or ``!!python/name``."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _nav_pages(node: Any) -> set[str]:
    if isinstance(node, str):
        return {node} if node.endswith(".md") and "://" not in node else set()
    if isinstance(node, list):
        return set().union(*(_nav_pages(item) for item in node)) if node else set()
    if isinstance(node, dict):
        return set().union(*(_nav_pages(value) for value in node.values())) if node else set()
    return set()


#: Generated pages and what each must contain (object names rendered by mkdocstrings).
EXPECTED = {
    "reference/client": [
        "generate_content", "generate_image", "wait_for_result", "SyncOneMinAIClient",
        "ChatSession", "AsyncChatStream", "SyncChatStream", "with_options",
        "with_raw_response", "RawResponse",
    ],
    "reference/types": ["ChatOutput", "GeneratedImage", "save"],
    "reference/exceptions": ["OneMinAIError", "StreamInterruptedError", "partial_text"],
    "reference/config": ["Timeouts", "Limits", "RetryPolicy", "set_log_level"],
    "reference/constants": ["ChatModel", "gpt-4o-mini"],
    "reference/testing": [
        "Emulator", "EmulatorConfig", "Fault", "Target", "live_or_emulator",
        "onemin_emulator_thread", "vcr_config",
    ],
    "reference/tool_calling": ["parse_reply", "render_prompt"],
    "reference/langchain": ["ChatOneMinAI", "OneMinAIToolkit", "bind_tools"],
    "reference/llamaindex": ["OneMinAI", "OneMinAIToolSpec"],
    "reference/integrations": [
        "ClientFactory", "Closeable", "resolve_chat_attachments", "ToolSpec", "tool_specs",
    ],
}  # fmt: skip
#: Pages written elsewhere (the CLI docs, ``make bench``): they only have to be built.
OTHER_PAGES = ("cli", "benchmarks", "reliability", "mcp", "releasing")


def _build(site_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # mkdocs-material prints an end-of-life notice on stderr; it is not a warning, but
        # keep the output readable.
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ next to docs/hooks/
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


# One test builds the site and checks it: under ``pytest -n 2`` a shared fixture would be
# built once per worker.
@pytest.mark.timeout(600)
def test_site_builds_strict_and_has_its_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _build(site)
    assert result.returncode == 0, (
        f"mkdocs build --strict failed ({result.returncode})\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    assert [page for page in OTHER_PAGES if not (site / page / "index.html").is_file()] == []

    missing = {
        page: [
            word for word in words if word not in (site / page / "index.html").read_text("utf-8")
        ]
        for page, words in EXPECTED.items()
    }
    assert {page: words for page, words in missing.items() if words} == {}

    # docs/hooks/rst_roles.py renders ":class:`X`" in docstrings as plain code.
    leftovers = [
        str(path.relative_to(site))
        for path in site.rglob("*.html")
        if re.search(r":(class|meth|func|attr|mod|exc|data):<code>", path.read_text("utf-8"))
    ]
    assert leftovers == []


@pytest.mark.parametrize(
    ("page", "line", "code"),
    _python_blocks(),
    ids=[f"{page}:{line}" for page, line, _ in _python_blocks()],
)
def test_python_snippet_compiles(page: str, line: int, code: str) -> None:
    # Snippets may use top-level ``await`` (as in ``python -m asyncio``); anything else
    # must be valid Python.
    try:
        compile(code, f"docs/{page}:{line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as exc:
        pytest.fail(f"docs/{page}, snippet at line {line}: {exc}")


def test_there_are_snippets_to_check() -> None:
    assert len(_python_blocks()) > 50


def test_every_page_is_in_the_nav() -> None:
    config = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    in_nav = _nav_pages(config["nav"])
    on_disk = {path.relative_to(DOCS).as_posix() for path in _markdown_files()}
    assert on_disk - in_nav == set(), "pages missing from the nav in mkdocs.yml"
    assert in_nav - on_disk == set(), "nav entries without a page"
