"""``feature`` takes its first required parameter without a name; ``--json`` errors are JSON.

Most cases run ``main()`` in-process (fast); one runs the real entry point as a subprocess.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from oneminai_webapi._cli import main
from oneminai_webapi.testing import Emulator, Fault

from .conftest import KEY, run_cli


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def cli(emu: Emulator, *argv: str, stdin: str = "") -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--api-key", emu.api_key, "--base-url", emu.base_url, *argv],
        stdout=out,
        stderr=err,
        stdin=io.StringIO(stdin),
    )
    return Run(code, out.getvalue(), err.getvalue())


def sent_features(emu: Emulator) -> list[dict[str, Any]]:
    return [r.json for r in emu.requests_to("/api/features", "POST")]


# ── the first required parameter without a name ─────────────────────────────────────────


def test_bare_value_is_the_first_required_parameter(emu: Emulator) -> None:
    r = cli(emu, "feature", "summarize", "a long text to summarize", "--json")
    assert r.code == 0, r.err
    assert r.json()["text"].endswith("a long text to summarize")
    (body,) = sent_features(emu)
    assert body["type"] == "SUMMARIZER"
    assert "a long text to summarize" in json.dumps(body["promptObject"])


def test_bare_value_with_named_ones_in_any_order(emu: Emulator) -> None:
    r = cli(emu, "feature", "translate", "target_language=fr", "good morning", "--json")
    assert r.code == 0, r.err
    prompt = json.dumps(sent_features(emu)[0]["promptObject"])
    assert "good morning" in prompt and '"fr"' in prompt


def test_text_with_an_equals_sign_that_is_not_a_name(emu: Emulator) -> None:
    r = cli(emu, "feature", "summarize", "E = mc^2 explained", "--json")
    assert r.code == 0, r.err
    assert "E = mc^2 explained" in json.dumps(sent_features(emu)[0]["promptObject"])
    r = cli(emu, "feature", "summarize", "text=a=b", "--json")  # the named form keeps '='
    assert r.code == 0 and "a=b" in json.dumps(sent_features(emu)[1]["promptObject"])


def test_bare_dash_reads_stdin(emu: Emulator) -> None:
    r = cli(emu, "feature", "summarize", "-", "--json", stdin="piped text\n")
    assert r.code == 0, r.err
    assert "piped text" in json.dumps(sent_features(emu)[0]["promptObject"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("summarize", "one", "two"), "takes one value without a name (its text)"),
        (("summarize", "bare", "text=named"), "text is given twice"),
        (("summarize", "txt=typo"), "text with '=' goes as text=…"),
        (("summarize", "model=gpt-4o"), "the model is -m MODEL"),
        (("translate", "hello"), "translate needs target_language=…"),
    ],
)
def test_ambiguous_or_missing_values_are_refused_before_sending(
    emu: Emulator, argv: tuple[str, ...], message: str
) -> None:
    r = cli(emu, "feature", *argv)
    assert r.code == 2
    assert message in r.err and r.err.startswith("error: ")
    assert r.out == ""
    assert emu.requests == []


# ── --json errors ───────────────────────────────────────────────────────────────────────


def test_json_error_for_bad_input(emu: Emulator) -> None:
    r = cli(emu, "--json", "feature", "summarize")
    assert r.code == 2
    assert r.json() == {
        "error": {"type": "CLIError", "message": "summarize needs text=…"},
        "exit_code": 2,
    }
    assert r.err == "error: summarize needs text=…\n"  # the human line stays on stderr


def test_json_error_from_the_service_carries_its_facts(emu: Emulator) -> None:
    emu.inject(
        Fault.status(401, headers={"x-request-id": "req-cli-1"}),
        times=None,
        path="/api/features",
    )
    r = cli(emu, "feature", "summarize", "hello", "--json")
    assert r.code == 3
    error = r.json()["error"]
    assert r.json()["exit_code"] == 3
    assert error["type"] == "AuthenticationError"
    assert error["status_code"] == 401 and error["request_id"] == "req-cli-1"
    assert "ONEMINAI_API_KEY" in error["message"]
    assert emu.api_key not in r.out and emu.api_key not in r.err


def test_json_error_for_rate_limits_has_retry_after(emu: Emulator) -> None:
    emu.inject(Fault.rate_limited(retry_after=90), times=None, path="/api/chat-with-ai")
    r = cli(emu, "chat", "--no-stream", "hi", "--json")
    assert r.code == 5
    assert r.json()["error"]["type"] == "RateLimitError"
    assert r.json()["error"]["retry_after_s"] == 90


def test_json_usage_error(emu: Emulator) -> None:
    r = cli(emu, "--json", "credits", "extra")
    assert r.code == 2
    error = r.json()["error"]
    assert error["type"] == "UsageError"
    assert error["message"] == "unrecognized arguments: extra"
    assert error["usage"].startswith("usage: oneminai credits")
    assert "oneminai credits: error: unrecognized arguments: extra" in r.err


def test_without_json_stdout_stays_empty_on_error(emu: Emulator) -> None:
    r = cli(emu, "feature", "summarize")
    assert r.code == 2 and r.out == "" and r.err == "error: summarize needs text=…\n"
    r = cli(emu, "credits", "extra")
    assert r.code == 2 and r.out == "" and "usage: oneminai credits" in r.err


def test_json_after_double_dash_is_a_prompt_word(emu: Emulator) -> None:
    r = cli(emu, "chat", "--no-stream", "--", "--json")
    assert r.code == 0 and "--json" in r.out and not r.out.lstrip().startswith("{")


def test_json_errors_from_the_installed_command(emu: Emulator) -> None:
    r = run_cli("feature", "summarize", "one", "two", "--json", emu=emu)
    assert r.code == 2
    payload = r.json()
    assert payload["exit_code"] == 2 and payload["error"]["type"] == "CLIError"
    assert KEY not in r.out
