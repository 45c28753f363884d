"""The account page: a new email address (confirmed from that address), a new password, where
you are signed in. Logic in account_changes.py; the routes share the auth blueprint."""
from flask import Blueprint, current_app, flash, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import account_changes as changes
from blueprints.account.forms import ChangeEmailForm, ChangePasswordForm
from blueprints.auth.forms import SignOutEverywhereForm
from blueprints.auth.models import LoginSession
from blueprints.auth.passwords import verify_password
from database import db, utcnow
from mail import queue_email
from ratelimit import limiter
from web import hx_redirect, render

bp = Blueprint("account", __name__)
NOT_YOUR_PASSWORD = "That isn't your password."


def account_key():
    return f"account:{current_user.id}"


def email_change_limit():
    return current_app.config["EMAIL_CHANGE_RATE_LIMIT"]


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


# Every request for a new address sends an email to it: limit them all, not only the wrong ones.
limit_email_changes = limiter.limit(email_change_limit, key_func=account_key, methods=["POST"])
# Guessing the current password from a stolen session: wrong ones count like wrong sign-ins.
limit_wrong_passwords = limiter.limit(login_limit, key_func=account_key, methods=["POST"],
                                      deduct_when=lambda response: response.status_code == 422)


def account_page(block="content", status=200, email_form=None, password_form=None):
    return render("account/account.html", block=block, status=status,
                  sessions=LoginSession.count_for(current_user.id),
                  form=SignOutEverywhereForm(formdata=None),
                  email_form=email_form or ChangeEmailForm(prefix="email", formdata=None),
                  password_form=password_form or ChangePasswordForm(prefix="password", formdata=None),
                  pending_email=changes.pending_email(current_user.id, utcnow()))


@bp.route("/account")
@login_required
def page():
    return account_page()


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    if not form.validate_on_submit():
        return account_page(status=422)
    LoginSession.end_all(current_user.id)
    logout_user()
    flash("You are signed out on every device, this one included.", "info")
    return hx_redirect("auth.login")


@bp.route("/account/email", methods=["POST"])
@login_required
@limit_email_changes
def change_email():
    form = ChangeEmailForm(prefix="email")
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.password.data):
            form.password.errors.append(NOT_YOUR_PASSWORD)
        elif changes.normalise_email(form.email.data) == user.email:
            form.email.errors.append("That is already your address.")
        elif changes.email_taken(form.email.data, by_other_than=user):
            form.email.errors.append("Another account uses that address. Choose another one.")
        else:
            send_confirmation(user, form.email.data)
            flash(f"We've sent a link to {changes.normalise_email(form.email.data)}. Your address changes when "
                  "you open it.", "info")
            return hx_redirect("account.page")
    return account_page(block="email_change", status=422, email_form=form)


def send_confirmation(user, new_email):
    config = current_app.config
    now = utcnow()
    with db.atomic():
        token = changes.request_email_change(user, new_email, now)
        link = config["SITE_URL"] + url_for("account.confirm_email", token=token)
        hours = changes.EMAIL_CHANGE_HOURS
        queue_email(changes.normalise_email(new_email), "Confirm your new email address", "email_change_confirm",
                    user=user, link=link, hours=hours)
        queue_email(user.email, "Your email address is about to change", "email_change_requested",
                    user=user, new_email=changes.normalise_email(new_email), hours=hours,
                    account_url=config["SITE_URL"] + url_for("account.page"))


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """The link from the new address. GET asks (mail scanners open links); POST changes it."""
    change = changes.EmailChange.usable(token, utcnow())
    if change is None:
        return render("account/email_change_invalid.html", status=404)
    form = SignOutEverywhereForm()  # only the CSRF token
    if form.validate_on_submit():
        with db.atomic():
            done = changes.confirm_email_change(change, utcnow())
            if done:
                user, old_email = done
                queue_email(old_email, "Your email address was changed", "email_changed",
                            user=user, old_email=old_email, new_email=user.email)
        if not done:
            return render("account/email_change_invalid.html", status=404)
        flash(f"Done: you now sign in with {user.email}.", "success")
        return hx_redirect("account.page" if current_user.is_authenticated else "auth.login")
    return render("account/email_change_confirm.html", change=change, token=token, form=form)


@bp.route("/account/password", methods=["POST"])
@login_required
@limit_wrong_passwords
def change_password():
    form = ChangePasswordForm(prefix="password")
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(NOT_YOUR_PASSWORD)
        else:
            with db.atomic():
                changes.set_password(user, form.password.data)
                LoginSession.end_all(user.id)  # every other browser signs in again
                queue_email(user.email, "Your password was changed", "password_changed", user=user,
                            reset_url=current_app.config["SITE_URL"] + url_for("auth.reset_request"))
            # This browser stays signed in, with a new session (kept as long as before).
            login_user(user, remember=bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))))
            flash("Your new password is set. Every other device was signed out.", "success")
            return hx_redirect("account.page")
    return account_page(block="password_change", status=422, password_form=form)
