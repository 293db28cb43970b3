"""Media: an image, speech and its transcript, an edited image, and a video.

Run it with:

    uv run python examples/media.py              # files go to a temporary directory
    uv run python examples/media.py --out media  # keep the files in ./media

Without ``ONEMINAI_API_KEY`` the script starts a local emulator of 1min.AI, which returns
small placeholder files; set ``ONEMINAI_API_KEY`` (and optionally ``ONEMINAI_BASE_URL``) to
use the real service. Every call uses the feature's default model. On the real service these
calls cost credits, and the video takes a few minutes.

Every media method returns an output object whose ``save(directory)`` downloads the file
(awaited with the async client). File arguments accept a URL, an asset key, or a local path,
which is uploaded first.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from oneminai_webapi import JobProgress, OneMinAIClient
from oneminai_webapi.testing import Target, live_or_emulator


def show_progress(progress: JobProgress) -> None:
    """Called after every status check of a long-running job (video, music)."""
    print(f"  … {progress.status} after {progress.elapsed_s:.1f} s ({progress.polls} polls)")


def describe(path: Path) -> str:
    return f"{path.name} ({path.stat().st_size} bytes)"


async def make_media(target: Target, out: Path) -> None:
    async with OneMinAIClient(target.api_key, base_url=target.base_url) as client:
        # 1. Text to image. `image.images` lists every image; `image.image` is the first.
        image = await client.generate_image("a lighthouse at dusk, watercolour")
        print(f"image model: {image.model}, {len(image.images)} image(s)")
        assert image.image is not None, "the service returned no image"
        image_path = await image.image.save(out)
        print(f"saved image: {describe(image_path)}")

        # 2. Text to speech, saved as an mp3 file.
        speech = await client.text_to_speech("The lighthouse keeper waves hello.")
        audio_path = await speech.save(out)
        print(f"saved speech: {describe(audio_path)}")

        # 3. Speech to text on the file we just saved: a local path is uploaded first.
        transcript = await client.speech_to_text(audio_path)
        print(f"transcript: {transcript.text}")

        # 4. Edit the saved image (uploaded too) following an instruction.
        edited = await client.edit_image(image_path, "add a full moon above the lighthouse")
        assert edited.image is not None, "the service returned no edited image"
        edited_path = await edited.image.save(out, filename="lighthouse-moon")
        print(f"saved edited image: {describe(edited_path)}")

        # 5. Text to video: a long-running job. The client polls until it is done and
        #    reports each status check to `on_progress`.
        print("video: started")
        video = await client.generate_video(
            "waves rolling onto a beach at sunrise", on_progress=show_progress
        )
        video_path = await video.save(out)
        print(f"saved video: {describe(video_path)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the files in this directory")
    args = parser.parse_args()

    with live_or_emulator() as target:
        print(f"target: {target.description}")
        if args.out is not None:
            asyncio.run(make_media(target, args.out))
            print(f"files kept in {args.out}")
        else:
            with tempfile.TemporaryDirectory(prefix="oneminai-media-") as tmp:
                asyncio.run(make_media(target, Path(tmp)))
            print("the temporary files were removed (use --out DIR to keep them)")


if __name__ == "__main__":
    main()
