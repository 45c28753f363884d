"""Let's talk — the website an independent career coach runs their practice on.

`create_app()` builds the Flask application; `flask --app app …` finds it here.
"""
import os

from flask import Flask
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from htmx_flask import Htmx

import commands
import database
import logs
import mail
import ratelimit
from web import security
import web
from config import Config, load_secret_key

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# Every sign-in opens a server-side session (logout and "sign out everywhere" end them).
login_manager.id_attribute = "start_login_session"


@login_manager.user_loader
def load_user(session_id):
    from blueprints.auth.models import User
    return User.from_session_id(session_id)


@login_manager.unauthorized_handler
def unauthorized():
    from flask import flash, redirect, request, url_for
    flash(login_manager.login_message, "info")
    target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    if request.htmx:
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


def create_app(config=None):
    """Build the app. `config` is a Config subclass or a mapping of overrides (tests use both)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if isinstance(config, type):
        app.config.from_object(config)
    elif config:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)

    database.init_app(app)  # first: later hooks (rate limits) need the connection
    logs.init_app(app)      # early, so its after_request runs last and sees the final status
    security.init_app(app)  # before CSRF (reads the form) and the blueprints (id converter)
    ratelimit.init_app(app)
    Htmx(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    web.init_app(app)
    mail.init_app(app)
    register_blueprints(app)
    commands.init_app(app)
    apply_proxy_fix(app)
    return app


def apply_proxy_fix(app):
    """Behind PROXY_FIX reverse proxies, trust that many X-Forwarded-* hops (and no more:
    a header a visitor sends directly must not change their address for rate limits)."""
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_blueprints(app):
    from blueprints import (auth, availability, booking, calendar, client, clients, coach, goals, journal, pages,
                            practice, sessions)
    for feature in (pages, auth, coach, practice, availability, booking, calendar, client, clients, sessions, journal,
                    goals):
        feature.init_app(app)
