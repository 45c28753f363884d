"""Hostile input is ordinary input: every route of the app, found in its URL map, gets control
characters, NUL, very long text, huge numbers, impossible dates and unknown zones in every form
field and query parameter the site uses, as a visitor, a client and a coach.

Nothing may answer 5xx (the test app propagates exceptions, so one would fail the test with its
traceback), and a request that is refused (4xx) leaves every table as it was — except the
security bookkeeping a refused sign-in is meant to leave (rate-limit counters, the address's
back-off, the owner's warning). A new route is covered the moment it is registered.
"""
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.accounts import PASSWORD
from support.app import TestConfig
from support.pages import HX

ROLES = {"anonymous": None, "client": "alex@example.com", "coach": "coach@example.com"}
HOMES = {"client": "/me", "coach": "/coach"}
# Always tried, whether or not a page links to them: the query parameters the views read.
KNOWN_PARAMETERS = {"next", "start", "tz", "date", "month", "show", "new", "outcome", "website"}
BOOKKEEPING = {"rate_limit_counter", "login_throttle", "account_notice"}
SKIPPED_ENDPOINTS = {"static"}

IMPOSSIBLE_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "0000-00-00", "2026-02-29",
                    "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-03-29T01:30:00",
                    "24:00", "25:61", "99:99", "-1:00", "9999-12", "0000-01"]
UNKNOWN_ZONES = ["Mars/Olympus_Mons", "Etc/GMT+99", "../../etc/localtime", "UTC\x00", "Europe/London\n", ""]
HUGE_NUMBERS = ["99999999999999999999999", "2147483648", "-2147483649", "1e309", "NaN", "-0", "0x10", "١٢"]
NASTY = ["\x00", "a\x00b", "\r\n", "x\nBcc: victim@example.net", "\u2028", "\x1b[31m", "%00", "\\evil.example",
         "//evil.example", "<script>alert(1)</script>", "'; DROP TABLE booking; --", "\ud7ff\ufffd", "\u202e",
         "x" * 20_000, "é" * 60_000, " ", "y", "on"]

