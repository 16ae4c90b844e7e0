"""Safe fetching: every outbound HTTP request Pressdesk makes goes through `fetch`.

http and https only; internal addresses refused in every spelling, at every redirect hop; the
connection pinned to the address that was checked; body size (decompressed) and total time
capped. `allow_hosts_for_tests` lets tests and benchmarks reach their loopback servers.
"""

from pressdesk.lib.safe_http.addresses import address_refusal, allow_hosts_for_tests, check_url
from pressdesk.lib.safe_http.client import MAX_REDIRECTS, FetchResult, fetch
from pressdesk.lib.safe_http.errors import FetchError, FetchRefused

__all__ = [
    "MAX_REDIRECTS",
    "FetchError",
    "FetchRefused",
    "FetchResult",
    "address_refusal",
    "allow_hosts_for_tests",
    "check_url",
    "fetch",
]
