"""`narrate serve`: the feed, the show page and the media over HTTP, as podcast apps need them.

Only what the feed and the show page publish is served: ``feed.xml``, ``index.html``, and the
files the feed links (episodes' MP3s, transcripts, chapters, covers). Everything else in the
folder (``.env``, ``.git/``, ``feed.xml.bak``, the lock, a render's temporary files, unpublished
episodes) answers 404, whatever its name. The list is read from the feed again whenever the
feed changes.

A feed published for the default base URL (``http://127.0.0.1:8000/``, or any address of this
machine) names a host apps elsewhere cannot reach; such a feed is served with its URLs rewritten
to where the request reached the server (its ``Host``), so `narrate serve --host 0.0.0.0 --port
8765` gives a phone on the network a feed it can download from. A feed with a public base URL is
served as written.

Starlette's StaticFiles answers HEAD and byte ranges (206, 416) and refuses paths that leave the
folder (``..``, absolute paths, symlinks out); uvicorn runs it. Both are the ``serve`` extra and
are imported only here, only when used.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrate.errors import FeedError, NarrateError
from narrate.publish.show import FEED_FILE

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


PAGE_FILE = "index.html"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0")
_HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


class Published:
    """The folder's published files (paths relative to it), re-read when the feed changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.feed = folder / FEED_FILE
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._paths: frozenset[str] = frozenset()
        self._base = ""

    def _refresh(self) -> None:
        try:
            st = self.feed.stat()
            seen: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            seen = None
        with self._lock:
            if seen == self._seen and seen is not None:
                return
            self._seen = seen
            self._base, self._paths = "", frozenset()
            if seen is not None:
                try:
                    self._base, self._paths = published_files(self.feed)
                except (FeedError, OSError) as e:
                    _LOGGER.warning("not serving episodes: %s", e)

    def paths(self) -> frozenset[str]:
        self._refresh()
        return self._paths | {FEED_FILE, PAGE_FILE}

    def base(self) -> str:
        self._refresh()
        return self._base


def published_files(feed_path: Path) -> tuple[str, frozenset[str]]:
    """The feed's base URL and the paths (relative to its folder, POSIX) of the files it links
    under that base: enclosures, item and show covers, transcripts, chapters."""
    from urllib.parse import unquote

    from narrate.publish.feed import ATOM, _it, _parse_feed, _pc

    root = _parse_feed(feed_path.read_bytes(), feed_path)
    base = ""
    for link in root.iter(f"{{{ATOM}}}link"):
        if link.get("rel") == "self" and link.get("href"):
            base = link.get("href", "").rsplit("/", 1)[0] + "/"
    urls = [el.get("url", "") for el in root.iter("enclosure")]
    urls += [el.get("href", "") for el in root.iter(_it("image"))]
    urls += [el.text or "" for image in root.iter("image") for el in image.iter("url")]
    urls += [el.get("url", "") for tag in ("transcript", "chapters") for el in root.iter(_pc(tag))]
    paths = set()
    for url in urls:
        url = url.strip()
        if base and url.startswith(base):
            rel = posixpath.normpath(unquote(url[len(base):].split("#")[0].split("?")[0]))
            if rel and not rel.startswith(("../", "/")) and rel != "..":
                paths.add(rel)
    return base, frozenset(paths)


def _local_base(base: str) -> bool:
    from urllib.parse import urlsplit

    return (urlsplit(base).hostname or "") in LOCAL_HOSTS


def create_app(folder: str | Path) -> Starlette:
    """An ASGI app serving what the feed in ``folder`` publishes (index.html at ``/``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ServeError(f"{folder} is not a folder; render or publish into it first")
    try:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import FileResponse, Response
        from starlette.routing import Mount, Route
        from starlette.staticfiles import StaticFiles
        from starlette.types import Scope
    except ImportError as e:
        raise ServeError("serving needs Starlette and uvicorn: pip install 'narrate[serve]'") from e

    published = Published(folder)

    class PodcastFiles(StaticFiles):
        """StaticFiles limited to the published files, with podcast MIME types."""

        def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
            rel = posixpath.normpath(path.replace(os.sep, "/"))
            # "." is the folder itself, looked up only to find index.html in it
            if rel != "." and rel not in published.paths():
                return "", None
            return super().lookup_path(path)

        def file_response(self, full_path: Any, stat_result: os.stat_result, scope: Scope,
                          status_code: int = 200) -> Response:
            response = super().file_response(full_path, stat_result, scope, status_code)
            media_type = MEDIA_TYPES.get(Path(str(full_path)).suffix.lower())
            if media_type and isinstance(response, FileResponse):
                response.headers["content-type"] = media_type
            return response

    async def feed(request: Request) -> Response:
        try:
            data = published.feed.read_bytes()
        except OSError:
            return Response("no feed here yet; publish an episode first\n", status_code=404,
                            media_type="text/plain")
        base = published.base()
        if base and _local_base(base):
            asked = request.headers.get("host", "")
            if not _HOST_HEADER.match(asked):
                # no usable Host: the address this connection reached
                ip, port = request.scope.get("server") or (DEFAULT_HOST, DEFAULT_PORT)
                asked = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
            where = asked
            data = data.replace(base.encode(), f"{request.url.scheme}://{where}/".encode())
        return Response(data, media_type=MEDIA_TYPES[".xml"])

    return Starlette(routes=[Route(f"/{FEED_FILE}", feed, methods=["GET", "HEAD"]),
                             Mount("/", app=PodcastFiles(directory=folder, html=True))])


def serve(folder: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve ``folder`` until interrupted; ``ready(url)`` is called once the folder checks out."""
    app = create_app(folder)
    try:
        import uvicorn
    except ImportError as e:
        raise ServeError("serving needs uvicorn: pip install 'narrate[serve]'") from e
    url = f"http://{_lan_address() if host in ('0.0.0.0', '::') else host}:{port}/"
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


def _lan_address() -> str:
    """This machine's address on its network, for the URL to give apps when listening on every
    interface (a UDP connect sends nothing; it only picks the outgoing interface)."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            return str(s.getsockname()[0])
    except OSError:
        return socket.gethostname()
