from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feedkit import make_episode, show

from narrate.publish.feed import publish
from narrate.publish.serve import ServeError, create_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real uvicorn server on loopback, serving a published folder; stopped at the end."""
    import uvicorn

    root = tmp_path_factory.mktemp("srv")
    out = root / "output"
    mp3 = make_episode(out, "night-one", seconds=3.0)
    publish([mp3], feed_path=out / "feed.xml", show=show(base_url="http://127.0.0.1:8000/"))
    (root / "secret.txt").write_text("do not serve")
    (out / "link.txt").symlink_to(root / "secret.txt")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(out), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", out
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=5)


def test_head_gives_length_type_and_ranges(served: tuple[str, Path]) -> None:
    base, out = served
    r = httpx.head(f"{base}/night-one.mp3", timeout=5)
    assert r.status_code == 200
    assert int(r.headers["content-length"]) == (out / "night-one.mp3").stat().st_size
    assert r.headers["content-type"] == "audio/mpeg"
    assert r.headers["accept-ranges"] == "bytes"
    assert r.content == b""


def test_middle_and_suffix_ranges_return_the_files_bytes(served: tuple[str, Path]) -> None:
    base, out = served
    data = (out / "night-one.mp3").read_bytes()
    size = len(data)
    r = _get(f"{base}/night-one.mp3", Range="bytes=1000-1999")
    assert r.status_code == 206
    assert r.content == data[1000:2000]
    assert r.headers["content-range"] == f"bytes 1000-1999/{size}"
    r = _get(f"{base}/night-one.mp3", Range="bytes=-500")
    assert r.status_code == 206
    assert r.content == data[-500:]
    assert r.headers["content-range"] == f"bytes {size - 500}-{size - 1}/{size}"


def test_out_of_range_is_416(served: tuple[str, Path]) -> None:
    base, out = served
    size = (out / "night-one.mp3").stat().st_size
    r = _get(f"{base}/night-one.mp3", Range=f"bytes={size + 10}-{size + 20}")
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{size}"


@pytest.mark.parametrize("name, mime", [
    ("feed.xml", "application/rss+xml"), ("night-one.vtt", "text/vtt"),
    ("night-one.srt", "application/x-subrip"), ("night-one.jpg", "image/jpeg"),
    ("", "text/html")])
def test_mime_types(served: tuple[str, Path], name: str, mime: str) -> None:
    base, _ = served
    r = _get(f"{base}/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == mime


def test_show_page_is_served_at_the_root(served: tuple[str, Path]) -> None:
    base, _ = served
    page = _get(base + "/").text
    assert 'src="night-one.mp3"' in page
    assert _get(f"{base}/night-one.mp3").status_code == 200  # the player's link works


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                                  "//etc/passwd", "/link.txt"])
def test_paths_outside_the_folder_are_refused(served: tuple[str, Path], path: str) -> None:
    """Sent raw: httpx would tidy `..` away before it left the client."""
    base, _ = served
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 404), reply[:200]
    assert b"do not serve" not in reply and b"root:" not in reply


def test_create_app_needs_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="not a folder"):
        create_app(tmp_path / "missing")


# ------------------------------------------------------------ only what is published (issue 15)

UNPUBLISHED = (".env", ".git/config", "feed.xml.bak", ".feed.xml.lock", ".night-one.pcm",
               "sub/other.mp3", "draft.mp3", "draft.episode.json", "night-one.episode.json",
               "notes.txt")


@pytest.mark.parametrize("name", UNPUBLISHED)
def test_files_the_feed_does_not_publish_are_not_served(served: tuple[str, Path],
                                                        name: str) -> None:
    base, out = served
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("SECRET=1")
    for method in ("GET", "HEAD"):
        r = httpx.request(method, f"{base}/{name}", timeout=5)
        assert r.status_code == 404, (method, name)
        assert b"SECRET" not in r.content


@pytest.mark.parametrize("name", ["", "index.html", "feed.xml", "night-one.mp3", "night-one.vtt",
                                  "night-one.srt", "night-one.chapters.json", "night-one.jpg",
                                  "cover-placeholder.jpg"])
def test_what_the_feed_and_page_publish_is_served(served: tuple[str, Path], name: str) -> None:
    base, _ = served
    assert _get(f"{base}/{name}").status_code == 200


def test_feed_urls_follow_where_it_is_served(served: tuple[str, Path]) -> None:
    """The feed was published for the default http://127.0.0.1:8000/; served on another port
    (or address) its URLs name where it was fetched from, so an app can download."""
    import feedparser

    base, out = served
    assert "127.0.0.1:8000" in (out / "feed.xml").read_text()
    parsed = feedparser.parse(_get(f"{base}/feed.xml").content)
    urls = [e.enclosures[0].href for e in parsed.entries]
    assert urls == [f"{base}/night-one.mp3"]
    r = _get(f"{base}/feed.xml", Host="studio.local:9999")
    assert "http://studio.local:9999/night-one.mp3" in r.text
    assert "127.0.0.1:8000" not in r.text
    bad = _get(f"{base}/feed.xml", Host='x"><evil a="')
    assert feedparser.parse(bad.content).entries[0].enclosures[0].href.startswith(base)


def test_a_podcast_app_subscribes_and_downloads_from_narrate_serve(tmp_path: Path) -> None:
    """What gPodder does: fetch the feed from `narrate serve --port N` (not 8000), parse it, and
    download the enclosure it names; the bytes are the file on disk."""
    import io
    import os
    import signal
    import subprocess
    import sys

    import feedparser
    import podcastparser

    out = tmp_path / "output"
    mp3 = make_episode(out, "night-one", seconds=3.0)
    publish([mp3], feed_path=out / "feed.xml", show=show(base_url="http://127.0.0.1:8000/"))
    port = _free_port()
    assert port != 8000
    proc = subprocess.Popen([sys.executable, "-m", "narrate", "serve", str(out), "--port",
                             str(port)], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        feed_url = f"http://127.0.0.1:{port}/feed.xml"
        deadline = time.monotonic() + 15
        while True:
            try:
                body = httpx.get(feed_url, timeout=5).content
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "narrate serve did not answer"
                time.sleep(0.1)
        pp = podcastparser.parse(feed_url, io.BytesIO(body))
        fp = feedparser.parse(body)
        url = pp["episodes"][0]["enclosures"][0]["url"]
        assert url == fp.entries[0].enclosures[0].href == f"http://127.0.0.1:{port}/night-one.mp3"
        with httpx.stream("GET", url, timeout=10) as r:
            assert r.status_code == 200
            got = b"".join(r.iter_bytes())
        assert got == mp3.read_bytes()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
