"""Which URLs and addresses Pressdesk may reach: http(s) to public addresses only.

Every spelling of an internal address is refused: dotted, decimal (`2130706433`), octal
(`0177.0.0.1`), hexadecimal (`0x7f.1`), IPv6 (`[::1]`), IPv4 inside IPv6 (`::ffff:127.0.0.1`,
6to4, NAT64), and DNS names that resolve to one. A name is resolved once; the caller connects
to the address checked here, so a second DNS answer can never point the connection elsewhere.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from pressdesk.lib.safe_http.errors import FetchError, FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SCHEMES = {"http": 80, "https": 443}
# Characters a URL never needs and that parsers disagree about (browsers strip some of them).
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
# What inet_aton reads as an IPv4 address: 1 to 4 parts, decimal, octal or hexadecimal.
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (the pinned address) and what to call the host."""

    url: str
    scheme: str
    host: str  # the name as written (IDNA-encoded), for Host and SNI
    port: int
    address: str  # the checked IP address the connection must use
    path: str  # path and query, as sent in the request line


def address_refusal(ip: IPAddress) -> str | None:
    """Why this address may not be reached, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None:
            return address_refusal(embedded)
        if ip in _NAT64_LOCAL:
            return "a local NAT64 address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


# The test-only allowance: (address, port) pairs that tests and benchmarks serve on loopback.
_allowed: set[tuple[str, int]] = set()
_allowed_lock = threading.Lock()
_BENCH_DIR = Path(__file__).resolve().parents[3] / "bench"


@lru_cache(maxsize=1)
def _main_is_a_benchmark(main: str | None) -> bool:
    return main is not None and Path(main).resolve().parent == _BENCH_DIR


def _running_tests() -> bool:
    """True under pytest or a benchmark script of this repository; never in production."""
    if "pytest" in sys.modules:
        return True
    return _main_is_a_benchmark(getattr(sys.modules.get("__main__"), "__file__", None))


@contextmanager
def allow_hosts_for_tests(hosts: Iterable[str]) -> Iterator[None]:
    """Let fetches reach these "address:port" pairs (loopback servers) while the block runs."""
    if not _running_tests():
        raise RuntimeError("allow_hosts_for_tests is for tests and benchmarks only")
    pairs = set()
    for host in hosts:
        address, _, port = host.rpartition(":")
        pairs.add((str(ipaddress.ip_address(address.strip("[]"))), int(port)))
    with _allowed_lock:
        added = pairs - _allowed
        _allowed.update(added)
    try:
        yield
    finally:
        with _allowed_lock:
            _allowed.difference_update(added)


def _allowed_for_tests(ip: IPAddress, port: int) -> bool:
    return bool(_allowed) and (str(ip), port) in _allowed and _running_tests()


def _split(url: str) -> SplitResult:
    """The parts of an http(s) URL, refusing anything else before any resolution."""
    if not isinstance(url, str) or not url:
        raise FetchRefused("empty URL")
    if _UNSAFE_CHARS.search(url):
        raise FetchRefused("the URL contains spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise FetchRefused(f"malformed URL ({exc})") from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchRefused(f"only http and https URLs are fetched, not {parts.scheme or 'this'}:")
    if not parts.hostname:
        raise FetchRefused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("credentials in a URL are refused")
    return parts


def _literal_ip(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, in any spelling inet_aton reads."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            raise FetchRefused(f"malformed numeric host {host!r}") from None
    return None


def _getaddrinfo(host: str, port: int) -> list[str]:
    """The addresses DNS gives for a name (tests replace this to simulate DNS answers)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class Unresolvable(FetchError):
    """The host name has no address."""


# getaddrinfo has no timeout of its own: it runs in these threads, waited for at most DNS_TIMEOUT.
DNS_TIMEOUT = 10.0
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="safe_http-dns")


def _lookup(host: str, port: int, timeout: float) -> list[str]:
    future = _resolver.submit(_getaddrinfo, host, port)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        raise Unresolvable(f"DNS did not answer for {host} within {timeout:g} s") from None


def _checked(ip: IPAddress, port: int, host: str) -> str:
    if _allowed_for_tests(ip, port):
        return str(ip)
    refusal = address_refusal(ip)
    if refusal is not None:
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise FetchRefused(f"{shown} is {refusal}")
    return str(ip)


def resolve(url: str, dns_timeout: float = DNS_TIMEOUT) -> Target:
    """Check a URL and resolve its host once: the Target to connect to, or FetchRefused."""
    parts = _split(url)
    scheme = parts.scheme.lower()
    port = parts.port or SCHEMES[scheme]
    raw_host = (parts.hostname or "").rstrip(".")
    try:
        host = raw_host if ":" in raw_host else raw_host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused(f"malformed host name {parts.hostname!r}") from None
    if not host:
        raise FetchRefused("the URL has no host")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    literal = _literal_ip(host)
    if literal is not None:
        address = _checked(literal, port, host)
    else:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            raise FetchRefused(f"{host} is a local name")
        try:
            answers = _lookup(host, port, dns_timeout)
        except (OSError, UnicodeError) as exc:
            raise Unresolvable(f"cannot resolve {host}: {exc}") from None
        if not answers:
            raise Unresolvable(f"cannot resolve {host}")
        # Every answer must be public: a name listing one internal address is refused whole.
        checked = [_checked(ipaddress.ip_address(a.split("%")[0]), port, host) for a in answers]
        address = checked[0]
    return Target(url=url, scheme=scheme, host=host, port=port, address=address, path=path)


def check_url(url: str) -> None:
    """Refuse (FetchRefused) a URL Pressdesk must never fetch; resolves its host name once."""
    try:
        resolve(url)
    except Unresolvable as exc:
        raise FetchRefused(exc.reason) from None
