from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import notices, throttle
from blueprints.auth.forms import LoginForm, NewPasswordForm, ResetRequestForm, SignOutEverywhereForm
from blueprints.auth.models import LoginSession, PasswordReset, User
from blueprints.auth.passwords import hash_password, verify_password
from database import db, utcnow
from ratelimit import limiter
from web.security import safe_path
from web import hx_redirect, render

bp = Blueprint("auth", __name__)


def home_url(user):
    return url_for("coach.dashboard") if user.is_coach else url_for("client.home")


def safe_next(default):
    """Only same-site paths: an open redirect after login would be a phishing tool."""
    return safe_path(request.args.get("next"), default)


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        if wait := throttle.wait_for(email):
            form.password.errors.append(
                f"Too many wrong passwords for this address. Try again in {throttle.in_words(wait)}, "
                "or reset your password.")
            return render("auth/login.html", block="login_form", form=form, status=429)
        user = User.by_email(email)
        if verify_password(user.password_hash if user else None, form.password.data) and user:
            throttle.clear(email)
            sign_in(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name.split()[0]}.", "success")
            return hx_redirect(safe_next(home_url(user)))
        if throttle.record_failure(email):
            notices.warn_about_failed_logins(email)
        form.password.errors.append("That email and password don't match an account.")
    return render("auth/login.html", block="login_form", form=form, status=422 if form.errors else 200)


def sign_in(user, remember=False):
    """Sign in this browser: login_user opens its server-side session (User.start_login_session)."""
    login_user(user, remember=remember)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    # GET shows a confirm button: a logout link must not be triggerable by another site.
    if request.method == "GET":
        return render("auth/logout.html")
    if current_user.is_authenticated:
        LoginSession.end(current_user.session_key)  # copies of this browser's cookies stop working
    logout_user()
    flash("You are signed out.", "info")
    return hx_redirect("pages.landing")


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # The same work and the same answer whether or not the address has an account: the
        # worker looks it up and sends the link (no account discovery, not even by timing).
        notices.request_reset(form.email.data)
        flash("If that address has an account, we've sent it a link to choose a new password.", "info")
        return hx_redirect("auth.login")
    return render("auth/reset_request.html", block="reset_form", form=form, status=422 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token):
    reset_row = PasswordReset.usable(token)
    if reset_row is None:
        return render("auth/reset_invalid.html", status=404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        with db.atomic():
            # Re-read inside the transaction: two tabs must not both use one link.
            used = PasswordReset.update(used_at=utcnow()).where(
                (PasswordReset.id == reset_row.id) & PasswordReset.used_at.is_null()).execute()
            if not used:
                return render("auth/reset_invalid.html", status=404)
            user = reset_row.user
            # One link used: the account's other outstanding links stop working too.
            PasswordReset.update(used_at=utcnow()).where(
                (PasswordReset.user == user.id) & PasswordReset.used_at.is_null()).execute()
            user.password_hash = hash_password(form.password.data)
            user.session_nonce = User.session_nonce.default()
            user.save()
            LoginSession.end_all(user)  # signs out every other browser
            throttle.clear(user.email)  # the owner is back in: no more waiting
        sign_in(user)
        flash("Your new password is set.", "success")
        return hx_redirect(home_url(user))
    return render("auth/reset.html", block="new_password_form", form=form, token=token, status=422 if form.errors else 200)


@bp.route("/account")
@login_required
def account():
    return render("auth/account.html", sessions=LoginSession.count_for(current_user.id),
                  form=SignOutEverywhereForm(formdata=None))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    if not form.validate_on_submit():
        return render("auth/account.html", sessions=LoginSession.count_for(current_user.id), form=form,
                      status=422)
    LoginSession.end_all(current_user.id)
    logout_user()
    flash("You are signed out on every device, this one included.", "info")
    return hx_redirect("auth.login")
