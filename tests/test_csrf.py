"""CSRF: every state-changing request needs the token, htmx ones included."""
import re

import pytest

from support.accounts import PASSWORD
from support.pages import HX


@pytest.fixture
def csrf_client(make_app, users):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def token_from(html):
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_login_without_token_is_refused(csrf_client):
    response = csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert csrf_client.get("/coach").status_code == 302


def test_htmx_request_without_token_is_refused_as_a_toast(csrf_client):
    response = csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD}, headers=HX)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#toasts"
    assert "<html" not in response.get_data(as_text=True)


def test_htmx_request_with_header_token_is_accepted(csrf_client):
    token = token_from(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD},
                                headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/coach"


def test_form_with_token_field_is_accepted(csrf_client):
    html = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def test_refused_form_hands_back_long_text(csrf_client):
    csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD,
                                     "csrf_token": token_from(csrf_client.get("/login").get_data(as_text=True))})
    essay = "I have been thinking about what I want from work for a long time, and " * 3
    response = csrf_client.post("/coach/settings", data={"intro_markdown": essay, "headline": "x"})
    assert response.status_code == 400
    assert essay.strip() in response.get_data(as_text=True).replace("&#39;", "'")


def test_logout_needs_a_token_too(csrf_client):
    html = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post("/login", data={"email": "coach@example.com", "password": PASSWORD, "csrf_token": token_from(html)})
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/coach").status_code == 200
