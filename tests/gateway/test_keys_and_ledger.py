"""Configuration, keys, the SQLite ledger (WAL, restart-safe budgets) and the CLI."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import openai
import pytest
from oneminai_gateway import ConfigError, GatewayConfig
from oneminai_gateway._auth import KeyRing
from oneminai_gateway._cli import main
from oneminai_gateway._errors import GatewayError
from oneminai_gateway._ledger import Entry, Ledger, totals
from oneminai_webapi.testing import Emulator
from openai import OpenAI

from .conftest import ALICE, BOB

HELLO = [{"role": "user", "content": "Hello"}]


def test_the_ledger_records_every_call_in_wal_mode(gateway, base_url, emu: Emulator) -> None:
    with OpenAI(base_url=base_url, api_key=ALICE, max_retries=0) as alice:
        alice.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
        list(alice.chat.completions.create(model="gpt-4o-mini:online", messages=HELLO, stream=True))
        alice.images.generate(prompt="fox")
        with pytest.raises(openai.NotFoundError):
            alice.chat.completions.create(model="no-such-model", messages=HELLO)
    with OpenAI(base_url=base_url, api_key=BOB, max_retries=0) as bob:
        bob.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    gateway.flush_ledger()

    path = gateway.config.server.ledger
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    rows = db.execute(
        "SELECT key, model, endpoint, status, credits, prompt_tokens, completion_tokens, record_id"
        " FROM calls ORDER BY id"
    ).fetchall()
    db.close()
    assert [r[:4] for r in rows] == [
        ("alice", "gpt-4o-mini", "chat.completions", 200),
        ("alice", "gpt-4o-mini", "chat.completions", 200),
        ("alice", "stable-diffusion-xl-1024-v1-0", "images.generations", 200),
        ("alice", "no-such-model", "chat.completions", 404),
        ("bob", "gpt-4o-mini", "chat.completions", 200),
    ]
    assert rows[0][4] == emu.config.credits_per_call and rows[0][5] == 2 and rows[0][6] == 7
    assert rows[0][7] in emu.records
    assert rows[3][4] is None
    assert ALICE not in Path(path).read_bytes().decode("latin-1")


def test_budgets_survive_a_restart(make_gateway, tmp_path) -> None:
    ledger = str(tmp_path / "shared.sqlite3")
    keys = [{"name": "dave", "key": "sk-gw-dave-123456", "budget_credits": 150}]
    first = make_gateway(keys=keys, server={"ledger": ledger})
    with OpenAI(base_url=first.base_url + "/v1", api_key="sk-gw-dave-123456", max_retries=0) as c:
        c.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
        c.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    first.stop()

    second = make_gateway(keys=keys, server={"ledger": ledger})
    with OpenAI(base_url=second.base_url + "/v1", api_key="sk-gw-dave-123456", max_retries=0) as c:
        with pytest.raises(openai.RateLimitError) as over:
            c.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert over.value.status_code == 429 and over.value.code == "insufficient_quota"


def test_the_ledger_writes_off_the_caller_thread(tmp_path) -> None:
    ledger = Ledger(str(tmp_path / "l.sqlite3"))
    for i in range(1000):
        ledger.record(Entry(time=i, key="k", model="m", endpoint="e", status=200, credits=1.0))
    assert ledger.spent == {"k": 1000.0}  # budgets see it at once
    assert ledger.flush()
    [total] = list(totals(ledger.path))
    assert (total.calls, total.credits) == (1000, 1000.0)
    ledger.close()
    assert Ledger(str(tmp_path / "l.sqlite3")).spent == {"k": 1000.0}


def test_usage_prints_totals_per_key_and_model(tmp_path, capsys) -> None:
    path = str(tmp_path / "u.sqlite3")
    ledger = Ledger(path)
    for key, model, credits, status in [
        ("alice", "gpt-4o", 100, 200),
        ("alice", "gpt-4o", 50, 200),
        ("alice", "tts-1", 10, 200),
        ("bob", "gpt-4o", None, 502),
    ]:
        ledger.record(
            Entry(
                time=0,
                key=key,
                model=model,
                endpoint="x",
                status=status,
                credits=credits,
                prompt_tokens=3,
            )
        )
    ledger.close()

    assert main(["usage", "--ledger", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "key",
        "model",
        "calls",
        "failed",
        "credits",
        "prompt",
        "tok",
        "completion",
        "tok",
    ]
    assert lines[1].split() == ["alice", "gpt-4o", "2", "0", "150", "6", "0"]
    assert lines[2].split() == ["alice", "tts-1", "1", "0", "10", "3", "0"]
    assert lines[3].split() == ["bob", "gpt-4o", "1", "1", "0", "3", "0"]
    assert lines[4].split() == ["alice", "(all)", "3", "160"]
    assert main(["usage", "--ledger", str(tmp_path / "missing.sqlite3")]) == 1


def test_keys_compare_by_digest_and_never_show(tmp_path) -> None:
    digest = hashlib.sha256(b"sk-gw-hashed-123456").hexdigest()
    config = GatewayConfig.model_validate(
        {
            "keys": [
                {"name": "plain", "key": "sk-gw-plain-123456"},
                {"name": "hashed", "key_sha256": digest},
            ]
        }
    )
    ring = KeyRing(config.keys)
    assert ring.authenticate("Bearer sk-gw-hashed-123456").name == "hashed"
    assert ring.authenticate("bearer   sk-gw-plain-123456 ").name == "plain"
    for header in (None, "", "Bearer", "Token sk-gw-plain-123456", "Bearer sk-gw-plain-12345"):
        with pytest.raises(GatewayError) as refused:
            ring.authenticate(header)
        assert refused.value.status == 401
    assert "sk-gw-plain-123456" not in repr(config) and "sk-gw-plain-123456" not in str(config)


def test_rpm_windows_slide(tmp_path) -> None:
    now = [0.0]
    config = GatewayConfig.model_validate(
        {"keys": [{"name": "k", "key": "sk-gw-k-123456", "rpm": 2}]}
    )
    ring = KeyRing(config.keys, clock=lambda: now[0])
    caller = ring.authenticate("Bearer sk-gw-k-123456")
    ring.admit(caller)
    now[0] = 30.0
    ring.admit(caller)
    with pytest.raises(GatewayError) as limited:
        ring.admit(caller)
    assert limited.value.retry_after == pytest.approx(30.0)
    now[0] = 60.5
    ring.admit(caller)  # the first request left the window


def test_config_files(tmp_path) -> None:
    toml = tmp_path / "gateway.toml"
    toml.write_text(
        '[server]\nport = 9000\nledger = "data/usage.sqlite3"\n\n'
        '[upstream]\napi_key_env = "MY_KEY"\n\n'
        '[[keys]]\nname = "alice"\nkey = "sk-gw-alice-123456"\nrpm = 10\n'
    )
    config = GatewayConfig.load(toml)
    assert config.server.port == 9000
    assert config.server.ledger == str(tmp_path / "data" / "usage.sqlite3")
    assert config.keys[0].rpm == 10 and config.upstream.api_key_env == "MY_KEY"

    as_json = tmp_path / "gateway.json"
    as_json.write_text(json.dumps({"pass_through": True}))
    assert GatewayConfig.load(as_json).pass_through

    for text, fragment in [
        ("[server]\nprot = 1\n", "server.prot"),
        ('[[keys]]\nname = "a"\n', "exactly one of key and key_sha256"),
        ('[[keys]]\nname = "a"\nkey = "short"\n', "at least 8"),
        (
            '[[keys]]\nname = "a"\nkey = "sk-123456789"\n[[keys]]\nname = "a"\nkey = "sk-987654321"\n',
            "unique",
        ),
        ("not toml [", "not valid"),
    ]:
        toml.write_text(text)
        with pytest.raises(ConfigError) as bad:
            GatewayConfig.load(toml)
        assert fragment in str(bad.value)
    with pytest.raises(ConfigError):
        GatewayConfig.load(tmp_path / "missing.toml")


def test_the_command_refuses_to_serve_without_keys_or_upstream_key(
    tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.delenv("ONEMINAI_API_KEY", raising=False)
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert main(["--config", str(empty)]) == 2
    assert "no gateway keys" in capsys.readouterr().err
    keyed = tmp_path / "keyed.toml"
    keyed.write_text('[[keys]]\nname = "a"\nkey = "sk-gw-a-123456"\n')
    assert main(["--config", str(keyed)]) == 2
    assert "ONEMINAI_API_KEY" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nport = -1\n")
    assert main(["--config", str(bad)]) == 2
