"""gTTS: Google Translate's text-to-speech, online only.

We let gTTS build its requests (text splitting, RPC packaging) and send them ourselves, so we
control retries, timeouts, where they go (``NARRATE_GTTS_ENDPOINT`` points them at a proxy or a
test server) and what a failure says. Audio comes back as MP3 and is decoded in memory, so a
failed request never leaves a 0-byte file behind.
"""

from __future__ import annotations

import base64
import importlib.util
import logging
import os
import re
import socket
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from narrate.errors import AudioError, EngineError
from narrate.script import Gender
from narrate.voices.engines.base import Engine, Voice

if TYPE_CHECKING:
    from narrate.audio.pcm import Audio

_LOGGER = logging.getLogger(__name__)

SAMPLE_RATE = 24_000  # Hz: gTTS MP3s are 24 kHz mono
ENDPOINT_ENV = "NARRATE_GTTS_ENDPOINT"
RETRIES = 3
"""Extra attempts after the first, on transient failures only."""
BACKOFF_S = 0.5
"""First wait between attempts; doubles each time."""
TIMEOUT_S = 15.0
PROBE_TIMEOUT_S = 2.0
TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
OFFLINE_HINT = ("use an offline voice (see `narrate voices`) or `--fallback-engine piper` to "
                "continue offline")

# voice name -> (Google host tld, BCP 47 accent)
_ACCENTS: dict[str, tuple[str, str]] = {
    "en-us": ("com", "en-US"),
    "en-gb": ("co.uk", "en-GB"),
    "en-au": ("com.au", "en-AU"),
    "en-ca": ("ca", "en-CA"),
    "en-in": ("co.in", "en-IN"),
    "en-ie": ("ie", "en-IE"),
    "en-za": ("co.za", "en-ZA"),
}


class GttsEngine(Engine):
    name = "gtts"
    offline = False

    def __init__(self, *, endpoint: str | None = None, retries: int = RETRIES,
                 backoff_s: float = BACKOFF_S, timeout_s: float = TIMEOUT_S) -> None:
        self.endpoint = endpoint
        self.retries = retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s

    @property
    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"gtts {version('gtts')}"
        except PackageNotFoundError:
            return "missing"

    def availability(self) -> str | None:
        if importlib.util.find_spec("gtts") is None:
            return "not available: needs `pip install gtts`"
        return None

    def voices(self) -> list[Voice]:
        # Google's voice is female in every accent
        return [Voice(id=f"gtts:{n}", engine=self.name, name=n, gender=Gender.FEMALE,
                      language=lang, sample_rate=SAMPLE_RATE, offline=False,
                      description=f"Google Translate voice, translate.google.{tld}")
                for n, (tld, lang) in _ACCENTS.items()]

    def _endpoint(self) -> str | None:
        return self.endpoint or os.environ.get(ENDPOINT_ENV) or None

    def prepared_requests(self, text: str, voice: Voice) -> list[Any]:
        """The HTTP requests gTTS would send for ``text``, aimed at our endpoint if one is set."""
        from gtts import gTTS

        tld, _ = _ACCENTS.get(voice.name, ("com", "en-US"))
        try:
            prepared = gTTS(text, lang="en", tld=tld)._prepare_requests()
        except (AssertionError, ValueError) as e:
            raise EngineError(f"gTTS cannot speak {text[:40]!r}: {e}") from e
        endpoint = self._endpoint()
        if endpoint:
            base = urlsplit(endpoint)
            for pr in prepared:
                url = urlsplit(pr.url)
                path = base.path.rstrip("/") + url.path
                pr.url = urlunsplit((base.scheme, base.netloc, path, url.query, ""))
        return prepared

    def reachable(self) -> str | None:
        """None when the service answers a TCP connection, else why not (no request is sent)."""
        url = urlsplit(self._endpoint() or "https://translate.google.com")
        host = url.hostname or "translate.google.com"
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
                return None
        except OSError as e:
            return f"online only, and {host}:{port} cannot be reached now ({e})"

    def synthesize(self, text: str, voice: Voice, *, speed: float = 1.0) -> Audio:
        from narrate.audio.pcm import Audio, int16_to_float, run_ffmpeg

        mp3 = b"".join(self._send(pr, text) for pr in self.prepared_requests(text, voice))
        if not mp3:
            raise EngineError(f"gTTS returned no audio for {text[:40]!r}")
        tempo = [] if abs(speed - 1.0) < 1e-3 else ["-af", f"atempo={speed:.4f}"]
        try:
            pcm = run_ffmpeg(["-f", "mp3", "-i", "pipe:0", *tempo, "-f", "s16le", "-ac", "1",
                              "-ar", str(SAMPLE_RATE), "-"], input_bytes=mp3)
        except AudioError as e:
            raise EngineError(f"gTTS sent audio ffmpeg cannot decode: {e}") from e
        if not pcm:
            raise EngineError(f"gTTS returned no audio for {text[:40]!r}")
        return Audio(int16_to_float(pcm), SAMPLE_RATE)

    def _send(self, prepared: Any, text: str) -> bytes:
        import requests

        wait = self.backoff_s
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                _LOGGER.info("gTTS: %s; retry %d/%d in %.1f s", problem, attempt, self.retries,
                             wait)
                time.sleep(wait)
                wait *= 2
            try:
                with requests.Session() as session:
                    response = session.send(prepared, timeout=self.timeout_s)
            except requests.ConnectionError as e:
                if _is_name_resolution_failure(e):
                    host = urlsplit(prepared.url).hostname
                    raise EngineError(f"gTTS needs the internet and {host} cannot be resolved "
                                      f"(offline?); {OFFLINE_HINT}") from e
                problem = f"cannot connect to {urlsplit(prepared.url).netloc}"
                continue
            except requests.Timeout:
                problem = f"no answer within {self.timeout_s:.0f} s"
                continue
            except requests.RequestException as e:
                raise EngineError(f"gTTS request failed: {e}") from e
            if response.status_code in TRANSIENT_STATUS:
                problem = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise EngineError(f"gTTS: HTTP {response.status_code} from "
                                  f"{urlsplit(prepared.url).netloc} for {text[:40]!r}")
            return _audio_from(response.text, text)
        raise EngineError(f"gTTS failed after {self.retries + 1} attempts ({problem}); "
                          f"{OFFLINE_HINT}")


def _audio_from(body: str, text: str) -> bytes:
    """Google answers with JSON-in-JS lines; the audio is base64 in the ``jQ1olc`` RPC result."""
    chunks = [base64.b64decode(m.group(1)) for line in body.splitlines() if "jQ1olc" in line
              for m in [_AUDIO.search(line)] if m]
    if not chunks or not any(chunks):
        raise EngineError(f"gTTS answered without audio for {text[:40]!r}")
    return b"".join(chunks)


def _is_name_resolution_failure(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return True
        message = str(current)
        if ("NameResolutionError" in message or "Name or service not known" in message
                or "Temporary failure in name resolution" in message
                or "Failed to resolve" in message):
            return True
        current = current.__cause__ or current.__context__ or (
            current.args[0] if current.args and isinstance(current.args[0], BaseException)
            else None)
    return False
