"""MkDocs hook: render the Sphinx-style roles found in docstrings as plain code.

The docstrings use Google sections but Sphinx roles (``:class:`Timeouts```,
``:meth:`~pkg.mod.Client.close```) and ``.. code-block:: python`` directives. Markdown
turns a role into ``:class:<code>Timeouts</code>``; this hook drops the role prefix (and,
for ``~``-prefixed targets, the dotted path, as Sphinx does) so the page shows ``Timeouts``;
it also drops the ``::`` of literal blocks and turns ```text <url>`_`` into a link.
It runs on rendered HTML only: no source file is changed.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(
    r":(?:py:)?(?:class|meth|func|attr|mod|data|exc|obj|const|type):<code>(~?)([^<]*)</code>"
)
_DIRECTIVE = re.compile(r"<p>\s*\.\. code-block::\s*\w*\s*</p>\s*")
# "Example::" before a literal block reads "Example:" (a lone "::" paragraph disappears).
_LITERAL = re.compile(r"::</p>(\s*<div class=\"highlight\">)")
# `text <https://…>`_ links.
_LINK = re.compile(r"<code>([^<]*?) &lt;(https?://[^&<]*)&gt;</code>_")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.group(1), match.group(2)
    if tilde:
        target = target.rsplit(".", 1)[-1]
    return f"<code>{target}</code>"


def on_page_content(html: str, **kwargs: Any) -> str:
    """Rewrite roles, literal-block markers and links in the page's HTML."""
    html = _ROLE.sub(_role, html)
    html = _DIRECTIVE.sub("", html)
    html = _LITERAL.sub(r":</p>\1", html)
    html = _LINK.sub(r'<a href="\2">\1</a>', html)
    return html.replace("<p>:</p>", "")
