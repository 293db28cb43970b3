"""JSON output, encoded the same way everywhere: UTF-8 text as is, no spaces."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["dumps", "json_string"]

#: ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` with one encoder made
#: once (``json.dumps`` with options builds a new encoder per call).
dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

#: A string as a JSON string literal, exactly as :data:`dumps` writes it (C speed).
json_string: Callable[[str], str] = json.encoder.encode_basestring
