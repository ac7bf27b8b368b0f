"""The studio in a real browser: Playwright driving Debian's chromium (``apt-get install
chromium``; the browsers ``playwright install`` downloads are not reachable here).

Set NARRATE_STUDIO_SCREENSHOTS=docs/images to refresh the screenshots in docs/studio.md.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = os.environ.get("NARRATE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
CAST = """show = "narrate"
narrator = "piper:joe"

[roles]
"Anna" = "piper:joe@pitch=3"
"Ben" = "piper:joe@pitch=-2"
"""

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev "
                                                               "extra)")
pytest.importorskip("uvicorn", reason="the studio needs the serve extra")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from narrate.pipeline import RenderOptions  # noqa: E402
from narrate.studio import StudioConfig, create_studio_app  # noqa: E402

expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"])
        except Exception as e:  # a chromium that cannot start here (libraries, sandbox)
            pytest.skip(f"chromium at {CHROMIUM} does not start: {e}")
        yield launched
        launched.close()


def _serve(config: StudioConfig) -> Iterator[str]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_studio_app(config), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "studio did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def kettle(short_story: Path, tmp_path: Path) -> Iterator[tuple[str, StudioConfig]]:
    """The studio on a short story whose cast is all Piper (fast to speak and render)."""
    voices = tmp_path / "voices"
    voices.mkdir(exist_ok=True)
    (voices / "narrate.cast.toml").write_text(CAST, encoding="utf-8")
    config = StudioConfig(short_story, out_dir=tmp_path / "out",
                          options=RenderOptions(voices_dir=voices, executor="serial"))
    for url in _serve(config):
        yield url, config


def _open(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    return page


def _screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("NARRATE_STUDIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def _wait_for_duration(page: Any, selector: str, seconds: float) -> None:
    """Until the page's audio element has loaded at least ``seconds`` of audio (polled from
    here: the page's policy forbids the eval that wait_for_function uses)."""
    deadline = time.monotonic() + 20
    while True:
        duration = page.locator(selector).evaluate("a => a.duration || 0")
        if duration > seconds:
            return
        assert time.monotonic() < deadline, f"{selector} has {duration} s of audio"
        time.sleep(0.1)


def _segment(page: Any, words: str) -> Any:
    return page.locator("[data-segment]", has_text=words).first


def test_change_speaker_voice_pronunciation_and_words_save_and_reload(
        browser: Any, kettle: tuple[str, StudioConfig]) -> None:
    url, config = kettle
    page = _open(browser, url)
    not_yet = _segment(page, "Not yet,")
    index = not_yet.get_attribute("data-segment")
    speaker = not_yet.locator("select[name=speaker]")
    assert speaker.input_value() == "Anna"
    assert "Ben" in speaker.locator("option").evaluate_all("os => os.map(o => o.value)")
    speaker.select_option("Ben")
    expect(page.locator("#pending")).to_have_text("1 unsaved change")
    page.locator('.character[data-character="Anna"] select[name=voice]').select_option(
        "piper:joe")
    expect(page.locator("#pending")).to_have_text("2 unsaved changes")
    page.fill("input[name=pronounce-word]", "Patience")
    page.fill("input[name=pronounce-say]", "PAY-shunce")
    page.locator("#add-pronunciation button").click()
    expect(page.locator("#pending")).to_have_text("3 unsaved changes")
    kettle_line = _segment(page, "filled the kettle")
    kettle_line.locator("button[name=edit]").click()
    kettle_line.locator("textarea[name=speak]").fill("Anna filled the old kettle.")
    kettle_line.locator("button[name=apply]").click()
    expect(page.locator("#pending")).to_have_text("4 unsaved changes")
    expect(page.locator(f'[data-segment="{index}"]')).to_have_class(re.compile("changed"))

    page.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_contain_text("Saved 4 changes")
    text = config.path.with_name("the-kettle.script.txt").read_text(encoding="utf-8")
    # (a line may carry its attribution's confidence before the speaker: "(0.85 continued)")
    assert re.search(rf"^@{index} dialogue \d+-\d+ \[Ben \| piper:joe@pitch=-2\] Not yet,$",
                     text, re.M)
    assert re.search(r"^@\d+ dialogue \d+-\d+ (\([^)]*\) )?\[Anna \| piper:joe\] Patience, Ben\.$",
                     text, re.M)
    assert "\n# pronounce: Patience = PAY-shunce\n" in text
    assert "[Narrator | piper:joe] Anna filled the old kettle." in text

    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator(f'[data-segment="{index}"] select[name=speaker]').input_value() == "Ben"
    assert page.locator('.character[data-character="Anna"] select[name=voice]'
                        ).input_value() == "piper:joe"
    expect(page.locator('#pronunciations li[data-word="Patience"]')).to_contain_text("PAY-shunce")
    expect(_segment(page, "old kettle")).to_be_visible()
    expect(page.locator("#pending")).to_have_text("")
    assert not page.errors


