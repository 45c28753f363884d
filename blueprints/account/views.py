"""The account page: a new email address (confirmed from that address), a new password, where
you are signed in. Logic in account_changes.py; the routes share the auth blueprint."""
from flask import Blueprint, current_app, flash, request
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import account_changes as changes
from blueprints.account import service
from blueprints.account.forms import ChangeEmailForm, ChangePasswordForm
from blueprints.auth.forms import SignOutEverywhereForm
from blueprints.auth.models import LoginSession
from blueprints.auth.passwords import verify_password
from database import utcnow
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
            service.send_confirmation(user, form.email.data)
            flash(f"We've sent a link to {changes.normalise_email(form.email.data)}. Your address changes when "
                  "you open it.", "info")
            return hx_redirect("account.page")
    return account_page(block="email_change", status=422, email_form=form)


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """The link from the new address. GET asks (mail scanners open links); POST changes it."""
    change = changes.EmailChange.usable(token, utcnow())
    if change is None:
        return render("account/email_change_invalid.html", status=404)
    form = SignOutEverywhereForm()  # only the CSRF token
    if form.validate_on_submit():
        done = service.confirm(change)
        if not done:
            return render("account/email_change_invalid.html", status=404)
        flash(f"Done: you now sign in with {done[0].email}.", "success")
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
            service.change_password(user, form.password.data)
            # This browser stays signed in, with a new session (kept as long as before).
            login_user(user, remember=bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))))
            flash("Your new password is set. Every other device was signed out.", "success")
            return hx_redirect("account.page")
    return account_page(block="password_change", status=422, password_form=form)
