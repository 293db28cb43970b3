"""Python twins of the corpus tools and schemas (``tool_replies/_tools.yaml``).

(No ``from __future__ import annotations`` here: LlamaIndex reads the annotations at runtime.)

The functions check their own arguments, as real tools do, so that a wrong type or a missing
argument fails inside the tool in every framework (and an agent has to recover from it).
"""

from typing import Literal

from pydantic import BaseModel

CALLS: list[tuple[str, dict[str, object]]] = []


def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
    """Get the current weather in a city."""
    CALLS.append(("get_weather", {"city": city, "unit": unit}))
    return f"Sunny, 21 degrees {unit} in {city}."


def multiply(a: int, b: int) -> int:
    """Multiply two integers and return the product."""
    if not isinstance(a, int) or not isinstance(b, int):
        raise ValueError("multiply needs two integers")
    CALLS.append(("multiply", {"a": a, "b": b}))
    return a * b


def search_web(query: str, max_results: int = 5) -> str:
    """Search the web and return the top results."""
    CALLS.append(("search_web", {"query": query, "max_results": max_results}))
    return f"{max_results} results for {query!r}: example.com"


def get_current_time() -> str:
    """Return the current UTC time."""
    CALLS.append(("get_current_time", {}))
    return "2025-01-01T12:00:00Z"


def send_email(to: str, subject: str, body: str) -> str:
    """Send an email."""
    CALLS.append(("send_email", {"to": to, "subject": subject, "body": body}))
    return f"Sent {len(body)} characters to {to}."


FUNCTIONS = [get_weather, multiply, search_web, get_current_time, send_email]


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str
    age: int


class Review(BaseModel):
    """A short film review."""

    title: str
    rating: float
    pros: list[str]


MODELS: dict[str, type[BaseModel]] = {"Person": Person, "Review": Review}
