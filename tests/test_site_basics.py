"""What every visitor's browser and every search engine checks first: the icon, the page's
description, robots.txt, private pages kept out of the index — and that a first `make run`
on another port links to that port."""
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from config import default_site_url
from database import utcnow
from support.app import ROOT
from support.booking import make_booking
from support.pages import HX, unescaped

PUBLIC_PAGES = ["/", "/book", "/login", "/privacy"]


def description_of(html):
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    return unescaped(match.group(1)) if match else None


def test_favicon_is_served_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_names_its_icons(client, users, url):
    html = client.get(url).get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in html
    svg = re.search(r'<link rel="icon" href="(/static/favicon\.svg\?v=\w+)" type="image/svg\+xml">', html)
    assert svg and client.get(svg.group(1)).status_code == 200


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_describe_themselves(client, users, url):
    html = client.get(url).get_data(as_text=True)
    description = description_of(html)
    title = unescaped(re.search(r"<title>(.*?)</title>", html).group(1))
    assert description and 50 <= len(description) <= 200 and description != title
    assert '<html lang="en">' in html and 'name="viewport"' in html
    assert 'name="robots"' not in html  # public pages may be found


def test_landing_and_booking_descriptions_speak_for_the_coach(client, users):
    # The test practice has two coaches: the home page names them both.
    assert "Jo Whitfield, Pat Other" in description_of(client.get("/").get_data(as_text=True))
    assert "30-minute call with Jo Whitfield" in description_of(client.get("/book").get_data(as_text=True))
    from blueprints.auth.models import CoachProfile
    slug = CoachProfile.get(CoachProfile.user == users["other_coach"]).slug
    for url in (f"/coaches/{slug}", f"/coaches/{slug}/book"):
        assert "Pat Other" in description_of(client.get(url).get_data(as_text=True)), url


def test_private_booking_pages_stay_out_of_search_engines(client, users, app):
    with app.app_context():
        booking = make_booking(users["coach"], utcnow().replace(microsecond=0) + timedelta(days=3))
    for url in (f"/booking/{booking.manage_token}", f"/booking/{booking.manage_token}/reschedule"):
        assert '<meta name="robots" content="noindex">' in client.get(url).get_data(as_text=True), url
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Disallow: /booking/" in lines and "Disallow: /calendar/" in lines
    assert "Disallow: /" not in lines  # the public pages stay open


def test_an_htmx_fragment_carries_no_head(client, users):
    html = client.get("/", headers=HX).get_data(as_text=True)
    assert "<meta name=\"description\"" not in html and "favicon" not in html


# --- SITE_URL on a first run ------------------------------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "5790"}, "http://127.0.0.1:5790"),
    ({"PORT": "5790", "SITE_URL": "https://coach.example/"}, "https://coach.example"),
    ({"PORT": "", "SITE_URL": ""}, "http://127.0.0.1:5000"),
])
def test_site_url_follows_the_port_unless_set(environ, expected):
    assert default_site_url(environ) == expected


def test_the_setting_is_read_from_the_environment_at_start():
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    code = "from config import Config; print(Config.SITE_URL)"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**environ, "PORT": "5790", "DOTENV_PATH": "/nonexistent"})
    assert run.stdout.strip() == "http://127.0.0.1:5790"


def test_make_run_passes_the_port_to_the_server_and_the_worker():
    """Both build links: the worker's emails must point where the server listens."""
    dry = subprocess.run(["make", "-n", "run", "PORT=5790"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    worker = next(line for line in dry.splitlines() if "flask --app app worker" in line)
    server = next(line for line in dry.splitlines() if "flask --app app run" in line)
    assert "PORT=5790" in worker.split("flask --app app worker")[0]
    assert "PORT=5790" in server and "--port 5790" in server


def test_readme_says_how_to_change_the_port():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=5790" in readme


# --- the landing page -------------------------------------------------------------------------

def first_sentence(text):
    return re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]


def test_landing_intro_does_not_open_with_the_headline(client, users):
    from blueprints.auth.models import CoachProfile, DEFAULT_HEADLINE, DEFAULT_INTRO
    html = client.get(f"/coaches/{CoachProfile.get(CoachProfile.user == users['coach']).slug}").get_data(as_text=True)
    assert f"<h1>{unescaped(DEFAULT_HEADLINE)}</h1>" in unescaped(html)
    opening = " ".join(DEFAULT_HEADLINE.lower().split()[:5])
    assert opening not in first_sentence(DEFAULT_INTRO).lower()
    assert first_sentence(DEFAULT_INTRO) in unescaped(html).replace("\n", " ")