def _decode_wav(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as w:
        frames = w.readframes(w.getnframes())
        return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768, w.getframerate()


def test_play_a_line_gets_its_speech(browser: Any, kettle: tuple[str, StudioConfig]) -> None:
    url, _ = kettle
    page = _open(browser, url)
    line = _segment(page, "Is it ready yet?")
    arrived: list[tuple[dict[str, str], bytes]] = []

    def keep(route: Any) -> None:
        # what the server sent is what the page gets: fetched here, handed on unchanged
        answer = route.fetch()
        arrived.append((answer.headers, answer.body()))
        route.fulfill(response=answer)

    page.route("**/api/line", keep)
    line.locator("button[name=play]").click()
    _wait_for_duration(page, "#line-audio", 0.5)
    headers, body = arrived[0]
    assert headers["content-type"] == "audio/wav"
    assert headers["x-narrate-voice"] == "piper:joe@pitch=-2"
    samples, rate = _decode_wav(body)
    seconds = len(samples) / rate
    assert 0.5 < seconds < 5, seconds  # "Is it ready yet?" spoken, not a whole episode
    assert float(np.sqrt(np.mean(samples ** 2))) > 0.02  # speech, not silence
    expect(page.locator("#status")).to_contain_text("piper:joe@pitch=-2")
    line.locator("button[name=play]").click()
    expect(page.locator("#status")).to_contain_text("from the cache")
    assert arrived[1][0]["x-narrate-cached"] == "1" and arrived[1][1] == body
    # a voice's sample, from the cast list
    narrator = page.locator('.character[data-character="Narrator"]')
    narrator.locator("button[name=preview]").click()
    expect(page.locator("#status")).to_have_text("piper:joe: sample", timeout=20_000)
    # rename a character: every line of theirs follows (unsaved)
    page.locator('.character[data-character="Ben"] button[name=rename]').click()
    page.fill("input[name=rename-to]", "Benjamin")
    page.locator("input[name=rename-to]").press("Enter")
    expect(line.locator("select[name=speaker]")).to_have_value("Benjamin")
    expect(page.locator("#pending")).to_have_text("1 unsaved change")
    assert not page.errors


def test_render_shows_progress_then_plays_the_episode(
        browser: Any, kettle: tuple[str, StudioConfig]) -> None:
    from narrate.audio.pcm import decode

    url, config = kettle
    page = _open(browser, url)
    page.locator("#render").click()
    expect(page.locator("#render-progress")).to_be_visible()
    expect(page.locator("#episode")).to_be_visible(timeout=90_000)
    mp3 = config.out_dir / "the-kettle.mp3"
    audio = decode(mp3)
    assert audio.duration_ms > 3000
    assert float(np.sqrt(np.mean(audio.samples ** 2))) > 0.01
    src = page.locator("#episode-audio").get_attribute("src")
    assert src and src.startswith("/media/the-kettle.mp3")
    _wait_for_duration(page, "#episode-audio", 3)
    expect(page.locator("#chapters li").first).to_be_visible()
    expect(page.locator("#transcript p", has_text="Is it ready yet?")).to_be_visible()
    assert page.locator("#render-progress").get_attribute("value") == "1"
    page.locator("#transcript p").nth(3).click()  # seeks there: the cue is highlighted
    page.locator("#episode-heading").scroll_into_view_if_needed()
    _screenshot(page, "studio-episode.png")
    assert not page.errors


def test_acceptance_the_example_story_from_the_command_line(
        browser: Any, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """``narrate studio examples/the-last-train-to-ashford.txt --port N --no-browser``: every
    spoken segment is on the page, a dialogue line's new speaker is saved and kept on reload."""
    if os.environ.get("NARRATE_STUDIO_SCREENSHOTS"):
        request.getfixturevalue("english_voices")  # the docs show the voices users get
    story = tmp_path / "the-last-train-to-ashford.txt"
    shutil.copy(ROOT / "examples" / story.name, story)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "narrate", "studio", story.name,
                                "--port", str(port), "--no-browser"], cwd=tmp_path,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        import select

        ready, _, _ = select.select([process.stderr], [], [], 120)
        assert ready, "narrate studio printed no URL in 120 s"
        line = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        page = _open(browser, f"http://127.0.0.1:{port}/")
        from narrate.text.script_file import load_script

        script_file = tmp_path / "the-last-train-to-ashford.script.txt"
        script = load_script(script_file)
        spoken = [i for i, s in enumerate(script.segments) if s.spoken]
        shown = page.locator("[data-segment]").evaluate_all(
            "rows => rows.map(r => Number(r.dataset.segment))")
        assert set(spoken) <= set(shown)
        dialogue = page.locator("[data-segment]:has(select[name=speaker])")
        assert dialogue.count() == sum(1 for s in script.segments if s.kind.value == "dialogue")
        row = _segment(page, "A rumour")
        index = row.get_attribute("data-segment")
        select = row.locator("select[name=speaker]")
        other = next(n for n in select.locator("option").evaluate_all(
            "os => os.map(o => o.value)") if n not in (select.input_value(), "Narrator"))
        select.select_option(other)
        expect(page.locator("#pending")).to_have_text("1 unsaved change")
        page.locator(f'[data-segment="{index}"]').scroll_into_view_if_needed()
        _screenshot(page, "studio.png")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#status")).to_contain_text("Saved 1 change")
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        kept = page.locator(f'[data-segment="{index}"] select[name=speaker]')
        assert kept.input_value() == other
        assert load_script(script_file).segments[int(index)].speaker == other
        assert not page.errors
    finally:
        process.terminate()
        process.wait(timeout=10)


def _long_story(chapters: int) -> str:
    parts = ["The Long Night\n"]
    for n in range(1, chapters + 1):
        parts.append(f"\nChapter {n}\n")
        for k in range(8):
            parts.append(f"\nThe wind rose over the moor for the {k + 1}th time that night.\n")
            parts.append("\n“Close the shutters, Tom,” said Mary. “I doubt it will hold.”\n"
                         if k % 2 else
                         "\n“The lamp is low,” Tom said. “Fetch the oil, Mary.”\n")
    return "".join(parts)


def test_a_long_script_loads_by_chapter_and_filters_doubtful_lines(
        browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A book's segments are fetched a chapter at a time as the page scrolls; the doubtful
    filter shows only lines whose attribution confidence is low."""
    from narrate.script import SegmentKind
    from narrate.studio.project import Project

    def confidence(self: Project, seg: Any) -> float | None:
        # stands in for attribution's scores until the script carries them
        if seg.kind is not SegmentKind.DIALOGUE:
            return None
        return 0.2 if "doubt" in seg.text else 0.9

    monkeypatch.setattr(Project, "confidence", confidence)
    story = tmp_path / "long-night.txt"
    story.write_text(_long_story(30), encoding="utf-8")
    config = StudioConfig(story, out_dir=tmp_path / "out",
                          options=RenderOptions(voices_dir=tmp_path / "voices"))
    for url in _serve(config):
        page = _open(browser, url)
        total = sum(1 for s in config_script(config).segments if s.kind is not SegmentKind.SPACE)
        assert total > 400
        shown = page.locator("[data-segment]").count()
        assert 0 < shown < total, (shown, total)  # only the chapters near the top
        last = page.locator(".part").last
        last.scroll_into_view_if_needed()
        expect(last.locator("[data-segment]").first).to_be_visible(timeout=10_000)
        # the doubtful filter: exactly Mary's "I doubt it will hold" lines
        doubtful = page.locator("#doubtful-only")
        expect(doubtful).to_be_enabled()
        expect(page.locator("#doubtful-count")).to_have_text("(120)")
        doubtful.check()
        expect(page.locator('[data-part="doubtful"] [data-segment]')).to_have_count(120)
        assert all("doubt" in t for t in page.locator(".seg .words").all_text_contents())
        expect(page.locator(".seg .flag").first).to_contain_text("20%")
        _screenshot(page, "studio-doubtful.png")
        # back among its neighbours, in its chapter
        row = page.locator('[data-part="doubtful"] [data-segment]').nth(100)
        index = row.get_attribute("data-segment")
        row.locator("button[name=context]").click()
        expect(doubtful).not_to_be_checked()
        expect(page.locator(f'[data-segment="{index}"]')).to_be_in_viewport()
        expect(page.locator(f'[data-segment="{int(index) - 1}"]')).to_be_visible()
        assert not page.errors


def config_script(config: StudioConfig) -> Any:
    from narrate.text.script_file import load_script

    return load_script(config.path.with_name(config.path.stem + ".script.txt"))