hostile = st.one_of(
    st.sampled_from(NASTY + IMPOSSIBLE_DATES + UNKNOWN_ZONES + HUGE_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
)


# --- what the site asks for: forms and links, read from its own pages ----------------------------

class FormReader(HTMLParser):
    """Forms (action, method, field defaults) and link query parameters of one page."""

    def __init__(self):
        super().__init__()
        self.forms, self.parameters = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or attrs.get("hx-post") or attrs.get("hx-get") or ""
            self.forms.append({"action": action, "method": (attrs.get("method") or "get").upper(), "fields": {}})
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name") and self.forms:
            fields = self.forms[-1]["fields"]
            if attrs.get("type") in ("checkbox", "radio"):
                fields.setdefault(attrs["name"], attrs.get("value", "y"))  # ticked: reaches more code
            else:
                fields[attrs["name"]] = attrs.get("value", "")
        for name in ("href", "hx-get", "action"):
            if attrs.get(name) and "?" in attrs[name]:
                self.parameters.update(key for key, _ in parse_qsl(urlsplit(attrs[name]).query))


def read_site(client, urls):
    forms, parameters = {}, set(KNOWN_PARAMETERS)
    for url in urls:
        response = client.get(url)
        if response.mimetype != "text/html":
            continue  # the icon, robots.txt, calendar files: no forms or links to read
        reader = FormReader()
        reader.feed(response.get_data(as_text=True))
        parameters |= reader.parameters
        for form in reader.forms:
            forms.setdefault(urlsplit(form["action"]).path or url, form["fields"])
            parameters |= set(form["fields"])
    return forms, sorted(parameters - {"csrf_token"})


# --- the site, with something of everything in it ------------------------------------------------

def routes(app):
    """(endpoint, rule, method) for every route and method of the URL map."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule, method))
    return found


def populate(app):
    """Demo practice plus one of every row a route can name: bookings, a source, a one-off slot."""
    from blueprints.auth.models import User
    from scheduling.models import DateOverride, OneOffSlot
    from scheduling.models import Booking, BusySource
    from support.booking import make_booking
    from database import utcnow
    from seed import seed_demo
    with app.test_request_context("/"):
        seed_demo(PASSWORD)
        coach = User.by_email("coach@example.com")
        # Clear of the demo practice's own bookings and sessions, before and after.
        rows = list(Booking.select().where(Booking.coach == coach))
        hour = utcnow().replace(minute=0, second=0, microsecond=0)
        soon = max([hour + timedelta(days=3)] + [b.ends_at for b in rows]).replace(minute=0) + timedelta(days=1)
        past = min([hour - timedelta(days=10)] + [b.starts_at for b in rows]).replace(minute=0) - timedelta(days=1)
        make_booking(coach, soon)
        make_booking(coach, past, email="past@example.org")
        OneOffSlot.create(coach=coach, starts_at=soon + timedelta(days=1))
        DateOverride.create(coach=coach, day=(soon + timedelta(days=5)).date(), kind="block")
        BusySource.create(coach=coach, name="Work", kind=BusySource.URL, url="https://127.0.0.1/cal.ics")


def real_tokens(app):
    """Real values for text route arguments, so hostile payloads reach past the 404."""
    from blueprints.auth.models import PasswordReset, User
    from scheduling.models import Booking
    from blueprints.auth.models import CoachProfile
    with app.test_request_context("/"):
        booking = Booking.select().first()
        profile = CoachProfile.select().first()
        reset = PasswordReset.issue(User.by_email("alex@example.com"), hours=2)
        return [booking.manage_token, profile.feed_token, reset, profile.slug]


ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def url_for_rule(rule, row_id, text):
    """The rule's path with `row_id` for number arguments and `text` (quoted) for the others."""
    def value(match):
        return str(row_id) if match.group(1) == "int" else quote(text, safe="")
    return ARGUMENT.sub(value, rule.rule)


def snapshot(models):
    """Every row of every table but the bookkeeping ones, in a comparable form."""
    state = {}
    for model in models:
        table = model._meta.table_name
        if table in BOOKKEEPING:
            continue
        state[table] = sorted(map(repr, model.select().tuples()))
    return state


@pytest.fixture
def hostile_app(app):
    app.config.update(CALENDAR_FETCH_TIMEOUT=0.5, CALENDAR_ALLOW_PRIVATE_URLS=False,
                      CALENDAR_REFRESH_RATE_LIMIT="1000 per minute")
    populate(app)
    return app


def signed_in(app, role):
    client = app.test_client()
    if ROLES[role]:
        response = client.post("/login", data={"email": ROLES[role], "password": PASSWORD})
        assert response.status_code == 303
    return client


def ensure_signed_in(client, role):
    """A drawn POST /logout (or sign out everywhere) must not turn the rest into anonymous tries."""
    if ROLES[role] and client.get(HOMES[role]).status_code != 200:
        assert client.post("/login", data={"email": ROLES[role], "password": PASSWORD}).status_code == 303


@pytest.mark.parametrize("role", list(ROLES))
def test_hostile_input_never_breaks_a_route_and_a_refusal_stores_nothing(hostile_app, role):
    from models import ALL_MODELS
    app = hostile_app
    client = signed_in(app, role)
    pages = [rule.rule for _, rule, method in routes(app) if method == "GET" and not rule.arguments]
    forms, parameters = read_site(client, pages)
    tokens = real_tokens(app)
    all_routes = routes(app)

    @settings(max_examples=25 * len(all_routes) // 10, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(
        route=st.sampled_from(all_routes),
        row_id=st.one_of(st.integers(min_value=1, max_value=6), st.sampled_from([0, 2**31, 2**63, 10**25])),
        path_text=st.one_of(st.sampled_from(tokens), hostile),
        payload=st.dictionaries(st.sampled_from(parameters), hostile, max_size=4),
        as_htmx=st.booleans(),
    )
    def check(route, row_id, path_text, payload, as_htmx):
        _, rule, method = route
        ensure_signed_in(client, role)
        url = url_for_rule(rule, row_id, path_text)
        before = snapshot(ALL_MODELS)
        headers = HX if as_htmx else {}
        if method == "GET":
            response = client.get(url, query_string=payload, headers=headers)
        else:
            form = {**forms.get(urlsplit(url).path, {}), **payload}
            response = client.open(url, method=method, data=form, headers=headers)
        response.get_data()  # a streamed answer (the export) is read to its end: a crash midway shows
        response.close()
        assert response.status_code < 500, (method, url, payload)
        if response.status_code >= 400:
            assert snapshot(ALL_MODELS) == before, (method, url, response.status_code, payload)

    check()


def test_the_hostile_test_covers_every_route(hostile_app):
    """A guard on the guard: the routes come from the URL map itself, so none can be left out."""
    endpoints = {endpoint for endpoint, _, _ in routes(hostile_app)}
    assert endpoints == set(hostile_app.view_functions) - SKIPPED_ENDPOINTS
    assert {"booking.submit", "auth.login", "calendar.add_source", "availability.add_one_off"} <= endpoints


def test_the_test_config_lets_exceptions_through():
    """Otherwise a 500 page would hide a crash from the assertion above."""
    assert TestConfig.TESTING is True
