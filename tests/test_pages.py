"""The home page of a practice of one coach (the coach's own page), and the privacy notice.
A practice of several coaches: tests/test_practice.py."""
import re

from support.pages import HX


def test_landing_page_speaks_for_the_coach(client, one_coach):
    html = client.get("/").get_data(as_text=True)
    assert "Jo Whitfield" in html
    assert "Whether you call it a job or a career" in html
    assert "What matters is that work gives you what you need" in html
    body = html.split("<body>", 1)[1]  # the head's description may quote it
    assert body.count("Whether you call it a job or a career") == 1  # the headline, not said twice
    assert "30 minutes" in html and "Free, with no obligation." in html
    assert 'href="/book"' in html and ">Let&#39;s talk</a>" in html
    assert html.count("<h1") == 1


def test_landing_renders_markdown_but_never_scripts(client, one_coach):
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(intro_markdown="**Bold move.**\n\n<script>alert(1)</script><a href='javascript:x'>x</a>").execute()
    html = client.get("/").get_data(as_text=True)
    assert "<strong>Bold move.</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert not re.search(r"<a[^>]*href=[\"']?javascript:", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # raw HTML in Markdown is shown as text


def test_landing_shows_where_the_call_happens(client, one_coach):
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(location_kind="phone", location_detail="I'll call you").execute()
    assert "Phone call: I&#39;ll call you" in client.get("/").get_data(as_text=True)


def test_landing_as_htmx_fragment(client, one_coach):
    response = client.get("/", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Jo Whitfield" in html


def test_privacy_page(client, users):
    html = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privacy</h1>" in html and "Nothing is shared with third parties" in html


def test_pages_load_nothing_from_other_hosts(client, users):
    for url in ("/", "/login", "/privacy"):
        html = client.get(url).get_data(as_text=True)
        for attribute in ('src="http', "src='http", 'href="http', "@import", "fonts.googleapis"):
            assert attribute not in html.replace('href="http://localhost', ""), (url, attribute)
