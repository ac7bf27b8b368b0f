"""Real small podcast files for the publishing tests: MP3s from ffmpeg, covers from Pillow."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from narrate.audio.pcm import ffmpeg_exe
from narrate.audio.timeline import Chapter
from narrate.publish.episode import CastCredit, Episode
from narrate.publish.feed import publish
from narrate.publish.show import ShowConfig

BASE_URL = "https://pod.example.org/stories/"


@cache
def _mp3_bytes(seconds: float, freq: int) -> bytes:
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi",
           "-i", f"sine=frequency={freq}:sample_rate=44100:duration={seconds}", "-ac", "1",
           "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "-"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def cover_jpeg(path: Path, size: tuple[int, int] = (1400, 1400), mode: str = "RGB",
               fmt: str = "JPEG") -> Path:
    from PIL import Image

    Image.new(mode, size, (40, 90, 160) if mode == "RGB" else None).save(path, fmt)
    return path


def make_episode(folder: Path, slug: str, *, seconds: float = 2.0, freq: int = 440,
                 published: str = "2024-05-01T10:00:00Z", guid: str = "",
                 with_json: bool = True, title: str | None = None) -> Path:
    """An MP3 plus (optionally) its episode JSON, cover, VTT, SRT and chapters JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    mp3 = folder / f"{slug}.mp3"
    mp3.write_bytes(_mp3_bytes(seconds, freq))
    if not with_json:
        return mp3
    cover_jpeg(folder / f"{slug}.jpg")
    (folder / f"{slug}.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Narrator>The lamp went out.\n\n"
        "00:00:01.000 --> 00:00:02.000\n<v Mara>Who is there?\n", encoding="utf-8")
    (folder / f"{slug}.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\nThe lamp went out.\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nWho is there?\n", encoding="utf-8")
    (folder / f"{slug}.chapters.json").write_text(json.dumps(
        {"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Start"}]}), encoding="utf-8")
    Episode(slug=slug, title=title or f"Episode {slug}", mp3=mp3.name, duration_s=seconds,
            show="Night Stories", description=f"The story of {slug}.", published=published,
            guid=guid, image=f"{slug}.jpg", vtt=f"{slug}.vtt", srt=f"{slug}.srt",
            chapters_json=f"{slug}.chapters.json",
            chapters=(Chapter("Start", 0, 1000), Chapter("Knock", 1000, int(seconds * 1000))),
            cast=(CastCredit("Narrator", "piper:joe"), CastCredit("Mara", "kokoro:jf_alpha")),
            ).save(folder)
    return mp3


def show(**changes: object) -> ShowConfig:
    values: dict[str, object] = dict(title="Night Stories", author="A. Reader",
                                     description="Short stories read at night.",
                                     base_url=BASE_URL, category="Fiction > Drama")
    values.update(changes)
    return ShowConfig(**values)  # type: ignore[arg-type]


def publish_worker(folder: str, slugs: list[str], start: Any) -> None:
    """One of the concurrent publishers: one publish call per episode, as separate renders do."""
    start.wait(timeout=60)  # all processes begin together, so their publishes really overlap
    for slug in slugs:
        publish([Path(folder) / f"{slug}.mp3"], feed_path=Path(folder) / "feed.xml", show=show())
