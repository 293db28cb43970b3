"""The ``oneminai-mcp`` command line: options, settings, logging, HTTP protections."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx
import pytest
from mcp_harness import KEY, HttpServer
from oneminai_mcp import ServerConfig, main
from oneminai_mcp._cli import _config, _logging, _parser
from oneminai_webapi.integrations import tool_specs


def test_list_tools(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-tools"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [s.name for s in tool_specs()]
    assert main(["--list-tools", "--tools", "writing,oneminai_ask"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["oneminai_ask", *(s.name for s in tool_specs(("writing",)))]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "dall-e-3"], "--model must look like NAME=VALUE"),
        (["--model", "paint=dall-e-3"], "unknown 1min.AI tools ['paint']"),
        (["--tools", "media,nope"], "unknown 1min.AI tools ['nope']"),
        (["--max-image-bytes", "-1"], "max_image_bytes must not be negative"),
    ],
)
def test_bad_options_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--list-tools"]) == 2
    assert message in capsys.readouterr().err


def test_settings_from_the_environment_and_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONEMINAI_API_KEY", KEY)
    monkeypatch.setenv("ONEMINAI_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ONEMINAI_MCP_ALLOWED_DIRS", os.pathsep.join(["/srv/a", "/srv/b"]))
    args = _parser().parse_args(
        ["--allow-dir", str(tmp_path), "--model", "ask=gpt-4o", "--job-timeout", "30",
         "--inline-audio", "--no-client-roots"]
    )  # fmt: skip
    config = _config(args)
    assert config.api_key == KEY and config.base_url == "http://127.0.0.1:9"
    assert config.allowed_dirs == ("/srv/a", "/srv/b", str(tmp_path))
    assert dict(config.models) == {"ask": "gpt-4o"}
    assert (config.job_timeout, config.inline_audio, config.use_client_roots) == (30, True, False)
    assert KEY not in repr(config)
    assert _parser().parse_args(["--http"]).host == "127.0.0.1"  # loopback unless told
    defaults = _config(_parser().parse_args([]))
    assert defaults.use_client_roots and not defaults.inline_audio
    assert defaults.max_image_bytes == 2 * 1024 * 1024 and defaults.job_timeout == 300


def test_log_lines_never_show_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        _logging("INFO", [KEY])
        logging.getLogger("oneminai_mcp").info("calling with %s", KEY)
        logging.getLogger("oneminai_webapi").warning(f"header was {KEY}")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    err = capsys.readouterr().err
    assert "calling with [redacted]" in err and "header was [redacted]" in err
    assert KEY not in err


def test_secrets_include_the_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEMINAI_API_KEY", KEY)
    assert KEY in ServerConfig().secrets()
    assert ServerConfig(api_key="ab").secrets() == ()  # the given key wins; too short to redact


def test_http_refuses_other_hosts_and_origins(http_server: HttpServer) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream"}
    with httpx.Client(timeout=10) as client:
        rebinding = client.post(
            http_server.url, json=body, headers={**headers, "Host": "evil.example"}
        )
        foreign = client.post(
            http_server.url, json=body, headers={**headers, "Origin": "https://evil.example"}
        )
    assert rebinding.status_code in (400, 421)
    assert foreign.status_code == 403
