"""One definition serves all three: the MCP tools against the LangChain and LlamaIndex tools.

The MCP server lists ``oneminai_webapi.integrations.tool_specs()``. The LangChain tools
still define their own names, descriptions, schemas, calls and result texts; these tests
fail as soon as the two drift apart. The LlamaIndex tool spec builds its tools from the
shared definitions: every tool it can offer shows a model the same name, description and
JSON schema, calls the same client method and reads the same.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_oneminai.tools import OneMinAIToolkit
from oneminai_webapi import _registry as registry
from oneminai_webapi.integrations import TOOL_GROUPS, ToolSpec, tool_spec, tool_specs
from oneminai_webapi.types import (
    AudioOutput,
    ChatOutput,
    GeneratedImage,
    ImageOutput,
    MusicOutput,
    Source,
    TranscriptionOutput,
    VideoOutput,
)

LANGCHAIN_TOOLS = OneMinAIToolkit(api_key="unused").get_tools()


def _function(spec: ToolSpec) -> dict[str, Any]:
    """What a function-calling model sees of a shared tool."""
    return {"name": spec.name, "description": spec.description, "parameters": spec.input_schema()}


def test_every_langchain_tool_is_shared() -> None:
    names = {t.name for t in LANGCHAIN_TOOLS}
    assert names == {s.name for s in tool_specs(("media",)) if s.name != "oneminai_job_result"}


@pytest.mark.parametrize("lc_tool", LANGCHAIN_TOOLS, ids=lambda t: t.name)
def test_langchain_names_descriptions_and_schemas_equal(lc_tool: Any) -> None:
    assert convert_to_openai_tool(lc_tool)["function"] == _function(tool_spec(lc_tool.name))


class _Recorder:
    """A client that records the one call made to it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> None:
            names = list(inspect.signature(getattr(_client_class(), method)).parameters)[1:]
            self.calls.append((method, {**dict(zip(names, args, strict=False)), **kwargs}))

        return call


def _client_class() -> Any:
    from oneminai_webapi import SyncOneMinAIClient

    return SyncOneMinAIClient


ARGUMENTS = {
    "oneminai_image_generation": {"prompt": "a fox", "aspect_ratio": "portrait", "num_images": 2},
    "oneminai_image_edit": {"image": "images/a.png", "prompt": "bluer"},
    "oneminai_text_to_speech": {"text": "hi", "voice": "nova", "speed": 1.5},
    "oneminai_speech_to_text": {"audio": "audios/a.mp3", "language": "fr"},
    "oneminai_video_generation": {"prompt": "waves", "duration": 10, "aspect_ratio": "1:1"},
    "oneminai_music_generation": {"prompt": "jazz", "instrumental": True, "duration": 30.0},
}


@pytest.mark.parametrize("lc_tool", LANGCHAIN_TOOLS, ids=lambda t: t.name)
def test_langchain_calls_the_client_the_same_way(lc_tool: Any) -> None:
    spec = tool_spec(lc_tool.name).for_model("m-1")  # the shared tool set up for the model
    arguments = ARGUMENTS[spec.name]
    ours, theirs = _Recorder(), _Recorder()
    spec.call(ours, spec.client_kwargs(arguments))
    lc_tool.model_copy(update={"model": "m-1"})._call(theirs, **arguments)
    (name, kwargs), (lc_name, lc_kwargs) = ours.calls[0], theirs.calls[0]
    assert name == lc_name == spec.method
    # LangChain passes poll_interval=None explicitly; the shared spec leaves it to the client.
    lc_kwargs = {k: v for k, v in lc_kwargs.items() if not (k == "poll_interval" and v is None)}
    assert kwargs == lc_kwargs


def _outputs() -> dict[str, Any]:
    image = GeneratedImage(url="https://a.example/images/x.png", key="images/x.png", model="m")
    common = {"model": "m", "record_id": "rec-1", "status": "SUCCESS"}
    return {
        "oneminai_image_generation": ImageOutput(images=[image, image], **common),
        "oneminai_image_edit": ImageOutput(images=[], **common),
        "oneminai_text_to_speech": AudioOutput(
            audio_url="https://a.example/audios/s.mp3", key="audios/s.mp3", **common
        ),
        "oneminai_speech_to_text": TranscriptionOutput(text="hello world", **common),
        "oneminai_video_generation": VideoOutput(video_url="", **common),
        "oneminai_music_generation": MusicOutput(audio_url="https://a.example/m.mp3", **common),
    }


@pytest.mark.parametrize("lc_tool", LANGCHAIN_TOOLS, ids=lambda t: t.name)
def test_langchain_results_read_the_same(lc_tool: Any) -> None:
    output = _outputs()[lc_tool.name]
    result = tool_spec(lc_tool.name).format(output)
    assert (result.text, result.artifact) == lc_tool._format(output)


