"""A real HTTP server on loopback for tests and benchmarks, reachable through safe_http.

    with loopback_server() as server:
        server.route("/feed.xml", body=b"<rss …>", headers={"ETag": '"v1"'})
        fetch(server.url("/feed.xml"))

Routes answer fixed responses or run a function with the request handler, for the hostile
servers of the tests (bombs, drips, endless bodies). Every request is recorded.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pressdesk.lib.safe_http.addresses import allow_hosts_for_tests

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Recorded:
    """One request the server received."""

    path: str
    headers: dict[str, str]


@dataclass
class LoopbackServer:
    """The running server: its routes, what it received, and URLs to reach it."""

    port: int = 0
    scheme: str = "http"
    host: str = "127.0.0.1"
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        """The URL of a path on this server."""
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
    ) -> None:
        """Answer a fixed response on a path; with etag, answer 304 to a matching If-None-Match."""

        def answer(handler: BaseHTTPRequestHandler) -> None:
            if etag is not None and handler.headers.get("If-None-Match") == etag:
                handler.send_response(304)
                handler.send_header("ETag", etag)
                handler.end_headers()
                return
            handler.send_response(status)
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            if etag is not None:
                handler.send_header("ETag", etag)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = answer

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """Redirect a path elsewhere."""
        self.route(path, status=status, headers={"Location": location})


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on hostile bodies is what the tests are about


@contextmanager
def loopback_server(
    *, allow: bool = True, tls: tuple[str, str] | None = None, host: str = "127.0.0.1"
) -> Iterator[LoopbackServer]:
    """Serve on 127.0.0.1 in a thread, with safe_http allowed to reach it, for the block.

    allow=False leaves safe_http's refusal in place (to show no packet reaches the server);
    tls=(certfile, keyfile) serves https, `host` being the name URLs use.
    """
    state = LoopbackServer(scheme="https" if tls else "http", host=host)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            state.requests.append(
                Recorded(self.path, {k.lower(): v for k, v in self.headers.items()})
            )
            answer = state.routes.get(self.path.split("?")[0])
            if answer is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            # The client may hang up, as safe_http does on purpose with hostile bodies.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        if allow:
            with allow_hosts_for_tests({f"127.0.0.1:{state.port}"}):
                yield state
        else:
            yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
