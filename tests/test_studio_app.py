"""The studio's HTTP app: safety (host, token, what is served), views, saving, hearing a line."""

from __future__ import annotations

import io
import socket
import warnings
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette would like httpx2; httpx is what we have
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from narrate.cli import cli
from narrate.pipeline import RenderOptions
from narrate.studio import StudioConfig, create_studio_app, run_studio

CAST = """show = "narrate"
narrator = "piper:joe"

[roles]
"Anna" = "piper:joe@pitch=3"
"Ben" = "piper:joe@pitch=-2"
"""


@pytest.fixture
def studio(short_story: Path, tmp_path: Path) -> Iterator[tuple[TestClient, StudioConfig]]:
    voices = tmp_path / "voices"
    voices.mkdir(exist_ok=True)
    (voices / "narrate.cast.toml").write_text(CAST, encoding="utf-8")
    config = StudioConfig(short_story, out_dir=tmp_path / "out",
                          options=RenderOptions(voices_dir=voices, executor="serial"))
    app = create_studio_app(config)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        yield client, config


def _post(client: TestClient, config: StudioConfig, path: str, data: object) -> object:
    return client.post(path, json=data, headers={"x-studio-token": config.token})


def test_page_carries_the_token_and_safe_headers(studio: tuple[TestClient, StudioConfig]
                                                 ) -> None:
    client, config = studio
    page = client.get("/")
    assert page.status_code == 200
    assert f'content="{config.token}"' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert client.get("/static/studio.js").status_code == 200


