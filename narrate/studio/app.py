"""The studio's web app: the page, a small JSON API, and the output folder's media.

Safe by default: it answers only requests addressed to 127.0.0.1 or localhost (a page on another
site that re-points its own name at 127.0.0.1 is refused), every write carries the session's
token in a header (another page cannot read the token, and cannot send that header across sites
without a preflight this app never grants), and it serves only its own page files and the
project's output folder.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrate.errors import NarrateError
from narrate.pipeline.options import RenderOptions
from narrate.publish.serve import MEDIA_TYPES, ServeError
from narrate.studio.audio import RenderJob, Voicer
from narrate.studio.project import Project

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["StudioConfig", "create_studio_app"]

_LOGGER = logging.getLogger(__name__)

TOKEN_HEADER = "x-studio-token"
MAX_BODY = 8 * 1024 * 1024
"""Bytes a request may post: a whole session of edits to a novel fits many times over."""
LOCAL_HOSTS = ("127.0.0.1", "localhost")
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; media-src 'self' blob:; img-src 'self' data:;"
                               " style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
MEDIA_SUFFIXES = (".mp3", ".vtt", ".srt", ".jpg", ".json")


@dataclass
class StudioConfig:
    """What a studio app works on and how it renders."""

    path: Path
    """A story file, or an editable script file."""
    out_dir: Path = Path("output")
    options: RenderOptions = field(default_factory=RenderOptions)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS


def _static_dir() -> Path:
    return Path(str(files("narrate.studio") / "static"))


def create_studio_app(config: StudioConfig) -> Starlette:
    """The studio as an ASGI app (see `run_studio` to serve it)."""
    try:
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        from starlette.requests import Request  # noqa: F401 - used in annotations below
        from starlette.responses import HTMLResponse, JSONResponse, Response
        from starlette.routing import Mount, Route
        from starlette.staticfiles import StaticFiles
    except ImportError as e:
        raise ServeError("the studio needs Starlette and uvicorn: pip install "
                         "'narrate[serve]'") from e

    options = config.options
    project = Project.open(config.path, out_dir=config.out_dir, show=options.show,
                           voices_dir=options.voices_dir,
                           narrator=options.narrator if options.narrator else None)
    voicer = Voicer(options, stem=project.script_path.name.split(".")[0])
    job = RenderJob(options)
    page = (_static_dir() / "index.html").read_text(encoding="utf-8")
    voices_cache: list[dict[str, Any]] = []

    def error(message: str, status: int = 400) -> Response:
        return JSONResponse({"error": message}, status_code=status)

    async def body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise NarrateError(f"request over {MAX_BODY // (1024 * 1024)} MB")
        try:
            data = json.loads(raw or b"{}")
        except json.JSONDecodeError as e:
            raise NarrateError(f"request is not JSON: {e}") from e
        if not isinstance(data, dict):
            raise NarrateError("request must be a JSON object")
        return data

    def operations(data: dict[str, Any]) -> list[Any]:
        ops = data.get("operations") or []
        if not isinstance(ops, list):
            raise NarrateError("operations must be a list")
        return ops

    Handler = Callable[[Any], Awaitable[Any]]

    def write(handler: Handler) -> Handler:
        """A handler that changes something: the session's token or 403."""

        async def checked(request: Request) -> Response:
            given = request.headers.get(TOKEN_HEADER, "")
            if not secrets.compare_digest(given.encode(), config.token.encode()):
                return error("missing or wrong studio token: reload the studio page", 403)
            origin = request.headers.get("origin")
            if origin and origin.split("://", 1)[-1].split(":")[0] not in config.allowed_hosts:
                return error(f"requests from {origin} are not accepted", 403)
            try:
                result: Response = await handler(request)
            except NarrateError as e:
                return error(str(e))
            return result

        return checked

    def read(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def checked(request: Request) -> Response:
            try:
                result: Response = handler(request)
            except NarrateError as e:
                return error(str(e))
            return result

        return checked

    def index(request: Request) -> Response:
        title = project.script().title or project.script_path.name
        return HTMLResponse(page.replace("{{token}}", config.token)
                            .replace("{{title}}", _escape(title)))

    @read
    def state(request: Request) -> Response:
        return JSONResponse(project.state())

    @read
    def segments(request: Request) -> Response:
        try:
            first = int(request.query_params.get("first", 0))
            end = int(request.query_params.get("end", first + 200))
        except ValueError:
            return error("first and end must be numbers")
        doubtful = request.query_params.get("doubtful") in ("1", "true")
        if doubtful:
            first, end = 0, len(project.script().segments)
        return JSONResponse({"version": project.version,
                             "segments": project.segments(first, end, doubtful_only=doubtful)})

    @read
    def voices(request: Request) -> Response:
        if not voices_cache:
            # the same library call as `narrate voices`: new engines' voices appear here too
            from narrate.voices.casting import voice_statuses

            for s in voice_statuses(probe=False):
                if s.reason is None and s.voice is not None:
                    v = s.voice
                    voices_cache.append({"id": s.id, "engine": v.engine,
                                         "gender": v.gender.value, "language": v.language,
                                         "offline": v.offline, "description": v.description})
        return JSONResponse({"voices": voices_cache})

    @write
    async def view(request: Request) -> Response:
        """State and segments as they would be with the page's unsaved operations."""
        data = await body(request)
        ops = operations(data)
        from starlette.concurrency import run_in_threadpool

        def views() -> dict[str, Any]:
            script = project.edited(ops) if ops else project.script()
            doubtful = bool(data.get("doubtful"))
            ranges = [(0, len(script.segments))] if doubtful else data.get("ranges") or []
            found: list[dict[str, Any]] = []
            # after an edit the page asks only for the lines that differ from the file: a whole
            # book scrolled through is not sent (and redrawn) again for each change
            changed_only = bool(data.get("changed_only")) and not doubtful and bool(ops)
            for pair in ranges[:1000]:
                try:
                    first, end = int(pair[0]), int(pair[1])
                except (TypeError, ValueError, IndexError) as e:
                    raise NarrateError(f"bad range {pair!r}") from e
                views = project.segments(first, end, doubtful_only=doubtful, script=script)
                if changed_only:
                    saved = project.segments(first, end)
                    views = [v for v, old in zip(views, saved, strict=True) if v != old]
                found += views
            return {"state": project.state(script), "segments": found}

        return JSONResponse(await run_in_threadpool(views))

    @write
    async def save(request: Request) -> Response:
        data = await body(request)
        ops = operations(data)
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(project.save, ops)
        return JSONResponse({"saved": len(ops), "state": project.state()})

    @write
    async def line(request: Request) -> Response:
        data = await body(request)
        ops = operations(data)
        try:
            index = int(data.get("segment"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return error("segment must be a number")
        from starlette.concurrency import run_in_threadpool

        def speak() -> tuple[bytes, dict[str, Any]]:
            return voicer.line(project.edited(ops), index)

        wav, info = await run_in_threadpool(speak)
        return _wav_response(Response, wav, info)

    @write
    async def sample(request: Request) -> Response:
        data = await body(request)
        voice = str(data.get("voice") or "")
        if not voice:
            return error("which voice? (voice is empty)")
        text = data.get("text")
        from starlette.concurrency import run_in_threadpool

        wav, info = await run_in_threadpool(voicer.sample, voice,
                                            str(text) if text else None)
        return _wav_response(Response, wav, info)

    @write
    async def render(request: Request) -> Response:
        project.script()  # a broken file is reported now, not from the thread
        if not job.start(project.script_path, project.out_dir):
            return error("a render is already running", 409)
        return JSONResponse(job.status(), status_code=202)

    @read
    def render_status(request: Request) -> Response:
        return JSONResponse(job.status())

    class MediaFiles(StaticFiles):
        """The output folder's episode files, and nothing else of it."""

        async def check_config(self) -> None:
            # no output folder until the first render: a 404, not a server error
            if Path(str(self.directory)).is_dir():
                await super().check_config()

        async def get_response(self, path: str, scope: Any) -> Response:
            if not path.lower().endswith(MEDIA_SUFFIXES):
                return error("not an episode file", 404)
            return await super().get_response(path, scope)

        def file_response(self, full_path: Any, stat_result: Any, scope: Any,
                          status_code: int = 200) -> Response:
            response: Response = super().file_response(full_path, stat_result, scope,
                                                       status_code)
            media_type = MEDIA_TYPES.get(Path(str(full_path)).suffix.lower())
            if media_type:  # as `narrate serve` gives them (text/vtt...)
                response.headers["content-type"] = media_type
            return response

    async def headers(request: Request, call_next: Callable[[Any], Awaitable[Response]]
                      ) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            if key == "cache-control" and request.url.path.startswith("/media/"):
                continue  # the episode may be sought in; its URL changes when it changes
            response.headers.setdefault(key, value)
        return response

    from starlette.middleware.base import BaseHTTPMiddleware

    routes = [
        Route("/", index),
        Route("/api/state", state),
        Route("/api/segments", segments),
        Route("/api/voices", voices),
        Route("/api/view", view, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/line", line, methods=["POST"]),
        Route("/api/sample", sample, methods=["POST"]),
        Route("/api/render", render, methods=["POST"]),
        Route("/api/render", render_status, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=_static_dir()), name="static"),
        Mount("/media", app=MediaFiles(directory=config.out_dir, check_dir=False),
              name="media"),
    ]
    app = Starlette(routes=routes, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts)),
        Middleware(BaseHTTPMiddleware, dispatch=headers)])
    app.state.project = project
    app.state.voicer = voicer
    app.state.render_job = job
    app.state.config = config
    return app


def _wav_response(response_class: Any, wav: bytes, info: dict[str, Any]) -> Response:
    response: Response = response_class(wav, media_type="audio/wav")
    response.headers["x-narrate-voice"] = info["voice"]
    response.headers["x-narrate-cached"] = "1" if info["cached"] else "0"
    response.headers["x-narrate-synthesis-ms"] = str(info["synthesis_ms"])
    return response


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
