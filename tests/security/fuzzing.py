"""Hostile requests for the fuzz suite, and the tally that `make fuzz` prints.

Values are bytes, so that a query string or path can hold what no browser would send: invalid
UTF-8, NUL bytes, lone percent signs. They reach Django the way a WSGI server hands them over.
"""

import os
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# `make fuzz` raises the number of examples per test; CI runs a quick, repeatable sample.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

NASTY_TEXTS = [
    "' OR '1'='1",
    "1; DROP TABLE places_place; --",
    '" OR 1=1 --',
    "1' UNION SELECT password FROM auth_user --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "%00",
    "%",
    "%%",
    "%e4",
    "NaN",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "-0",
    "00000000000000000000000001",
    "9" * 400,
    "-9223372036854775809",
    "18446744073709551616",
    "0x7fffffff",
    "2026-02-30",
    "2026-13-01T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "0000-00-00",
    "1970-01-01T00:00:00Z",
    "true",
    "None",
    "null",
    "[]",
    "{}",
    " ",
    "",
    "ä" * 3000,
    "\u202e\u200b\ufeff",
    "𝕏😀",
    "a" * 100_000,
]
NASTY_BYTES = [
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xed\xa0\x80",  # an encoded lone surrogate
    b"\x00",
    b"abc\x00def",
    b"\xe4iti",  # Latin-1, not UTF-8
    b"\r\nSet-Cookie: evil=1",
]


def _utf8(text):
    return text.encode("utf-8")


values = st.one_of(
    st.sampled_from(NASTY_TEXTS).map(_utf8),
    st.sampled_from(NASTY_BYTES),
    st.text(max_size=40).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: str(n).encode()),
    st.binary(max_size=40),
    st.builds(
        lambda unit, count: unit * count,
        st.sampled_from([b"9", b"a", "ä".encode(), b"%", b"<", b"&"]),
        st.integers(min_value=1, max_value=20_000),
    ),
)


def encoded(value, raw):
    """``value`` percent-encoded as a browser would, or passed on as raw bytes."""
    return value if raw else quote_from_bytes(value, safe="").encode("ascii")


def query_string(names):
    """A query string of repeated and unknown parameters with hostile values, as WSGI gives it
    (a str holding bytes as Latin-1)."""
    name = st.one_of(st.sampled_from(names).map(_utf8), values)
    pair = st.tuples(name, values, st.booleans())
    return st.lists(pair, max_size=8).map(
        lambda pairs: b"&".join(
            encoded(key, raw) + b"=" + encoded(value, raw) for key, value, raw in pairs
        ).decode("latin-1")
    )


def path_segment():
    return st.tuples(values, st.booleans()).map(
        lambda pair: encoded(pair[0], pair[1]).replace(b"/", b"%2F").decode("latin-1")
    )


HEADER_NAMES = [
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_RANGE",
    "HTTP_COOKIE",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REQUESTED_WITH",
    "HTTP_HOST",
    "CONTENT_TYPE",
]
COOKIE_TEXTS = [
    "sessionid=" + "a" * 32,
    "sessionid=../../etc",
    "csrftoken=x; sessionid=",
    'django_language="; messages=[[',
    "messages=W1siX19qc29uX21lc3NhZ2UiXV0:forged",
    "django_language=xx-invalid",
]
headers = st.dictionaries(
    st.sampled_from(HEADER_NAMES),
    st.one_of(values.map(lambda value: value.decode("latin-1")), st.sampled_from(COOKIE_TEXTS)),
    max_size=5,
)


@dataclass
class Tally:
    requests: int = 0
    server_errors: list = field(default_factory=list)

    def record(self, method, path, status):
        self.requests += 1
        if status >= 500:
            self.server_errors.append(f"{status} {method} {path[:200]!r}")


TALLY = Tally()


def send(client, method, path, **extra):
    """One request through the whole stack; a 5xx or an exception is recorded and fails."""
    try:
        response = client.generic(method, path, **extra)
    except Exception:
        TALLY.record(method, path, 500)
        raise
    TALLY.record(method, path, response.status_code)
    assert response.status_code < 500, f"{method} {path!r} answered {response.status_code}"
    return response
