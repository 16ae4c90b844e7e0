"""One GET, safely: each hop checked, the connection pinned, the body and the time capped."""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from pressdesk.lib.safe_http.addresses import Target, resolve
from pressdesk.lib.safe_http.errors import FetchError, FetchRefused

MAX_REDIRECTS = 5
USER_AGENT = "Pressdesk/0.1 (press monitoring; +https://pressdesk.example/bot)"
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
# Test-only certificate authority for the https tests (set through tests' fixtures only).
_test_ca_certs: str | None = None


@dataclass
class FetchResult:
    """What the server answered, after redirects."""

    status: int
    url: str  # the final URL, after redirects: callers never store it in place of theirs silently
    headers: dict[str, str]  # lower-case names
    content: bytes  # decompressed; empty for 304
    not_modified: bool
    etag: str | None
    last_modified: str | None
    redirects: list[str] = field(default_factory=list)  # every URL that redirected, in order
    permanent_redirect: bool = False  # every hop was 301/308: the source may be updated (by a user)

    @property
    def content_type(self) -> str:
        """The media type without parameters ("application/rss+xml")."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def _pool(target: Target, deadline: float) -> urllib3.HTTPConnectionPool:
    """A pool of one connection to the checked address, never to the name."""
    remaining = max(deadline - time.monotonic(), 0.01)
    timeout = urllib3.Timeout(connect=min(remaining, 10.0), read=remaining)
    if target.scheme == "https":
        # Connect to the address; verify the certificate and send SNI for the name.
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs=ssl.CERT_REQUIRED,
            ca_certs=_test_ca_certs,
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def _headers(
    target: Target, etag: str | None, last_modified: str | None, accept: str | None
) -> dict[str, str]:
    headers = {
        "Host": _host_header(target),
        "User-Agent": USER_AGENT,
        "Accept": accept or "*/*",
        "Accept-Encoding": "gzip, deflate, br",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_body(resp: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float) -> bytes:
    """The decompressed body, refusing past max_bytes or the deadline (slow drips included)."""
    declared = resp.headers.get("content-length", "")
    if (
        declared.isdigit()
        and int(declared) > max_bytes
        and not resp.headers.get("content-encoding")
    ):
        raise FetchError(f"the body is too big ({declared} bytes, limit {max_bytes})")
    body = bytearray()
    sock = getattr(resp.connection, "sock", None) if hasattr(resp, "connection") else None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("the server took too long to send the body")
        if sock is not None:
            # One read waits at most for the time left, so a drip cannot stretch the total.
            sock.settimeout(remaining)
        # read1 decompresses at most what one read brings, so a gzip bomb grows by bounded steps.
        chunk = resp.read1(_CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"the body is too big (over {max_bytes} bytes once decompressed)")


def _one_hop(
    target: Target, headers: dict[str, str], max_bytes: int, deadline: float
) -> tuple[int, dict[str, str], bytes]:
    pool = _pool(target, deadline)
    try:
        resp = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            assert_same_host=False,
        )
        try:
            status = resp.status
            names = {k.lower(): ", ".join(resp.headers.getlist(k)) for k in resp.headers}
            body = b""
            if 200 <= status < 300:
                body = _read_body(resp, max_bytes, deadline)
            return status, names, body
        finally:
            resp.release_conn()
            resp.close()
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError("the server took too long to answer") from None
    except (Urllib3Error, OSError, ValueError) as exc:
        raise FetchError(_network_reason(exc)) from None
    finally:
        pool.close()


def _network_reason(exc: Exception) -> str:
    text = str(exc)
    if "timed out" in text.lower() or "timeout" in type(exc).__name__.lower():
        return "the server took too long to answer"
    if "decod" in text.lower():
        return f"the compressed body is broken ({text[:200]})"
    return f"network error: {text[:200]}"


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    max_bytes: int = 10_000_000,
    timeout: float = 20.0,
) -> FetchResult:
    """GET a public http(s) URL; FetchRefused for forbidden targets, FetchError for failures."""
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    permanent = True
    current = url
    while True:
        target = resolve(current, dns_timeout=max(deadline - time.monotonic(), 0.01))
        headers = _headers(target, etag, last_modified, accept)
        status, names, body = _one_hop(target, headers, max_bytes, deadline)
        if status in _REDIRECTS and names.get("location"):
            if len(redirects) >= MAX_REDIRECTS:
                raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})", status=status)
            following = urljoin(current, names["location"].strip())
            if target.scheme == "https" and following.lower().startswith("http:"):
                raise FetchRefused(f"redirect from https down to http ({following})")
            redirects.append(current)
            permanent = permanent and status in (301, 308)
            current = following
            continue
        if status == 304:
            return FetchResult(
                status=status,
                url=current,
                headers=names,
                content=b"",
                not_modified=True,
                etag=names.get("etag") or etag,
                last_modified=names.get("last-modified") or last_modified,
                redirects=redirects,
                permanent_redirect=bool(redirects) and permanent,
            )
        if not 200 <= status < 300:
            raise FetchError(f"the server answered HTTP {status}", status=status)
        return FetchResult(
            status=status,
            url=current,
            headers=names,
            content=body,
            not_modified=False,
            etag=names.get("etag"),
            last_modified=names.get("last-modified"),
            redirects=redirects,
            permanent_redirect=bool(redirects) and permanent,
        )
