"""Download a calendar (ICS) from an address a coach pasted, without trusting the address.

Stdlib only. The address may point anywhere, so before every connection — the first one
and each redirect — the host is resolved and every address it resolves to must be public;
the connection then goes to exactly those vetted addresses (no second DNS lookup that could
answer differently). Sizes, time and redirects are all bounded.

Time is bounded as a whole, not per step: a socket timeout only limits each single read, so a
server that sends one byte every few seconds would never trip it. A watchdog shuts the
connection down when the fetch's deadline passes, whatever step it is in (name lookup,
connect, TLS, headers, body), and the fetch then fails with "did not answer within N seconds".
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit, urlunsplit

from blueprints.calendar.limits import MAX_BYTES, size_in_words

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "LetsTalk-CalendarSync/1.0"
_CHUNK = 64 * 1024
# Carrier-grade NAT space: not "private" to ipaddress, yet internal on many clouds.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")


class FetchError(Exception):
    """The calendar could not be fetched; str() says why in words the coach understands."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200 or 304
    body: bytes | None  # None on 304
    etag: str | None
    last_modified: str | None


def fetch_calendar(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = False,
) -> FetchResult:
    """GET the calendar at url (http, https or webcal), following at most 5 redirects."""
    # One deadline for the whole fetch, redirects included, so a slow chain cannot stall us.
    current = _checked_url(url)
    with _Watchdog(timeout) as watchdog:
        try:
            result = _fetch(current, _request_headers(etag, last_modified), etag, last_modified,
                            timeout, watchdog, max_bytes, allow_private)
        except FetchError:
            if watchdog.fired:  # whatever broke, it broke because time was up
                raise FetchError(_too_slow(timeout)) from None
            raise
        if watchdog.fired:  # a body cut short by the watchdog must not pass for the whole calendar
            raise FetchError(_too_slow(timeout))
        return result


def _fetch(current, headers, etag, last_modified, timeout, watchdog, max_bytes, allow_private):
    deadline = watchdog.deadline
    for _ in range(MAX_REDIRECTS + 1):
        addresses = _vetted_addresses(current, allow_private=allow_private, deadline=deadline, timeout=timeout)
        response = _send(current, headers, addresses, timeout, deadline)
        try:
            if response.status in REDIRECT_STATUSES and response.getheader("Location"):
                current = _checked_url(urljoin(current, response.getheader("Location")))
                continue
            return _result(response, etag, last_modified, timeout, deadline, max_bytes)
        finally:
            response.close()
    raise FetchError(f"The address redirected more than {MAX_REDIRECTS} times")


# --- the deadline ---------------------------------------------------------------------------

_ACTIVE = threading.local()  # the watchdog of the fetch running on this thread


class _Watchdog:
    """Shuts down every connection of one fetch when its deadline passes.

    shutdown() on a duplicate of the socket ends the connection itself, which wakes a read
    blocked in another thread (here: the fetching one) with end-of-file or an error.
    """

    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds
        self.fired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self):
        _ACTIVE.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        _ACTIVE.watchdog = None
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()
        return False

    def watch(self, sock):
        twin = sock.dup()
        with self._lock:
            self._sockets.append(twin)
            fired = self.fired
        if fired:
            _shut(twin)

    def _fire(self):
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watch(sock):
    watchdog = getattr(_ACTIVE, "watchdog", None)
    if watchdog is not None:
        watchdog.watch(sock)
    return sock


