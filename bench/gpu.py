"""Synthesis of a long text on one device: what ``--device cuda`` buys over the CPU.

    python bench/gpu.py BOOK.txt --words 6000 --device cuda --jobs 2
    python bench/gpu.py BOOK.txt --words 6000 --device cpu            # one worker per core

Casts the text as ``narrate render`` does (``--narrator``: the voice that reads it), then
synthesises every chunk into an empty cache through the local worker pool, as a render's
synthesis phase does (the workers start and load their models inside the clock). Mastering and
encoding run on the CPU whatever the device, so they are left out: see docs/performance.md.
Prints one JSON line: wall seconds, seconds of speech, chunks, and speech per wall second.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("text", type=Path)
    parser.add_argument("--words", type=int, default=0, help="the first N words (0: all)")
    parser.add_argument("--skip-words", type=int, default=0, help="start N words in")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: "
                        "one per core)")
    parser.add_argument("--plain-voices", action="store_true",
                        help="drop voice variants (@pitch=...: ffmpeg passes on the CPU)")
    parser.add_argument("--narrator", default=None, help="narrator voice (default: narrate's)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from narrate.audio.cache import SegmentCache
    from narrate.audio.executors import make_executor
    from narrate.audio.render import prefetch
    from narrate.pipeline import RenderOptions, cast_story, script_story
    from narrate.voices.engines.device import resolved_device, set_device

    set_device(args.device)
    words = args.text.read_text(encoding="utf-8").split(" ")[args.skip_words:]
    text = " ".join(words[:args.words] if args.words else words)
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / "chapter.txt"
        story.write_text(text, encoding="utf-8")
        options = RenderOptions(**({"narrator": args.narrator} if args.narrator else {}))
        script, _cast = cast_story(script_story(story), options)
        if args.plain_voices:  # variants are pitch/tempo passes by ffmpeg, on the CPU anyway
            script = replace(script, segments=tuple(
                replace(s, voice=s.voice.split("@")[0]) if s.voice else s
                for s in script.segments))
        cache = SegmentCache(Path(tmp) / "cache")
        started = time.perf_counter()
        with make_executor("local", jobs=args.jobs) as pool:
            list(prefetch([script], cache, executor=pool))
            workers = pool.workers
        wall = time.perf_counter() - started
        audio_s = chunks = 0.0
        for entry in (Path(tmp) / "cache").rglob("*.npy"):
            got = cache.get(entry.stem)
            if got is not None:
                audio_s += len(got[0]) / got[1]
                chunks += 1
    print(json.dumps({"device": resolved_device(), "jobs": workers, "words": len(text.split()),
                      "wall_s": round(wall, 2), "audio_s": round(audio_s, 1),
                      "chunks": int(chunks), "x_realtime": round(audio_s / wall, 1)}),
          flush=True)


if __name__ == "__main__":
    main()
