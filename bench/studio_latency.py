"""Hearing an edited line in `narrate studio`: click to first audio byte, in a real browser.

.venv/bin/python bench/studio_latency.py [STORY] [--trials N]
(default STORY: examples/the-last-train-to-ashford.txt; needs the dev and serve extras and
Debian's chromium, `apt-get install chromium`)

Starts `narrate studio STORY --no-browser` as a user would (its own empty segment cache and
voices folder, so nothing is cached), opens it in chromium, and for each trial edits the words
of a line (a dialogue line: a Kokoro voice; a narration line: Piper's joe), then clicks its play
button and times the click to the first byte of the answer (the WAV is sent whole, so that is
also when the audio can start). The same line clicked again comes from the segment cache. The
first click after start-up may wait for the engines to load (the studio loads them as it starts),
and is reported on its own; --settle S waits S seconds before it, as a person reading the page.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("NARRATE_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def click_to_first_byte(page: Any, row: Any) -> tuple[float, dict[str, str]]:
    started = time.perf_counter()
    with page.expect_response("**/api/line", timeout=120_000) as answer:
        row.locator("button[name=play]").click()
    elapsed = time.perf_counter() - started
    response = answer.value
    if response.status != 200:
        raise SystemExit(f"play failed: {response.status} {response.text()}")
    return elapsed, response.headers


def edit_words(page: Any, row: Any, words: str) -> None:
    pending = page.locator("#pending").text_content()
    row.locator("button[name=edit]").click()
    row.locator("textarea[name=speak]").fill(words)
    row.locator("button[name=apply]").click()
    deadline = time.monotonic() + 20
    while page.locator("#pending").text_content() == pending:
        if time.monotonic() > deadline:
            raise SystemExit("the edit did not register")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", nargs="?", type=Path,
                        default=ROOT / "examples" / "the-last-train-to-ashford.txt")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--settle", type=float, default=0.0, metavar="S",
                        help="wait S seconds after the page is ready before the first click "
                             "(the studio loads the engines meanwhile, as a person reads)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="narrate-studio-bench-"))
    story = work / args.story.name
    shutil.copy(args.story, story)
    port = free_port()
    env = {**os.environ, "NARRATE_CACHE_DIR": str(work / "cache"),
           "NARRATE_VOICES_DIR": str(work / "voices")}
    process = subprocess.Popen([sys.executable, "-m", "narrate", "studio", story.name,
                                "--port", str(port), "--no-browser"], cwd=work, env=env,
                               stderr=subprocess.PIPE, text=True)
    results: dict[str, list[float]] = {}
    voices: dict[str, str] = {}
    try:
        assert process.stderr is not None
        print(process.stderr.readline().strip(), file=sys.stderr)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--mute-audio"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)
            time.sleep(args.settle)
            rows = {
                "dialogue": page.locator("[data-segment]:has(select[name=speaker])"),
                "narration": page.locator("[data-segment][data-kind=narration]"),
            }
            first = True
            for trial in range(args.trials):
                for kind, locator in rows.items():
                    row = locator.nth(trial % locator.count())
                    words = row.locator(".words").text_content() or ""
                    edit_words(page, row, f"{words.strip()} Trial {trial + 1}, {kind}.")
                    row = page.locator(f'[data-segment="{row.get_attribute("data-segment")}"]')
                    took, headers = click_to_first_byte(page, row)
                    assert headers.get("x-narrate-cached") == "0", "an edited line was cached"
                    voices[kind] = headers.get("x-narrate-voice", "?")
                    name = (f"first click, {args.settle:g} s after the page is ready"
                            if first else f"edited {kind} line")
                    first = False
                    results.setdefault(name, []).append(took)
                    again, headers = click_to_first_byte(page, row)
                    assert headers.get("x-narrate-cached") == "1"
                    results.setdefault(f"same {kind} line again (cache)", []).append(again)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"story: {args.story.name}; {args.trials} trials; voices: dialogue "
          f"{voices.get('dialogue')}, narration {voices.get('narration')}; "
          f"{os.cpu_count()} CPUs")
    print("   median      max   click to first audio byte")
    for name, times in results.items():
        print(f"{statistics.median(times):7.2f} s {max(times):7.2f} s   {name} (n={len(times)})")


if __name__ == "__main__":
    main()
