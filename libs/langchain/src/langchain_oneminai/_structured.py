"""Parsers of ``with_structured_output``: a schema's name and JSON schema, strict JSON answers.

``complete()`` already reduces a JSON answer to compact JSON text (or reads a tool call's
arguments); these steps turn that into the caller's object and make a reply without one a
parsing error (``include_raw=True`` reports it as ``parsing_error``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import BaseMessage
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from oneminai_webapi.tool_calling import schema_errors

__all__ = ["json_schema", "parse_json_answer", "require_object", "schema_name"]


def json_schema(schema: Any) -> dict[str, Any]:
    """The JSON schema of a Pydantic class, TypedDict or schema/function dict."""
    return dict(convert_to_json_schema(schema))


def schema_name(schema: Any) -> str:
    """The name a schema goes by as a tool (``response`` when it has none)."""
    try:
        return str(convert_to_openai_tool(schema)["function"]["name"])
    except (ValueError, KeyError, TypeError):
        return "response"


def parse_json_answer(name: str, model: Any) -> Callable[[BaseMessage], Any]:
    """Parse a JSON answer strictly; validate it into ``model`` (a Pydantic class) if given.

    A reply without valid JSON must not be "repaired" into a partial object.
    """

    def parse(message: BaseMessage) -> Any:
        text = message.text
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise OutputParserException(
                f"The model's reply holds no valid JSON {name} object: {exc}", llm_output=text
            ) from exc
        if model is None:
            return value
        try:
            return (
                model.model_validate(value)
                if hasattr(model, "model_validate")
                else model.parse_obj(value)
            )
        except (ValueError, TypeError) as exc:  # pydantic v1 and v2 ValidationError
            raise OutputParserException(
                f"The {name} object does not match its schema: {exc}", llm_output=text
            ) from exc

    return parse


def require_object(name: str, schema: Mapping[str, Any] | None) -> Callable[[Any], Any]:
    """A parser step that rejects a missing object and (for dict schemas) a mismatching one."""

    def check(value: Any) -> Any:
        if value is None:
            raise OutputParserException(f"The model's reply holds no {name} object.")
        if schema is not None:
            errors = schema_errors(value, schema)
            if errors:
                shown = "; ".join(errors[:5])
                raise OutputParserException(f"The {name} object does not match its schema: {shown}")
        return value

    return check