def test_other_hosts_are_refused(studio: tuple[TestClient, StudioConfig]) -> None:
    """A site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    client, _ = studio
    assert client.get("/api/state", headers={"host": "evil.example:8765"}).status_code == 400
    assert client.get("/api/state", headers={"host": "localhost:8765"}).status_code == 200


def test_writes_need_the_token_and_our_origin(studio: tuple[TestClient, StudioConfig]) -> None:
    client, config = studio
    before = config.path.with_name("the-kettle.script.txt").read_bytes()
    op = {"operations": [{"op": "pronounce", "word": "Ben", "say": "Benn"}]}
    for headers in ({}, {"x-studio-token": "guess"}):
        r = client.post("/api/save", json=op, headers=headers)
        assert r.status_code == 403 and "token" in r.json()["error"]
    r = client.post("/api/save", json=op, headers={"x-studio-token": config.token,
                                                   "origin": "https://evil.example"})
    assert r.status_code == 403
    for path in ("/api/line", "/api/sample", "/api/render", "/api/view"):
        assert client.post(path, json={}).status_code == 403
    assert config.path.with_name("the-kettle.script.txt").read_bytes() == before


def test_only_the_output_folders_episode_files_are_served(
        studio: tuple[TestClient, StudioConfig]) -> None:
    client, config = studio
    config.out_dir.mkdir(exist_ok=True)
    (config.out_dir / "a.mp3").write_bytes(b"ID3")
    (config.out_dir / "notes.txt").write_text("private")
    assert client.get("/media/a.mp3").status_code == 200
    assert client.get("/media/notes.txt").status_code == 404
    assert client.get("/media/../the-kettle.txt").status_code == 404
    assert client.get("/media/%2e%2e/the-kettle.txt").status_code == 404
    assert client.get("/static/../project.py").status_code == 404


def test_view_shows_unsaved_edits_and_save_writes_them(
        studio: tuple[TestClient, StudioConfig]) -> None:
    client, config = studio
    state = client.get("/api/state").json()
    assert [c["name"] for c in state["characters"]] == ["Ben", "Anna"]
    line = next(s for s in client.get("/api/segments").json()["segments"]
                if s["speak"] == "Not yet,")
    ops = [{"op": "speaker", "segment": line["index"], "speaker": "Ben"}]
    view = _post(client, config, "/api/view",
                 {"operations": ops, "ranges": [[line["index"], line["index"] + 1]]}).json()
    assert view["segments"][0]["speaker"] == "Ben"
    everything = [[0, 100]]
    changed = _post(client, config, "/api/view", {"operations": ops, "ranges": everything,
                                                  "changed_only": True}).json()["segments"]
    assert [v["index"] for v in changed] == [line["index"]]
    assert len(_post(client, config, "/api/view", {"operations": ops, "ranges": everything}
                     ).json()["segments"]) > 5
    assert client.get("/api/segments").json()["segments"][line["index"]]["speaker"] == "Anna"
    saved = _post(client, config, "/api/save", {"operations": ops}).json()
    assert saved["saved"] == 1
    text = Path(saved["state"]["script_file"]).read_text(encoding="utf-8")
    assert f"@{line['index']} dialogue" in text and "[Ben | piper:joe@pitch=-2] Not yet," in text
    bad = _post(client, config, "/api/save", {"operations": [{"op": "speaker", "segment": 0,
                                                              "speaker": "Ben"}]})
    assert bad.status_code == 400 and "not dialogue" in bad.json()["error"]


def _decode(wav: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768, w.getframerate()


def test_a_line_is_spoken_as_edited_then_from_the_cache(
        studio: tuple[TestClient, StudioConfig]) -> None:
    client, config = studio
    line = next(s for s in client.get("/api/segments").json()["segments"]
                if s["speak"] == "Patience, Ben.")
    ops = [{"op": "text", "segment": line["index"], "speak": "Patience, Ben, patience."}]
    first = _post(client, config, "/api/line", {"segment": line["index"], "operations": ops})
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "audio/wav"
    assert first.headers["x-narrate-voice"] == "piper:joe@pitch=3"
    samples, rate = _decode(first.content)
    assert len(samples) / rate > 0.8 and float(np.sqrt(np.mean(samples ** 2))) > 0.01
    again = _post(client, config, "/api/line", {"segment": line["index"], "operations": ops})
    assert again.headers["x-narrate-cached"] == "1" and again.content == first.content
    sample = _post(client, config, "/api/sample", {"voice": "piper:joe"})
    assert sample.status_code == 200 and _decode(sample.content)[0].size > 0
    bad = _post(client, config, "/api/sample", {"voice": "piper:nobody"})
    assert bad.status_code == 400


def test_voices_come_from_the_voices_listing(studio: tuple[TestClient, StudioConfig]) -> None:
    from narrate.voices.casting import voice_statuses

    client, _ = studio
    ids = [v["id"] for v in client.get("/api/voices").json()["voices"]]
    assert ids == [s.id for s in voice_statuses() if s.reason is None and s.voice]
    assert "piper:joe" in ids


def test_cli_reports_a_missing_file_and_a_busy_port(runner, tmp_path: Path,
                                                    short_story: Path) -> None:
    result = runner.invoke(cli, ["studio", str(tmp_path / "nope.txt"), "--no-browser"])
    assert result.exit_code == 1 and "no such file" in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(Exception, match="cannot listen"):
            run_studio(short_story, port=port, out_dir=tmp_path / "out", open_browser=False)


def test_opening_a_story_writes_only_its_script_file(tmp_path: Path) -> None:
    from conftest import SHORT_STORY

    folder = tmp_path / "project"
    folder.mkdir()
    story = folder / "kettle.txt"
    story.write_text(SHORT_STORY, encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    app = create_studio_app(StudioConfig(story, out_dir=folder / "output"))
    assert set(tmp_path.rglob("*")) - before == {folder / "kettle.script.txt"}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/media/kettle.mp3").status_code == 404
        assert client.get("/").status_code == 200
    assert set(tmp_path.rglob("*")) - before == {folder / "kettle.script.txt"}


def test_render_reports_progress_and_the_episode(studio: tuple[TestClient, StudioConfig]
                                                 ) -> None:
    import time

    client, config = studio
    started = _post(client, config, "/api/render", {})
    assert started.status_code == 202 and started.json()["state"] == "running"
    assert _post(client, config, "/api/render", {}).status_code == 409  # one at a time
    seen = []
    deadline = time.monotonic() + 120
    while (status := client.get("/api/render").json())["state"] == "running":
        seen.append(status["phase"])
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert status["state"] == "done", status
    assert status["total"] >= 7 and status["done"] == status["total"]  # 7 spoken lines + titles
    episode = status["episode"]
    assert episode["mp3"].startswith("/media/the-kettle.mp3?v=")
    assert episode["chapters"] and episode["duration_s"] > 3
    media = client.get(episode["mp3"])
    assert media.status_code == 200 and media.headers["content-type"] == "audio/mpeg"
    assert media.content == (config.out_dir / "the-kettle.mp3").read_bytes()
    vtt = client.get(episode["vtt"])
    assert "WEBVTT" in vtt.text and vtt.headers["content-type"].startswith("text/vtt")
    assert seen and seen[0] in ("preparing", "synthesising")
