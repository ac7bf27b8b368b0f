"""narrate studio: review and fix a script in the browser, hear any line, render the episode.

A local web app (Starlette and uvicorn, the ``serve`` extra) on 127.0.0.1 that edits the same
editable script file as ``narrate script -o`` / ``narrate render --script``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from narrate.pipeline.options import RenderOptions
from narrate.publish.serve import ServeError
from narrate.studio.app import StudioConfig, create_studio_app

__all__ = ["DEFAULT_PORT", "StudioConfig", "create_studio_app", "run_studio"]

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT = 8765
HOST = "127.0.0.1"


def run_studio(path: str | Path, *, port: int = DEFAULT_PORT, out_dir: str | Path = "output",
               options: RenderOptions | None = None, open_browser: bool = True,
               ready: Callable[[str, Path], None] | None = None) -> None:
    """Serve the studio for ``path`` (a story or a script file) on 127.0.0.1 until interrupted.

    ``ready(url, script_file)`` is called once the project is open and the port is bound; the
    browser is opened then unless ``open_browser`` is False."""
    try:
        import uvicorn
    except ImportError as e:
        raise ServeError("the studio needs uvicorn: pip install 'narrate[serve]'") from e
    config = StudioConfig(Path(path), out_dir=Path(out_dir), options=options or RenderOptions())
    app = create_studio_app(config)
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning"))
    url = f"http://{HOST}:{port}/"

    def announce() -> None:
        # uvicorn sets `started` once the socket is bound: only then is the URL worth opening
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if not server.started:
            return
        if ready is not None:
            ready(url, app.state.project.script_path)
        threading.Thread(target=app.state.voicer.warm, args=(app.state.project.script(),),
                         name="narrate-studio-warm", daemon=True).start()
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    threading.Thread(target=announce, name="narrate-studio-ready", daemon=True).start()
    try:
        server.run()
    except OSError as e:
        raise ServeError(f"cannot listen on {HOST}:{port} ({e}); pick another --port") from e
    except SystemExit as e:  # uvicorn exits when it cannot bind (it has logged why)
        raise ServeError(f"cannot listen on {HOST}:{port}; is the port in use? pick another "
                         "--port") from e
    if not server.started:
        raise ServeError(f"cannot listen on {HOST}:{port}; is the port in use? pick another "
                         "--port")
