"""The endpoint on a socket: the stdlib `ThreadingHTTPServer` around `App` (request handling is in `app.py`)."""

from __future__ import annotations

import errno
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from iei_kg.errors import ServeError
from iei_kg.serve.app import App, Response, ServeConfig, text


# -- the HTTP wrapper ------------------------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    server_version = "iei-kg-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may take to send its request
    app: App

    def _serve(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = None
        if self.command in ("POST", "PUT"):
            length = headers.get("content-length")
            if length is None or not length.strip().isdigit():
                self._send(text(411, "a POST needs a Content-Length"), close=True)
                return
            if int(length) > self.app.config.max_body:
                self._send(text(413, f"the request body is over the limit of {self.app.config.max_body} bytes"),
                           close=True)
                return
            body = self.rfile.read(int(length))
        try:
            response = self.app.handle(self.command, self.path, headers, body)
        except Exception as exc:  # noqa: BLE001 - a request never kills the server
            response = text(500, f"internal error: {type(exc).__name__}: {exc}")
        self._send(response)

    def _send(self, response: Response, close: bool = False) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = _serve

    def log_message(self, format, *args) -> None:  # noqa: A002
        if not getattr(self.server, "quiet", False):
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class SparqlServer:
    """The endpoint on a socket: `start()` serves from a thread (tests), `serve_forever()` blocks (the CLI)."""

    def __init__(self, config: ServeConfig, quiet: bool = False):
        self.app = App(config)
        handler = type("Handler", (_Handler,), {"app": self.app})
        try:
            self.httpd = ThreadingHTTPServer((config.host, config.port), handler)
        except OSError as exc:
            self.app.close()
            where = f"{config.host}:{config.port}"
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"cannot listen on {where}: the port {config.port} is in use "
                                 f"(stop what uses it, or choose another with --port)") from exc
            raise ServeError(f"cannot listen on {where}: {exc.strerror or exc}") from exc
        self.httpd.daemon_threads = True
        self.httpd.quiet = quiet
        host, port = self.httpd.server_address[:2]
        self.app.config.port = port
        self.app.base = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
        self.url = self.app.base
        self.thread: threading.Thread | None = None

    def start(self) -> "SparqlServer":
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread = None
        self.httpd.server_close()
        self.app.close()

    def __enter__(self) -> "SparqlServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve(config: ServeConfig, quiet: bool = False) -> None:
    """Run the endpoint until interrupted (Ctrl-C)."""
    server = SparqlServer(config, quiet=quiet)
    mode = "read-write, updates need the token" if config.allow_update else "read-only"
    print(f"iei-kg SPARQL endpoint on {server.url}/sparql ({mode}; query page {server.url}/)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
