"""gTTS through its request layer, against a local server that answers like Google's endpoint."""

from __future__ import annotations

import base64
import io
import threading
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote_plus

import numpy as np
import pytest

from narrate.audio.pcm import float_to_int16, run_ffmpeg
from narrate.errors import EngineError, VoiceError
from narrate.voices.engines.gtts import GttsEngine


def _mp3_tone(seconds: float = 0.6) -> bytes:
    t = np.arange(int(24_000 * seconds)) / 24_000
    pcm = float_to_int16((0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)).tobytes()
    return run_ffmpeg(["-f", "s16le", "-ar", "24000", "-ac", "1", "-i", "pipe:0",
                       "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
                      input_bytes=pcm)


MP3 = _mp3_tone()


class FakeGoogle(BaseHTTPRequestHandler):
    """Answers the batchexecute RPC like translate.google.com; ``plan`` scripts failures."""

    plan: ClassVar[list[int]] = []
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.seen.append((self.path, unquote_plus(body)))
        status = self.plan.pop(0) if self.plan else 200
        if status != 200:
            self.send_response(status)
            self.end_headers()
            return
        audio = base64.b64encode(MP3).decode()
        payload = (')]}\'\n\n123\n[["wrb.fr","jQ1olc","[\\"' + audio + '\\"]",null,null,null,'
                   '"generic"]]\n')
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def google() -> Iterator[str]:
    FakeGoogle.plan = []
    FakeGoogle.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_requests_are_built_by_gtts_and_sent_to_our_endpoint(google: str) -> None:
    engine = GttsEngine(endpoint=google)
    audio = engine.synthesize("Hello from the test.", engine.voice("en-gb"))
    assert audio.sample_rate == 24_000
    assert 400 < audio.duration_ms < 900
    path, body = FakeGoogle.seen[0]
    assert path == "/_/TranslateWebserverUi/data/batchexecute"
    assert "Hello from the test" in body and "jQ1olc" in body


def test_transient_errors_are_retried_with_backoff(google: str) -> None:
    assert GttsEngine(endpoint=google).reachable() is None
    FakeGoogle.plan = [503, 429]
    engine = GttsEngine(endpoint=google, backoff_s=0.01)
    assert engine.synthesize("Retry me.", engine.voice("en-us")).duration_ms > 400
    assert len(FakeGoogle.seen) == 3


def test_gives_up_after_the_retries_with_a_clear_error(google: str) -> None:
    FakeGoogle.plan = [503] * 10
    engine = GttsEngine(endpoint=google, retries=2, backoff_s=0.01)
    with pytest.raises(EngineError, match=r"after 3 attempts \(HTTP 503\).*fallback-engine"):
        engine.synthesize("No luck.", engine.voice("en-us"))
    assert len(FakeGoogle.seen) == 3


def test_a_client_error_is_not_retried(google: str) -> None:
    FakeGoogle.plan = [404]
    engine = GttsEngine(endpoint=google, backoff_s=0.01)
    with pytest.raises(EngineError, match="HTTP 404"):
        engine.synthesize("Nope.", engine.voice("en-us"))
    assert len(FakeGoogle.seen) == 1


def test_offline_fails_at_once_with_a_clear_error() -> None:
    engine = GttsEngine(endpoint="http://no-such-host.invalid", backoff_s=5)
    with pytest.raises(EngineError, match=r"needs the internet.*offline.*--fallback-engine"):
        engine.synthesize("Anyone there?", engine.voice("en-us"))
    assert engine.reachable() is not None


def test_refused_connection_is_retried_then_reported() -> None:
    engine = GttsEngine(endpoint="http://127.0.0.1:9", retries=1, backoff_s=0.01)
    with pytest.raises(EngineError, match="cannot connect"):
        engine.synthesize("Anyone there?", engine.voice("en-us"))


def test_a_failed_sample_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrate.voices.voicing import speak_sample

    monkeypatch.setenv("NARRATE_GTTS_ENDPOINT", "http://no-such-host.invalid")
    out = tmp_path / "x.mp3"
    with pytest.raises(EngineError):
        speak_sample("gtts:en-us", out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_sample_through_the_fake_service_is_a_real_mp3(google: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from narrate.voices.engines import base
    from narrate.voices.voicing import speak_sample

    monkeypatch.setenv("NARRATE_GTTS_ENDPOINT", google)
    base._INSTANCES.pop("gtts", None)
    out = speak_sample("gtts:en-au", tmp_path / "s.wav")
    with wave.open(io.BytesIO(out.read_bytes())) as w:
        assert w.getnframes() > 10_000


def test_fallback_engine_replaces_unreachable_online_voices(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from narrate.voices.casting import Cast, with_offline_fallback
    from narrate.voices.engines import base

    caplog.set_level("WARNING")  # an earlier CLI test may have set -q's level on the root
    monkeypatch.setenv("NARRATE_GTTS_ENDPOINT", "http://no-such-host.invalid")
    base._INSTANCES.pop("gtts", None)
    cast = Cast(narrator="gtts:en-gb", roles={"Ann": "kokoro:jf_alpha"})
    fixed = with_offline_fallback(cast, "piper")
    assert fixed.narrator.startswith("piper:")
    assert fixed.roles == {"Ann": "kokoro:jf_alpha"}
    assert "unreachable" in caplog.text
    with pytest.raises(VoiceError, match="not an offline engine"):
        with_offline_fallback(cast, "gtts")


def test_render_with_fallback_engine_continues_offline(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from narrate.cli import cli
    from narrate.voices.casting import load_cast
    from narrate.voices.engines import base

    monkeypatch.setenv("NARRATE_GTTS_ENDPOINT", "http://no-such-host.invalid")
    monkeypatch.setenv("NARRATE_VOICES_DIR", str(tmp_path / "voices"))
    base._INSTANCES.pop("gtts", None)
    story = tmp_path / "s.txt"
    story.write_text("Ann came in.\n\n“Hello,” Ann said.\n", encoding="utf-8")
    args = ["render", "--no-music", str(story), "-o", str(tmp_path / "out"),
            "--voice", "Narrator=gtts:en-gb", "--voice", "Ann=tone:mid"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "needs the internet" in result.output
    assert not (tmp_path / "out" / "s.mp3").exists()
    result = CliRunner().invoke(cli, [*args, "--fallback-engine", "tone"])
    assert result.exit_code == 0, result.output
    assert "unreachable" in result.output and "--fallback-engine" in result.output
    credits = json.loads((tmp_path / "out" / "s.episode.json").read_text())["cast"]
    assert {c["character"]: c["voice"] for c in credits}["Narrator"].startswith("tone:")
    saved = load_cast(tmp_path / "voices" / "narrate.cast.toml")
    assert saved is not None and saved.narrator == "gtts:en-gb"  # the cast keeps its choice
