import time

from flask import Blueprint, current_app, flash, make_response, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import notices, service, throttle, twofactor
from blueprints.auth.forms import LoginForm, NewPasswordForm, ResetRequestForm, SignOutEverywhereForm
from blueprints.auth.models import LoginSession, PasswordReset, User
from blueprints.auth.passwords import verify_password
from blueprints.auth.twofactor_forms import (DisableTwoFactorForm, EnableTwoFactorForm, NewRecoveryCodesForm,
                                             SignInCodeForm)
from database import utcnow
from ratelimit import client_address, limiter
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
            if code_needed(user):
                return start_challenge(user, form.remember.data, safe_next(home_url(user)))
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
    # Nothing of this person stays in the browser's session: an unread message naming their goal
    # or entry must not greet the next person who signs in on a shared computer.
    session.clear()
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
        user = service.reset_password(reset_row, form.password.data)
        if user is None:  # the link was used meanwhile, in another tab
            return render("auth/reset_invalid.html", status=404)
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


# --- two-step sign-in (logic in twofactor.py) ---------------------------------------------------

PENDING = "two_factor_pending"      # who passed the password step, for how long, and where to next
SETUP = "two_factor_setup_secret"   # the secret being set up, until a code proves the app has it
NEW_CODES = "two_factor_new_codes"  # recovery codes to show once
CHALLENGE_SECONDS = 300
DEVICE_COOKIE = "letstalk_device"
WRONG_CODE = "That code didn't work. App codes change every 30 seconds and each code works once."


def device_token():
    return request.cookies.get(DEVICE_COOKIE)


def code_needed(user):
    return twofactor.code_needed(user, device_token(), utcnow())


def start_challenge(user, remember, next_url):
    """The password was right; ask for the second step before opening a session."""
    session[PENDING] = {"user": user.id, "nonce": user.session_nonce, "until": time.time() + CHALLENGE_SECONDS,
                        "remember": bool(remember), "next": next_url}
    return hx_redirect("auth.login_code")


def pending_challenge():
    data = session.get(PENDING)
    if not isinstance(data, dict) or data.get("until", 0) < time.time():
        return None, None
    user = User.get_or_none(User.id == data.get("user"))
    # A password change since the first step (nonce) or 2FA turned off: start again.
    if user is None or user.session_nonce != data.get("nonce") or not twofactor.is_enabled(user):
        return None, None
    return user, data


def code_limit():
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def code_limit_key():
    """Wrong codes count per account, from whatever address they come (signing in, or turning
    two-step sign-in off from a session someone else may have got hold of)."""
    data = session.get(PENDING)
    user_id = current_user.id if current_user.is_authenticated else (
        data.get("user") if isinstance(data, dict) else None)
    return f"two-factor:{user_id}" if user_id else f"two-factor-ip:{client_address()}"


limit_wrong_codes = limiter.limit(code_limit, key_func=code_limit_key, methods=["POST"],
                                  deduct_when=lambda response: response.status_code == 422)


def remember_device(response, user):
    token = twofactor.trust_device(user, utcnow())
    response.set_cookie(DEVICE_COOKIE, token, max_age=twofactor.DEVICE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


@bp.route("/login/code", methods=["GET", "POST"])
@limit_wrong_codes
def login_code():
    user, data = pending_challenge()
    if user is None:
        session.pop(PENDING, None)
        flash("Please sign in again: the code page is only open for a few minutes.", "info")
        return hx_redirect("auth.login")
    form = SignInCodeForm()
    if form.validate_on_submit():
        used = twofactor.check_code(user, form.code.data, utcnow())
        if used:
            session.pop(PENDING, None)
            login_user(user, remember=data["remember"])
            if used == "recovery":
                left = twofactor.RecoveryCode.unused(user).count()
                flash(f"You used a recovery code; {left} left. Make new ones on your account page if you're "
                      "running low.", "warning")
            response = make_response(hx_redirect(data["next"]))
            if form.remember_device.data:
                remember_device(response, user)
            return response
        form.code.errors.append(WRONG_CODE)
    return render("auth/login_code.html", block="code_form", form=form, status=422 if form.errors else 200)


# --- settings ---------------------------------------------------------------------------------

def setup_context(user, form=None):
    secret = session.get(SETUP)
    if not secret:
        secret = session[SETUP] = twofactor.new_secret()
    uri = twofactor.provisioning_uri(secret, user.email, current_app.config["SITE_NAME"])
    return dict(enabled=False, form=form or EnableTwoFactorForm(), qr=twofactor.qr_svg(uri),
                secret=twofactor.grouped(secret))


def manage_context(user, codes_form=None, disable_form=None):
    return dict(enabled=True, two_factor=twofactor.TwoFactor.for_user(user),
                recovery_left=twofactor.RecoveryCode.unused(user).count(),
                codes_form=codes_form or NewRecoveryCodesForm(prefix="new_codes", formdata=None),
                disable_form=disable_form or DisableTwoFactorForm(prefix="disable", formdata=None))


def settings_page(status=200, **forms):
    user = current_user._get_current_object()
    context = manage_context(user, **forms) if twofactor.is_enabled(user) else setup_context(user, **forms)
    return render("auth/two_factor.html", block="two_factor", status=status, **context)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    if request.method == "GET" or twofactor.is_enabled(current_user):
        return settings_page()
    form = EnableTwoFactorForm()
    if not session.get(SETUP):  # the setup page was never shown in this session (or it expired)
        form.validate_on_submit()
        form.code.errors.append("Scan the code below with your app first, then enter the code it shows.")
    elif form.validate_on_submit():
        codes = twofactor.enable(current_user._get_current_object(), session[SETUP], form.code.data, utcnow())
        if codes:
            session.pop(SETUP, None)
            session[NEW_CODES] = codes
            flash("Two-step sign-in is on.", "success")
            return hx_redirect("auth.recovery_codes")
        form.code.errors.append("That code doesn't match. Check the app shows the entry you just added, "
                                "and that your phone's clock is right.")
    return settings_page(status=422, form=form)


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@login_required
@limit_wrong_codes
def recovery_codes():
    if request.method == "POST":
        form = NewRecoveryCodesForm(prefix="new_codes")
        if not twofactor.is_enabled(current_user):
            return hx_redirect("auth.two_factor")
        if form.validate_on_submit():
            if twofactor.check_code(current_user, form.code.data, utcnow()):
                session[NEW_CODES] = twofactor.replace_recovery_codes(current_user._get_current_object())
                return hx_redirect("auth.recovery_codes")
            form.code.errors.append(WRONG_CODE)
        return settings_page(status=422, codes_form=form)
    codes = session.pop(NEW_CODES, None)
    if not codes:
        flash("Recovery codes are shown only once. Make new ones if you've lost them.", "info")
        return redirect(url_for("auth.two_factor"))
    return render("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@limit_wrong_codes
def disable_two_factor():
    form = DisableTwoFactorForm(prefix="disable")
    if not twofactor.is_enabled(current_user):
        return hx_redirect("auth.two_factor")
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors.append("That isn't your password.")
        elif not twofactor.check_code(current_user, form.code.data, utcnow()):
            form.code.errors.append(WRONG_CODE)
        else:
            twofactor.disable(current_user._get_current_object())
            flash("Two-step sign-in is off. Your recovery codes and remembered devices no longer work.", "info")
            return hx_redirect("auth.two_factor")
    return settings_page(status=422, disable_form=form)
