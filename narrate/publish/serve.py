"""`narrate serve`: the feed, the show page and the media over HTTP, as podcast apps need them.

Starlette's StaticFiles answers HEAD and byte ranges (206, 416) and refuses paths that leave the
folder (``..``, absolute paths, symlinks out); uvicorn runs it. Both are the ``serve`` extra and
are imported only here, only when used.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrate.errors import NarrateError

if TYPE_CHECKING:
    from starlette.applications import Starlette

_LOGGER = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MEDIA_TYPES = {
    ".xml": "application/rss+xml",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
}
"""By suffix; what the platform's mimetypes table says is used for the rest."""


class ServeError(NarrateError):
    """The server cannot start (missing extra, folder, or port in use)."""


def create_app(folder: str | Path) -> Starlette:
    """An ASGI app serving the files under ``folder`` (index.html at ``/``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ServeError(f"{folder} is not a folder; render or publish into it first")
    try:
        from starlette.applications import Starlette
        from starlette.responses import FileResponse, Response
        from starlette.routing import Mount
        from starlette.staticfiles import StaticFiles
        from starlette.types import Scope
    except ImportError as e:
        raise ServeError("serving needs Starlette and uvicorn: pip install 'narrate[serve]'") from e

    class PodcastFiles(StaticFiles):
        """StaticFiles with podcast MIME types (text/vtt, application/rss+xml...)."""

        def file_response(self, full_path: Any, stat_result: os.stat_result, scope: Scope,
                          status_code: int = 200) -> Response:
            response = super().file_response(full_path, stat_result, scope, status_code)
            media_type = MEDIA_TYPES.get(Path(str(full_path)).suffix.lower())
            if media_type and isinstance(response, FileResponse):
                response.headers["content-type"] = media_type
            return response

    return Starlette(routes=[Mount("/", app=PodcastFiles(directory=folder, html=True))])


def serve(folder: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve ``folder`` until interrupted; ``ready(url)`` is called once the folder checks out."""
    app = create_app(folder)
    try:
        import uvicorn
    except ImportError as e:
        raise ServeError("serving needs uvicorn: pip install 'narrate[serve]'") from e
    url = f"http://{host}:{port}/"
    _LOGGER.info("serving %s on %s", folder, url)
    if ready is not None:
        ready(url)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    try:
        server.run()
    except OSError as e:
        raise ServeError(f"cannot listen on {host}:{port} ({e}); pick another --port") from e
    if not server.started:
        raise ServeError(f"cannot listen on {host}:{port}; is the port in use? pick another "
                         "--port")