def _llamaindex_tools(client: Any = None) -> list[Any]:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    spec = OneMinAIToolSpec(api_key="unused", client=client)
    return spec.to_tool_list([s.name for s in tool_specs()])


def test_llamaindex_offers_every_shared_tool_by_default_media_and_ask() -> None:
    from llama_index.tools.oneminai import OneMinAIToolSpec

    default = [t.metadata.name for t in OneMinAIToolSpec(api_key="unused").to_tool_list()]
    assert default == [s.name for s in tool_specs(("media",))] + ["oneminai_ask"]
    every = OneMinAIToolSpec(api_key="unused", tools=TOOL_GROUPS).to_tool_list()
    assert sorted(t.metadata.name for t in every) == sorted(s.name for s in tool_specs())


def test_llamaindex_names_descriptions_and_schemas_equal() -> None:
    seen = [t.metadata.to_openai_tool()["function"] for t in _llamaindex_tools()]
    assert seen == [_function(spec) for spec in tool_specs()]
    assert [t.metadata.fn_schema for t in _llamaindex_tools()] == [
        s.args_model for s in tool_specs()
    ]


def _method_outputs() -> dict[str, Any]:
    """A typed output per client method (``chat`` with web sources and credits)."""
    by_tool = _outputs()
    common = {"model": "m", "record_id": "rec-2"}
    answer = ChatOutput(
        text="An answer.",
        sources=[Source(title="A page", url="https://a.example/p")],
        credits_used=12,
        **common,
    )
    return {
        **{tool_spec(name).method: output for name, output in by_tool.items()},
        "chat": answer,
        "list_models": [{"modelId": "gpt-4o", "provider": "openai", "name": "GPT-4o"}],
        "get_team_credits": 1234,
        "wait_for_result": by_tool["oneminai_video_generation"],
        **{s.method: ChatOutput(text="Written.", **common) for s in tool_specs(("writing",))},
    }


class _Outputs(_Recorder):
    """A recording client that answers each call with a typed output."""

    def __getattr__(self, method: str) -> Any:
        record = super().__getattr__(method)
        output = _method_outputs()[method]

        def call(*args: Any, **kwargs: Any) -> Any:
            record(*args, **kwargs)
            return output

        return call


def _required_values(spec: ToolSpec) -> dict[str, Any]:
    props = spec.input_schema()["properties"]
    values: dict[str, Any] = {}
    for name in spec.input_schema().get("required", []):
        enum = props[name].get("enum")
        values[name] = enum[0] if enum else "images/a.png" if name == "image" else "x"
    return values


@pytest.mark.parametrize("spec", tool_specs(), ids=lambda s: s.name)
def test_llamaindex_calls_the_client_the_same_way_and_reads_the_same(spec: ToolSpec) -> None:
    arguments = ARGUMENTS.get(spec.name) or _required_values(spec)
    ours, theirs = _Outputs(), _Outputs()
    expected = spec.format(spec.call(ours, spec.client_kwargs(arguments)))
    (tool,) = [t for t in _llamaindex_tools(theirs) if t.metadata.name == spec.name]
    output = tool.call(**arguments)
    assert not output.is_error, output.content
    assert theirs.calls == ours.calls and ours.calls[0][0] == spec.method
    assert output.raw_output == expected
    assert output.content == expected.text


# ── the writing tools come from the registry ─────────────────────────────────────────────


WRITING = tool_specs(("writing",))


def test_writing_tools_are_the_registry_text_methods_with_evidence() -> None:
    names = {s.method for s in WRITING}
    assert {"summarize", "paraphrase", "translate", "check_grammar", "rewrite"} <= names
    for method in registry.METHODS.values():
        rows = [registry.FEATURES[t] for t in method.feature_types()]
        if any(r.evidence == "none" or not r.listed for r in rows) or method.inputs:
            assert method.name not in names
    assert "detect_ai_content" not in names  # a guessed feature type: not offered


@pytest.mark.parametrize("spec", WRITING, ids=lambda s: s.name)
def test_writing_schema_follows_the_registry(spec: ToolSpec) -> None:
    method = registry.METHODS[spec.method]
    schema = spec.input_schema()
    assert list(schema["properties"]) == list(method.params)
    assert schema.get("required", []) == [
        n for n, d in method.params.items() if d is registry.REQUIRED
    ]
    for name, default in method.params.items():
        prop = schema["properties"][name]
        assert prop["description"]
        if default is not registry.REQUIRED:
            assert prop["default"] == default
    if method.route is not None:
        assert schema["properties"][method.route[0]]["enum"] == list(method.route[1])
    assert spec.description.startswith(method.summary)


def test_writing_ranges_come_from_the_feature_rows() -> None:
    summarize = tool_spec("oneminai_summarize").input_schema()["properties"]
    assert (summarize["num_bullets"]["minimum"], summarize["num_bullets"]["maximum"]) == (1, 50)
    assert summarize["num_words"]["maximum"] == 10000
