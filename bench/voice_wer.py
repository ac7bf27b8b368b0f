"""Which voice do listeners understand best? Each candidate speaks every spoken segment of our
own stories (examples/*.txt and seeds), Whisper tiny.en (the `check` extra) transcribes each
segment, and the share of the script's words heard wrong is printed per candidate: the figures
in docs/voices.md that chose the default narrator.

    .venv/bin/python bench/voice_wer.py [--voices kokoro:af_heart,piper:joe] [FILES...]
"""

from __future__ import annotations

import argparse
import glob
import json
import time
from pathlib import Path

from narrate.audio.check import normalize_words, whisper_transcriber, word_errors
from narrate.text import build_script, read_story
from narrate.voices.voicing import speak

CANDIDATES = ("piper:joe", "kokoro:af_heart", "kokoro:bf_emma", "kokoro:am_michael",
              "kokoro:af_bella", "kokoro:bm_george")
DEFAULT_FILES = (*sorted(glob.glob("examples/*.txt")), *sorted(glob.glob("../shared/seeds/003_*")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", default=",".join(CANDIDATES))
    parser.add_argument("--out", default=None, help="append one JSON line per voice here")
    parser.add_argument("files", nargs="*", default=list(DEFAULT_FILES))
    args = parser.parse_args()
    texts = []
    for f in args.files:
        script = build_script(read_story(f), title=Path(f).stem)
        texts += [seg.speak for seg in script.spoken if normalize_words(seg.speak)]
    words = sum(len(normalize_words(t)) for t in texts)
    print(f"{len(args.files)} files, {len(texts)} segments, {words} words", flush=True)
    transcribe = whisper_transcriber()
    for voice in args.voices.split(","):
        errors = 0
        audio_s = synth_s = 0.0
        for text in texts:
            t0 = time.perf_counter()
            audio = speak(voice, text)
            synth_s += time.perf_counter() - t0
            audio_s += audio.duration_ms / 1000
            heard = transcribe(audio.resampled(16_000).samples)
            errors += word_errors(normalize_words(text), normalize_words(heard))[0]
        row = {"voice": voice, "words": words, "errors": errors, "wer": round(errors / words, 4),
               "audio_s": round(audio_s, 1), "synth_s": round(synth_s, 1)}
        print(json.dumps(row), flush=True)
        if args.out:
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
