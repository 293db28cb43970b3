"""Issue 12 #6 through both clients: sources where live records carry them."""

from __future__ import annotations

from oneminai_webapi.types import Source

from .conftest import call, collect


async def test_web_search_sources_are_typed(client, emu):
    answer = await call(client.chat("Mars news", web_search=True, num_of_site=4))
    assert len(answer.sources) == 4 and all(isinstance(s, Source) for s in answer.sources)
    first = answer.sources[0]
    assert first.url.startswith("https://example.com/search/1") and first.title and first.snippet
    assert first["url"] == first.url  # the earlier dict access still works


async def test_a_stream_has_its_sources_on_the_final_chunk(client, emu):
    drained = await collect(client.chat("Mars news", web_search=True, stream=True))
    assert len(drained.final.sources) == 3
    assert all(c.sources == [] for c in drained.chunks if not c.is_final)


async def test_links_in_the_prompt_are_sources_too(client, emu):
    answer = await call(client.chat("Summarise https://example.org/post please"))
    assert [s.url for s in answer.sources] == ["https://example.org/post"]


async def test_no_web_search_no_sources(client, emu):
    assert (await call(client.chat("Hello"))).sources == []