def _resolve(host, port, deadline, timeout):
    """getaddrinfo, given up on at the deadline (a lookup cannot be interrupted: it is left
    to finish on its own thread)."""
    outcome = {}

    def lookup():
        try:
            outcome["answers"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = error

    worker = threading.Thread(target=lookup, daemon=True, name="calendar-dns")
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise FetchError(_too_slow(timeout))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answers"]


# --- Checking the address -----------------------------------------------------------------


def _checked_url(url: str) -> str:
    """The URL to request, with webcal:// turned into https://; refuse anything else odd."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port like :99999
    except ValueError as error:
        raise FetchError("That is not a valid web address") from error
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):  # calendar apps' name for "subscribe over https"
        scheme = "https"
    if scheme not in ("http", "https"):
        raise FetchError("Only http and https addresses can be used")
    if not parts.hostname:
        raise FetchError("That is not a valid web address")
    if parts.username is not None or parts.password is not None:
        raise FetchError("Addresses with a user name or password cannot be used")
    host = _ascii_host(parts.hostname)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _ascii_host(hostname: str) -> str:
    try:
        return hostname.encode("idna").decode("ascii")  # bücher.example -> xn--bcher-kva.example
    except UnicodeError as error:
        raise FetchError("That is not a valid web address") from error


def _vetted_addresses(url: str, *, allow_private: bool, deadline: float | None = None,
                      timeout: float = 10.0) -> list[str]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        if deadline is None:
            answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        else:
            answers = _resolve(parts.hostname, port, deadline, timeout)
    except (OSError, UnicodeError) as error:  # gaierror, or a name too long to look up
        raise FetchError("The address could not be found") from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise FetchError("The address could not be found")
    # Every answer must be public: we may connect to any of them.
    if not allow_private and not all(_is_public(address) for address in addresses):
        raise FetchError("That address points inside a private network")
    return addresses


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope like %eth0
    if ip.version == 6 and ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
        or ip in _SHARED_ADDRESS_SPACE
    )


# --- Talking HTTP -------------------------------------------------------------------------


def _request_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/calendar, text/plain;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _send(url: str, headers: dict[str, str], addresses: list[str], timeout: float, deadline: float):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(_too_slow(timeout))
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        return _open(request, addresses, remaining)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(_connection_problem(error, timeout)) from error


def _connection_problem(error: Exception, timeout: float) -> str:
    # urllib wraps errors raised while sending in URLError (ssl.SSLError's own .reason is text).
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return _too_slow(timeout)
    if isinstance(cause, ssl.SSLError):
        return "The address's secure connection could not be verified"
    if isinstance(cause, ConnectionRefusedError):
        return "The address refused the connection"
    if isinstance(cause, http.client.HTTPException) and not isinstance(cause, OSError):
        return "The server sent an answer that is not valid HTTP"
    return "The address could not be reached"


def _too_slow(timeout: float) -> str:
    return f"The address did not answer within {timeout:g} seconds"


def _open(request: urllib.request.Request, addresses: list[str], timeout: float):
    """The one place a connection is made (tests replace it to prove refusals happen first).

    A bare OpenerDirector: no proxies from the environment, no redirect following (we vet
    each hop ourselves), no file:// or ftp://, and every status code comes back as-is.
    """
    opener = urllib.request.OpenerDirector()
    opener.add_handler(_PinnedHTTPHandler(addresses))
    opener.add_handler(_PinnedHTTPSHandler(addresses))
    return opener.open(request, timeout=timeout)


def _result(response, etag, last_modified, timeout, deadline, max_bytes) -> FetchResult:
    if response.status == 304:
        return FetchResult(304, None, response.getheader("ETag") or etag,
                           response.getheader("Last-Modified") or last_modified)
    if response.status != 200:
        raise FetchError(f"The server answered {response.status} {_reason(response)}")
    body = _read_body(response, timeout, deadline, max_bytes)
    return FetchResult(200, body, response.getheader("ETag"), response.getheader("Last-Modified"))


def _reason(response) -> str:
    try:
        return HTTPStatus(response.status).phrase
    except ValueError:
        return (response.reason or "").strip()


def _read_body(response, timeout: float, deadline: float, max_bytes: int) -> bytes:
    too_big = FetchError(f"The calendar is larger than {size_in_words(max_bytes)}")
    declared = response.getheader("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_big  # refuse without downloading anything
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError("The server sent the calendar in an encoding we cannot read")
    # gzip: a tiny download can unpack to gigabytes, so the limit applies to both sides.
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding != "identity" else None
    body, received = bytearray(), 0
    try:
        while chunk := response.read(_CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise too_big
            body += unzip.decompress(chunk, max_bytes + 1 - len(body)) if unzip else chunk
            if len(body) > max_bytes or (unzip and unzip.unconsumed_tail):
                raise too_big
            if time.monotonic() > deadline:
                raise FetchError(_too_slow(timeout))
        if unzip:
            body += unzip.flush()
            if not unzip.eof:  # the gzip stream stopped half-way
                raise zlib.error("truncated gzip stream")
    except TimeoutError as error:  # socket.timeout is TimeoutError since Python 3.10
        raise FetchError(_too_slow(timeout)) from error
    except (OSError, http.client.HTTPException, zlib.error) as error:
        raise FetchError("The server sent an incomplete or damaged answer") from error
    if len(body) > max_bytes:
        raise too_big
    return bytes(body)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses only; the Host header still names the host."""

    def __init__(self, host, *, addresses: list[str], **kwargs):
        super().__init__(host, **kwargs)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect_any(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Like _PinnedHTTPConnection; the certificate is still checked against the host name."""

    def __init__(self, host, *, addresses: list[str], **kwargs):
        super().__init__(host, **kwargs)
        self._addresses = addresses

    def connect(self):
        sock = _connect_any(self._addresses, self.port, self.timeout)
        # The watchdog holds a twin of the plain socket: shutting it down ends the TLS too.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connect_any(addresses: list[str], port: int, timeout: float) -> socket.socket:
    last_error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return _watch(socket.create_connection((address, port), timeout=timeout))
        except OSError as error:  # e.g. an IPv6 answer on an IPv4-only network
            last_error = error
    raise last_error


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, addresses: list[str]):
        super().__init__()
        self._addresses = addresses

    def http_open(self, request):
        return self.do_open(_PinnedHTTPConnection, request, addresses=self._addresses)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, addresses: list[str]):
        super().__init__(context=ssl.create_default_context())
        self._addresses = addresses

    def https_open(self, request):
        return self.do_open(_PinnedHTTPSConnection, request, context=self._context,
                            addresses=self._addresses)
