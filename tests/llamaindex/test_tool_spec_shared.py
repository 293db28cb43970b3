"""OneMinAIToolSpec beyond the media tools: tool selection, writing, catalog and account
tools, models and voices per tool, resumable jobs, and the deprecated names (emulator)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.base.llms.types import AudioBlock, ImageBlock, TextBlock
from llama_index.core.tools import ToolMetadata
from llama_index.tools.oneminai import (
    DEFAULT_TOOLS,
    RENAMED_TOOLS,
    OneMinAIToolSpec,
    ServiceErrorTool,
)
from oneminai_webapi.exceptions import InsufficientCreditsError, LocalFileRefusedError
from oneminai_webapi.integrations import tool_specs
from oneminai_webapi.testing import Fault


@pytest.fixture
def spec(emu: Any) -> Iterator[OneMinAIToolSpec]:
    tools = OneMinAIToolSpec(
        api_key="test-key", base_url=emu.base_url, poll_interval=0.01, tools=("writing",)
    )
    yield tools
    tools.close()


def _names(tools: list[Any]) -> list[str]:
    return [t.metadata.name for t in tools]


# ── selection ────────────────────────────────────────────────────────────────────────


def test_tools_and_groups_select_what_to_tool_list_gives(emu: Any) -> None:
    writing = [s.name for s in tool_specs(("writing",))]
    with OneMinAIToolSpec(api_key="k", tools=("writing", "oneminai_credits")) as spec:
        assert _names(spec.to_tool_list()) == [*writing, "oneminai_credits"]
        assert spec.spec_functions == [*writing, "oneminai_credits"]
        # any tool can still be asked for by name or group
        assert _names(spec.to_tool_list(["oneminai_list_models", "account"])) == [
            "oneminai_list_models",
            "oneminai_credits",
        ]
        assert all(isinstance(t, ServiceErrorTool) for t in spec.to_tool_list())
    assert DEFAULT_TOOLS == ("media", "oneminai_ask")


@pytest.mark.parametrize("bad", ["painting", "image_generation", "oneminai_paint"])
def test_unknown_tools_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown 1min.AI tool '{bad}'"):
        OneMinAIToolSpec(api_key="k", tools=(bad,))
    with OneMinAIToolSpec(api_key="k") as spec, pytest.raises(ValueError, match=bad):
        spec.to_tool_list([bad])
    assert OneMinAIToolSpec(api_key="k").get_fn_schema_from_fn_name(bad) is None


def test_metadata_can_be_replaced_per_tool() -> None:
    custom = ToolMetadata(name="draw", description="Draw a picture.")
    with OneMinAIToolSpec(api_key="k") as spec:
        (tool,) = spec.to_tool_list(
            ["oneminai_image_generation"], {"oneminai_image_generation": custom}
        )
    assert tool.metadata is custom


def test_repr_names_tools_and_models_not_the_key() -> None:
    spec = OneMinAIToolSpec(api_key="sk-secret-123456", image_model="dall-e-3", tools=("chat",))
    assert repr(spec) == (
        "OneMinAIToolSpec(tools=['oneminai_ask'], models={'oneminai_image_generation': "
        "'dall-e-3', 'oneminai_image_edit': 'dall-e-3'})"
    )


# ── writing, catalog and account tools ───────────────────────────────────────────────


def test_writing_tool_sends_its_feature(spec: OneMinAIToolSpec, emu: Any) -> None:
    tools = {t.metadata.name: t for t in spec.to_tool_list()}
    output = tools["oneminai_summarize"].call(text="A long text about bicycles.")
    assert not output.is_error, output.content
    assert "A long text about bicycles." in output.content
    assert emu.requests_to("/api/features")[-1].json["type"] == "SUMMARIZER"
    bad = tools["oneminai_summarize"].call(text="x", num_bullets=500)
    assert bad.is_error and "num_bullets" in bad.content  # refused before any request
    assert len(emu.requests_to("/api/features")) == 1


async def test_catalog_and_credits_tools(spec: OneMinAIToolSpec, emu: Any) -> None:
    models, credits = spec.to_tool_list(["oneminai_list_models", "oneminai_credits"])
    listed = await models.acall(feature="image_generation", search="dall")
    assert not listed.is_error, listed.content
    assert listed.content.startswith("2 models:") and "dall-e-3" in listed.content
    assert {m["id"] for m in listed.raw_output.artifact["models"]} == {"dall-e-2", "dall-e-3"}
    wrong = await models.acall(feature="painting")
    assert wrong.is_error and "unknown feature 'painting'" in wrong.content
    balance = credits.call()
    assert balance.content == f"Remaining credits: {emu.credits:,}"
    await spec.aclose()


def test_writing_tool_models_come_from_models(emu: Any) -> None:
    with OneMinAIToolSpec(
        api_key="test-key", base_url=emu.base_url, models={"summarize": "gpt-4.1-mini"}
    ) as spec:
        (tool,) = spec.to_tool_list(["oneminai_summarize"])
        assert not tool.call(text="Some text.").is_error
    assert emu.requests_to("/api/features")[-1].json["model"] == "gpt-4.1-mini"


def test_model_settings_are_checked() -> None:
    with pytest.raises(ValueError, match=r"unknown 1min.AI tools \['painting'\]"):
        OneMinAIToolSpec(api_key="k", models={"painting": "x"})
    with pytest.raises(ValueError, match="image_model and models"):
        OneMinAIToolSpec(api_key="k", image_model="a", models={"image_generation": "b"})


# ── voices, jobs ─────────────────────────────────────────────────────────────────────


def test_tts_voice_is_the_schema_default_and_is_sent(emu: Any) -> None:
    with OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, tts_voice="nova") as spec:
        (tool,) = spec.to_tool_list(["oneminai_text_to_speech"])
        voice = tool.metadata.get_parameters_dict()["properties"]["voice"]
        assert voice["default"] == "nova"
        assert not tool.call(text="Hello").is_error
        assert not tool.call(text="Hello", voice="echo").is_error
    sent = [r.json["promptObject"]["voice"] for r in emu.requests_to("/api/features")]
    assert sent == ["nova", "echo"]


def test_a_voice_the_model_does_not_offer_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="voice='bob'"):
        OneMinAIToolSpec(api_key="k", tts_voice="bob")
    # ElevenLabs takes any voice id
    OneMinAIToolSpec(api_key="k", tts_model="elevenlabs-tts", tts_voice="21m00Tcm4TlvDq8ikWAM")


async def test_a_slow_job_tells_its_id_and_the_job_result_tool_resumes(emu: Any) -> None:
    emu.config.async_pending_polls = 10_000
    try:
        async with OneMinAIToolSpec(
            api_key="test-key", base_url=emu.base_url, poll_interval=0.01, poll_timeout=0.1
        ) as spec:
            tools = {t.metadata.name: t for t in spec.to_tool_list()}
            pending = await tools["oneminai_music_generation"].acall(prompt="calm piano")
            assert pending.is_error and "JobTimeoutError" in pending.content
            (job_id,) = [r for r in emu.records if f'job_id "{r}"' in pending.content]
            emu.config.async_pending_polls = 0
            done = await tools["oneminai_job_result"].acall(job_id=job_id)
            assert not done.is_error, done.content
            assert done.content.startswith("Music: ") and isinstance(done.blocks[1], AudioBlock)
            assert done.raw_output.artifact["record_id"] == job_id
    finally:
        emu.config.async_pending_polls = 0


def test_credits_used_stay_in_the_raw_output(spec: OneMinAIToolSpec, emu: Any) -> None:
    (ask,) = spec.to_tool_list(["oneminai_ask"])
    emu.script_replies(["Hi."])
    output = ask.call(prompt="Hello?")
    assert output.content == "Hi."
    assert output.raw_output.credits_used is None or output.raw_output.credits_used >= 0


def test_service_errors_of_every_tool_kind_are_outputs(spec: OneMinAIToolSpec, emu: Any) -> None:
    emu.inject(Fault.status(402), path="/api/features", times=None)
    for name in ("oneminai_summarize", "oneminai_image_generation"):
        (tool,) = spec.to_tool_list([name])
        output = tool.call(**({"text": "x"} if name.endswith("summarize") else {"prompt": "x"}))
        assert output.is_error and isinstance(output.exception, InsufficientCreditsError)
        assert output.tool_name == name


# ── the earlier names ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("old", sorted(RENAMED_TOOLS))
def test_old_names_select_the_renamed_tool_with_a_warning(old: str) -> None:
    with OneMinAIToolSpec(api_key="k") as spec:
        with pytest.warns(DeprecationWarning, match=f"'{old}' is renamed '{RENAMED_TOOLS[old]}'"):
            tools = spec.to_tool_list([old])
        assert _names(tools) == [RENAMED_TOOLS[old]]
        with pytest.warns(DeprecationWarning):  # the old tuple form
            assert _names(spec.to_tool_list([(old, f"a{old}")])) == [RENAMED_TOOLS[old]]
        with pytest.warns(DeprecationWarning):
            assert spec.get_fn_schema_from_fn_name(old) is tools[0].metadata.fn_schema
    with pytest.warns(DeprecationWarning):
        assert OneMinAIToolSpec(api_key="k", tools=(old,)).spec_functions == [RENAMED_TOOLS[old]]


def test_new_names_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = OneMinAIToolSpec(api_key="k", tools=("media", "writing", "chat", "account"))
        spec.to_tool_list()
        spec.close()


def test_old_methods_still_work_with_a_warning(emu: Any) -> None:
    emu.script_replies(["transcript", "It is sunny."])
    with OneMinAIToolSpec(api_key="test-key", base_url=emu.base_url, poll_interval=0.01) as spec:
        with pytest.warns(DeprecationWarning, match="width/height became aspect_ratio"):
            blocks = spec.generate_image("a fox", width=1536, height=1024)
        assert isinstance(blocks[0], TextBlock) and isinstance(blocks[1], ImageBlock)
        with pytest.warns(DeprecationWarning, match="'speech_to_text' is renamed"):
            text = spec.speech_to_text("https://example.com/a.mp3")
        assert text == "transcript"
        with pytest.warns(DeprecationWarning, match="query became prompt"):
            answer = spec.web_search("Weather?")
        assert answer.startswith("It is sunny.") and "Sources:" in answer
        with pytest.warns(DeprecationWarning), pytest.raises(LocalFileRefusedError):
            spec.edit_image("/etc/passwd", "x")  # a direct call raises, as before
    image = emu.requests_to("/api/features")[0].json["promptObject"]
    assert image["size"] == "1216x832"  # landscape for the default (SDXL) model
    assert emu.requests_to("/api/chat-with-ai")[-1].json["promptObject"]["settings"][
        "webSearchSettings"
    ]["webSearch"]


async def test_old_async_methods_still_work_with_a_warning(emu: Any) -> None:
    async with OneMinAIToolSpec(
        api_key="test-key", base_url=emu.base_url, poll_interval=0.01
    ) as spec:
        with pytest.warns(DeprecationWarning, match="'generate_music' is renamed"):
            blocks = await spec.agenerate_music("calm piano", instrumental=True)
        assert isinstance(blocks[1], AudioBlock)
        with pytest.warns(DeprecationWarning, match="'text_to_speech' is renamed"):
            blocks = await spec.atext_to_speech("Hello", voice="nova")
        assert isinstance(blocks[1], AudioBlock)
    assert emu.requests_to("/api/features")[-1].json["promptObject"]["voice"] == "nova"
