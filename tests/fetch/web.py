"""A real local web for the fetch tests: one threaded HTTP server on 127.0.0.1 that serves
many host names (the fetcher resolves them to 127.0.0.1 through `fetch_resolve`), built from
the real fixtures: ANT corpus items, the real article pages, and the feeds made from them."""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEEDS = FIXTURES / "feeds"
ANT = FIXTURES / "ant"
PAGES = FIXTURES / "pages"
_TAG = re.compile(r"<(URL|SRC|TITLE|TIME|AUTHOR|ABSTRACT|TEXT|DOCNO)>(.*?)</\1>", re.S)
_LINK = re.compile(rb"https?://([a-z0-9.-]+\.[a-z]{2,})(?=/)", re.I)

Handler = Callable[[Request], Response]


@dataclass
class Hit:
    host: str
    path: str
    headers: dict[str, str]
    at: float


def read_ant(path: Path) -> dict[str, str]:
    """One ANT corpus document as {URL, TITLE, TIME, AUTHOR, ABSTRACT, TEXT, DOCNO}."""
    text = path.read_text("utf-8")
    return {tag: value.strip() for tag, value in _TAG.findall(text)}


def ant_page(doc: dict[str, str]) -> str:
    """The ANT item as a minimal article page (the corpus keeps text, not the HTML)."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in doc["TEXT"].splitlines() if p.strip())
    title = html.escape(doc["TITLE"])
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
        f"</article></body></html>"
    )


def real_hosts(data: bytes) -> set[str]:
    return {m.decode().lower() for m in _LINK.findall(data)}


class Site:
    """Routes by (host, path) on one server; every request is logged with its time."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.port = server.port
        self.routes: dict[tuple[str, str], Handler] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server.expect_request(re.compile(".*")).respond_with_handler(self._dispatch)

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, url_or_host: str, handler: Handler, path: str | None = None) -> None:
        host, route = (url_or_host, path) if path else _key(url_or_host)
        self.routes[(host.lower(), unquote(route))] = handler

    def serve(self, url: str, body: bytes | str, content_type="text/html; charset=utf-8",
              status=200, headers: dict | None = None) -> None:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.route(url, lambda _r: Response(data, status, headers, content_type=content_type))

    def localize(self, data: bytes) -> bytes:
        """Real absolute links (https://www.youm7.com/…) → this server (http://www.youm7.com:PORT/…)."""
        return _LINK.sub(lambda m: b"http://%s:%d" % (m.group(1), self.port), data)

    def requests(self, url: str) -> list[Hit]:
        host, path = _key(url)
        return [h for h in self.hits if h.host == host.lower() and h.path == unquote(path)]

    def _dispatch(self, request: Request) -> Response:
        host = request.host.rsplit(":", 1)[0].lower()
        with self._lock:
            self.hits.append(Hit(host, request.path, dict(request.headers), time.monotonic()))
        handler = self.routes.get((host, request.path))
        return handler(request) if handler else Response("not found", 404)


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path or "/"


def serve_fixture_web(site: Site) -> dict[str, str]:
    """Serve the feeds (with ETag / 304), the ten real pages and the ANT items' pages at their
    real URLs (localized to this server); return the host → 127.0.0.1 resolve map."""
    from tests.fetch.build_fixtures import canonical_of

    hosts = {"feeds.marsad.test", "news.marsad.test"}
    for feed in FEEDS.glob("*.xml"):
        data = site.localize(feed.read_bytes())
        hosts |= real_hosts(feed.read_bytes())
        site.route(f"http://feeds.marsad.test/{feed.name}", conditional(data))
    for page in PAGES.glob("*.html"):
        raw = page.read_bytes()
        site.serve(canonical_of(raw.decode("utf-8", "replace")), raw)
    for doc in map(read_ant, ANT.glob("*.txt")):
        site.serve(doc["URL"], ant_page(doc))
    return dict.fromkeys(sorted(hosts), "127.0.0.1")


def conditional(data: bytes | str) -> Handler:
    """A feed answered with an ETag, and 304 when the client sends it back."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    etag = f'"{hash(data) & 0xFFFFFFFF:x}"'

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag}, content_type="application/xml")

    return handler


class RawServer:
    """A bare TCP server on 127.0.0.1 that logs every connection it accepts, whatever is sent.

    With `answer` (bytes, or a function of the request's first bytes) it replies with that; a
    canary, or a server sending what frameworks would not (a malformed Location). Without, it
    never answers: it holds each connection until the client hangs up, `close`, or `hold` s.
    """

    def __init__(self, answer: bytes | Callable[[bytes], bytes] | None = None,
                 hold: float = 30.0) -> None:  # fmt: skip
        self.answer, self.hold = answer, hold
        self.accepted: list[float] = []  # when each connection came
        self.requests: list[bytes] = []  # the first bytes each connection sent
        self.hung_up: list[float] = []  # when a client gave up on a silent connection
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._conns: list[socket.socket] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()
        with self._lock:
            for conn in self._conns:
                conn.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            with self._lock:
                self.accepted.append(time.monotonic())
                self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        try:
            head = conn.recv(65536)
        except OSError:
            head = b""
        with self._lock:
            self.requests.append(head)
        try:
            if self.answer is None:
                self._wait_for_hang_up(conn)
            else:
                reply = self.answer if isinstance(self.answer, bytes) else self.answer(head)
                conn.sendall(reply)
        except OSError:
            pass
        finally:
            conn.close()

    def _wait_for_hang_up(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        until = time.monotonic() + self.hold
        while not self._stop.is_set() and time.monotonic() < until:
            try:
                if conn.recv(65536) == b"":
                    with self._lock:
                        self.hung_up.append(time.monotonic())
                    return
            except TimeoutError:
                continue


CANARY_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ncanary"


def url_first_page(bait: str) -> str:
    """An article page that starts with a URL and has no ASCII space (newlines separate its
    words): htmldate, handed this string, downloads the URL unless the extractor stops it."""
    words = "\n".join(["أعلنت", "الحكومة", "اليوم", "عن", "خطة", "جديدة", "للمياه"] * 40)
    head = "<html><head><title>خطة\nالمياه</title></head>"
    return f"{bait}{head}<body><article><h1>خطة\nالمياه</h1><p>{words}</p></article></body></html>"
