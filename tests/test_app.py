"""The factory, configuration, health check, error pages and htmx plumbing."""
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from support.app import TestConfig
from support.pages import HX


def test_factory_applies_config_class_and_mapping(database_url):
    class Cfg(TestConfig):
        DATABASE_URL = database_url
        SITE_NAME = "Jo's practice"

    assert create_app(Cfg).config["SITE_NAME"] == "Jo's practice"
    assert create_app({"DATABASE_URL": database_url, "SITE_NAME": "Other"}).config["SITE_NAME"] == "Other"


def test_secret_key_is_generated_once_into_instance_folder(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    def build():
        app = Flask("probe", instance_path=str(tmp_path / "inst"))
        from config import load_secret_key
        return load_secret_key(app.instance_path)

    first, second = build(), build()
    assert len(first) == 64 and first == second
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0


def test_app_without_secret_key_gets_one(database_url, monkeypatch, tmp_path):
    monkeypatch.setattr("config.Config.SECRET_KEY", None)
    app = create_app({"DATABASE_URL": database_url})
    assert app.config["SECRET_KEY"]
    assert (Path(app.instance_path) / "secret_key").read_text().strip() == app.config["SECRET_KEY"]


def test_env_selects_database(monkeypatch, tmp_path):
    import peewee as pw

    from database import make_database
    assert isinstance(make_database(f"sqlite:///{tmp_path}/x.db"), pw.SqliteDatabase)
    assert isinstance(make_database("postgresql://u@127.0.0.1:5432/x"), pw.PostgresqlDatabase)
    with pytest.raises(ValueError):
        make_database("mysql://nope")


def test_sqlite_pragmas(app, tmp_path):
    from database import db, is_postgres
    if is_postgres():
        pytest.skip("SQLite only")
    with app.app_context():
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_healthz_reports_a_dead_database(app, client, monkeypatch):
    from database import db

    def broken(*args, **kwargs):
        raise RuntimeError("database down")
    monkeypatch.setattr(db.obj, "execute_sql", broken)
    assert client.get("/healthz").status_code == 503


def test_404_is_a_full_page_and_an_htmx_fragment(client, users):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "<html" in html and "<h1>Page not found</h1>" in html

    fragment = client.get("/no-such-page", headers=HX)
    assert fragment.status_code == 404
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "Page not found" in body
    assert fragment.headers["HX-Retarget"] == "#toasts"


def test_404_answers_json_to_json_clients(client):
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"


def test_500_is_friendly_in_both_forms(app, users):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "Something went wrong" in page.get_data(as_text=True)
    fragment = client.get("/boom", headers=HX)
    assert fragment.status_code == 500 and "<html" not in fragment.get_data(as_text=True)


def test_pages_vary_on_hx_request(client, users):
    response = client.get("/login")
    assert "HX-Request" in response.headers.get("Vary", "")


def test_base_page_loads_htmx_from_our_own_static_folder(client, users):
    html = client.get("/login").get_data(as_text=True)
    assert '/static/vendor/htmx.min.js' in html
    assert 'name="csrf-token"' in html
    assert "http://" not in html.split("<body")[0].replace("http://localhost", "")
    assert "https://" not in html.split("<body")[0]


def test_flash_messages_reach_htmx_requests_as_out_of_band_toasts(client, users):
    response = client.post("/login", data={"email": "coach@example.com", "password": "wrong"}, headers=HX)
    assert response.status_code == 422
    # The failed login re-renders the form fragment only
    assert "<html" not in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Saved it.")]
    response = client.get("/login", headers=HX)
    body = response.get_data(as_text=True)
    assert 'id="toasts" hx-swap-oob="beforeend"' in body and "Saved it." in body


def test_landing_redirects_to_first_run_when_there_is_no_coach(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/welcome")
