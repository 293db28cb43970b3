"""The official ``openai`` SDK against the gateway (in front of the emulator): chat, streams,
tools, structured output, models, images, speech, transcription and its error types."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable, Iterator

import openai
import pytest
from oneminai_webapi.testing import Emulator
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel

from .conftest import ALICE, BOB, WEATHER_TOOL, tool_reply

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.fixture
def client(base_url: str) -> Iterator[OpenAI]:
    with OpenAI(base_url=base_url, api_key=ALICE, max_retries=0, timeout=10) as c:
        yield c


@pytest.fixture
def sdk() -> Iterator[Callable[..., OpenAI]]:
    """Makes more SDK clients (``sdk(base_url, key)``), closed after the test."""
    made: list[OpenAI] = []

    def factory(base_url: str, api_key: str) -> OpenAI:
        made.append(OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=10))
        return made[-1]

    yield factory
    for c in made:
        c.close()


@pytest.fixture
async def aclient(base_url: str) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(base_url=base_url, api_key=ALICE, max_retries=0, timeout=10) as c:
        yield c


def chat_bodies(emu: Emulator) -> list[dict]:
    return [r.json for r in emu.requests if r.path == "/api/chat-with-ai"]


def test_sync_chat_completion(client: OpenAI, emu: Emulator) -> None:
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    choice = completion.choices[0]
    assert choice.message.content == "Echo from gpt-4o-mini: Hello"
    assert choice.message.role == "assistant" and choice.finish_reason == "stop"
    assert completion.object == "chat.completion" and completion.model == "gpt-4o-mini"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (2, 7)
    extension = completion.model_extra["oneminai"]
    assert extension["credits"] == emu.config.credits_per_call
    assert extension["usage_estimated"] is True
    assert extension["record_id"] in emu.records
    assert chat_bodies(emu)[0]["promptObject"]["prompt"] == "Hello"


async def test_async_stream_with_usage(aclient: AsyncOpenAI, emu: Emulator) -> None:
    stream = await aclient.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("Echo from gpt-4o: ## Instructions\nBe brief.")
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len({c.id for c in chunks}) == 1
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert all(c.usage is None for c in chunks[:-1])


def test_stream_without_usage_has_no_usage_chunk(client: OpenAI) -> None:
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True))
    assert all(c.choices for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_tool_calls_whole_and_streamed_as_openai_sends_them(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies([tool_reply("get_weather", city="Paris")] * 2)
    messages = [{"role": "user", "content": "Weather in Paris?"}]

    whole = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL]
    )
    with client.chat.completions.stream(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL]
    ) as stream:
        events = list(stream)
        final = stream.get_final_completion()

    [call] = whole.choices[0].message.tool_calls
    assert whole.choices[0].finish_reason == "tool_calls"
    assert whole.choices[0].message.content is None
    assert (call.type, call.function.name) == ("function", "get_weather")
    assert json.loads(call.function.arguments) == {"city": "Paris"}
    [streamed] = final.choices[0].message.tool_calls
    assert streamed.function.name == "get_weather"
    assert json.loads(streamed.function.arguments) == {"city": "Paris"}
    assert final.choices[0].finish_reason == "tool_calls"
    done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    assert [e.name for e in done] == ["get_weather"]


def test_a_tool_round_trip(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies([tool_reply("get_weather", city="Paris"), "It is sunny in Paris."])
    messages: list = [{"role": "user", "content": "Weather in Paris?"}]

    first = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL], tool_choice="required"
    )
    call = first.choices[0].message.tool_calls[0]
    messages += [
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "Sunny, 25 C"},
    ]
    second = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL]
    )

    assert second.choices[0].message.content == "It is sunny in Paris."
    prompt = chat_bodies(emu)[1]["promptObject"]["prompt"]
    assert f"[Tool result call_id={call.id} tool=get_weather]\nSunny, 25 C" in prompt


class City(BaseModel):
    name: str
    population: int


def test_parse_with_a_pydantic_model(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies(['```json\n{"name": "Paris", "population": 2100000}\n```'])

    completion = client.chat.completions.parse(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Describe Paris"}],
        response_format=City,
    )

    assert completion.choices[0].message.parsed == City(name="Paris", population=2100000)
    prompt = chat_bodies(emu)[0]["promptObject"]["prompt"]
    assert "## Answer format" in prompt and '"population"' in prompt


def test_beta_parse_and_json_object_mode(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies(['{"name": "Lima", "population": 10000000}', 'Here: {"ok": true}'])
    beta = getattr(getattr(client, "beta", None), "chat", None)
    parse = beta.completions.parse if beta is not None else client.chat.completions.parse

    parsed = parse(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Lima?"}],
        response_format=City,
    )
    json_mode = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "ok?"}],
        response_format={"type": "json_object"},
    )

    assert parsed.choices[0].message.parsed == City(name="Lima", population=10000000)
    assert json.loads(json_mode.choices[0].message.content) == {"ok": True}


def test_stop_sequences(client: OpenAI, emu: Emulator) -> None:
    emu.script_replies(["alpha beta END gamma"])
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stop=["END"])
    assert completion.choices[0].message.content == "alpha beta "


def test_ignored_sampling_parameters_are_accepted(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=HELLO,
        temperature=0.2,
        max_tokens=10,
        seed=7,
        top_p=0.5,
        user="u1",
    )
    assert completion.choices[0].message.content == "Echo from gpt-4o-mini: Hello"


def test_web_search_by_model_suffix_and_extension_field(client: OpenAI, emu: Emulator) -> None:
    online = client.chat.completions.create(model="gpt-4o-mini:online", messages=HELLO)
    client.chat.completions.create(
        model="gpt-4o-mini", messages=HELLO, extra_body={"web_search": True}
    )
    client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)

    searches = [
        b["promptObject"]["settings"]["webSearchSettings"]["webSearch"] for b in chat_bodies(emu)
    ]
    assert searches == [True, True, False]
    assert {b["model"] for b in chat_bodies(emu)} == {"gpt-4o-mini"}
    assert len(online.model_extra["oneminai"]["sources"]) == 3


def test_images_are_uploaded_as_assets(client: OpenAI, emu: Emulator) -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(16)).decode()
    client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}},
                ],
            }
        ],
    )
    assert [r.path for r in emu.requests].count("/api/assets") == 1
    images = chat_bodies(emu)[0]["promptObject"]["attachments"]["images"]
    assert len(images) == 1 and images[0].startswith("images/")


def test_models_list_and_retrieve(client: OpenAI) -> None:
    ids = [m.id for m in client.models.list()]
    assert "gpt-4o-mini" in ids and "gpt-4o-mini:online" in ids
    assert "stable-diffusion-xl-1024-v1-0" in ids  # the default image model
    assert "black-forest-labs/flux-schnell" not in ids  # withdrawn: the service refuses it
    model = client.models.retrieve("gpt-4o-mini")
    assert (model.id, model.object) == ("gpt-4o-mini", "model")
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("no-such-model")


def test_image_generation_url_and_b64(client: OpenAI, emu: Emulator) -> None:
    by_url = client.images.generate(prompt="a fox", size="1024x1024")
    inline = client.images.generate(prompt="a fox", response_format="b64_json")

    assert by_url.data[0].url.startswith(emu.base_url)
    raw = base64.b64decode(inline.data[0].b64_json)
    assert raw.startswith(b"\x89PNG")


def test_image_edit(client: OpenAI, emu: Emulator) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(16)
    edited = client.images.edit(image=("cat.png", png, "image/png"), prompt="make it red")
    assert edited.data[0].url
    edit = [r for r in emu.requests if r.path == "/api/features"][-1].json
    assert edit["type"] == "IMAGE_EDITOR"
    assert edit["promptObject"]["prompt"] == "make it red"


def test_speech_returns_audio_bytes(client: OpenAI, emu: Emulator) -> None:
    audio = client.audio.speech.create(model="tts-1", voice="alloy", input="Hello there")
    data = audio.read()
    assert len(data) > 0
    tts = [r for r in emu.requests if r.path == "/api/features"][-1].json
    assert tts["promptObject"]["text"] == "Hello there"


@pytest.mark.parametrize("fmt", ["json", "text", "srt", "vtt", "verbose_json"])
def test_transcription_formats(client: OpenAI, emu: Emulator, fmt: str) -> None:
    emu.script_replies(["hello world from the recording"])
    result = client.audio.transcriptions.create(
        model="whisper-1",
        file=("speech.mp3", b"ID3" + bytes(64), "audio/mpeg"),
        response_format=fmt,
    )
    text = result if isinstance(result, str) else result.text
    assert "hello world from the recording" in text
    if fmt == "srt":
        assert text.startswith("1\n00:00:00,000 --> 00:00:")
    if fmt == "vtt":
        assert text.startswith("WEBVTT\n\n00:00:00.000 --> ")
    upload = [r for r in emu.requests if r.path == "/api/assets"]
    assert len(upload) == 1


def test_error_types(base_url: str, client: OpenAI, emu: Emulator, sdk) -> None:
    with pytest.raises(openai.AuthenticationError) as bad_key:
        sdk(base_url, "sk-wrong-key").models.list()
    assert bad_key.value.code == "invalid_api_key"
    with pytest.raises(openai.BadRequestError) as n_two:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, n=2)
    assert n_two.value.param == "n"
    with pytest.raises(openai.NotFoundError) as unknown_model:
        client.chat.completions.create(model="no-such-model", messages=HELLO)
    assert unknown_model.value.code == "model_not_found"
    with pytest.raises(openai.NotFoundError) as embeddings:
        client.embeddings.create(model="text-embedding-3-small", input="hi")
    assert "not offered by 1min.AI" in embeddings.value.message
    with pytest.raises(openai.BadRequestError) as bad_role:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "robot", "content": "x"}]
        )
    assert "messages[0].role" in bad_role.value.message


def test_upstream_failures_map_to_openai_statuses(client: OpenAI, emu: Emulator) -> None:
    from oneminai_webapi.testing import Fault

    emu.inject(Fault.rate_limited(retry_after=3))
    with pytest.raises(openai.RateLimitError) as limited:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert limited.value.response.headers["retry-after"] == "3"

    emu.inject(Fault.status(500))
    with pytest.raises(openai.InternalServerError) as broken:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert broken.value.status_code == 502

    emu.credits = 0
    with pytest.raises(openai.APIStatusError) as poor:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert poor.value.status_code == 402 and poor.value.code == "insufficient_quota"


def test_upstream_timeout_is_a_504(make_gateway, emu: Emulator, sdk) -> None:
    from oneminai_webapi.testing import Fault

    gateway = make_gateway(upstream={"timeout": 0.3})
    emu.inject(Fault.stall(1.0))
    client = sdk(gateway.base_url + "/v1", ALICE)
    with pytest.raises(openai.APIStatusError) as slow:
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert slow.value.status_code == 504


def test_mid_stream_failure_is_an_error_event(client: OpenAI, emu: Emulator) -> None:
    from oneminai_webapi.testing import Fault

    emu.inject(Fault.error_after(2, "model overloaded"))
    received = []
    with (
        client.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True) as stream,
        pytest.raises(openai.APIError) as failed,
    ):
        for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received)  # what arrived before the failure was delivered
    assert "stream" in failed.value.message


def test_key_limits(base_url: str, emu: Emulator, sdk) -> None:
    bob = sdk(base_url, BOB)
    with pytest.raises(openai.PermissionDeniedError):
        bob.chat.completions.create(model="gpt-4o", messages=HELLO)
    bob.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # 100 credits
    bob.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # 200
    bob.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # 300 > budget 250
    with pytest.raises(openai.RateLimitError) as quota:
        bob.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert quota.value.code == "insufficient_quota"
    assert len(chat_bodies(emu)) == 3
    ids = [m.id for m in bob.models.list()]
    assert "gpt-4o-mini" in ids and "gpt-4o" not in ids
    with pytest.raises(openai.PermissionDeniedError):  # the default image model is not listed
        bob.images.generate(prompt="a fox")


def test_requests_per_minute(make_gateway, sdk) -> None:
    gateway = make_gateway(keys=[{"name": "carol", "key": "sk-gw-carol-123456", "rpm": 2}])
    carol = sdk(gateway.base_url + "/v1", "sk-gw-carol-123456")
    carol.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    carol.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    with pytest.raises(openai.RateLimitError) as limited:
        carol.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert limited.value.code == "rate_limit_exceeded"
    assert 1 <= int(limited.value.response.headers["retry-after"]) <= 60


def test_pass_through_forwards_the_bearer_token(make_gateway, emu: Emulator, sdk) -> None:
    from .conftest import UPSTREAM_KEY

    gateway = make_gateway(keys=[], pass_through=True, upstream={"api_key": "sk-not-used-here"})
    url = gateway.base_url + "/v1"
    ok = sdk(url, UPSTREAM_KEY)
    assert (
        ok.chat.completions.create(model="gpt-4o-mini", messages=HELLO).choices[0].message.content
    )
    assert emu.requests[-1].headers["api-key"] == UPSTREAM_KEY
    with pytest.raises(openai.AuthenticationError):
        sdk(url, "sk-someone-else").chat.completions.create(model="gpt-4o-mini", messages=HELLO)
