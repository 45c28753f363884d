"""The client's rights over their data — download it all (/me/export), delete the account
(/account/delete) — and the coach's choice about their own notes on a deleted client."""
from flask import Blueprint, Response, current_app, flash, session, stream_with_context
from flask_login import current_user, logout_user

from blueprints.auth.models import User
from blueprints.auth.passwords import verify_password
from blueprints.privacy import erasure, export
from blueprints.privacy.forms import DeleteAccountForm, NotesDecisionForm
from blueprints.privacy.models import AccountDeletion
from database import utcnow
from ratelimit import limiter
from timezones import local_time
from web import client_required, coach_required, hx_redirect, or_404, render

bp = Blueprint("privacy", __name__)
SCHEDULED = "account_deletion_scheduled"  # the erase date, shown once signed out


def download(chunks, name, mimetype):
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def export_limit():
    return current_app.config["EXPORT_RATE_LIMIT"]


def account_key():
    return f"account:{current_user.id}"


# A 10,000-entry export is real work for the server: a few a day is all anyone needs.
limit_exports = limiter.shared_limit(export_limit, scope="export", key_func=account_key)  # zip and JSON together


@bp.route("/me/export")
@client_required
@limit_exports
def export_zip():
    """Everything the client wrote or was told, streamed as a zip (see export.py)."""
    user, now = current_user._get_current_object(), utcnow()
    return download(export.export_zip(user, now, current_app.config["SITE_NAME"]),
                    export.file_name(user, now) + ".zip", "application/zip")


@bp.route("/me/export.json")
@client_required
@limit_exports
def export_json():
    user, now = current_user._get_current_object(), utcnow()
    return download(export.json_chunks(user, now), export.file_name(user, now) + ".json", "application/json")


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/account/delete", methods=["GET", "POST"])
@client_required
@limiter.limit(login_limit, key_func=account_key, methods=["POST"],
               deduct_when=lambda response: response.status_code == 422)
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            deletion = erasure.request_deletion(current_user._get_current_object())
            when = local_time(deletion.erase_after, current_user.timezone, "%A %-d %B %Y, %H:%M")
            logout_user()
            session.clear()
            session[SCHEDULED] = when
            return hx_redirect("privacy.deletion_scheduled")
        form.password.errors.append("That isn't your password.")
    return render("privacy/delete.html", block="delete_form", form=form, status=422 if form.errors else 200)


@bp.route("/account/delete/scheduled")
def deletion_scheduled():
    when = session.get(SCHEDULED)
    if not when:
        return hx_redirect("auth.login")
    return render("privacy/scheduled.html", when=when)


# --- the coach's side -----------------------------------------------------------------------------

def coach_deletion_context(coach, client):
    """For the coach's client page: a pending or done deletion, and the notes question."""
    deletion = AccountDeletion.of_client(coach, client)
    form = NotesDecisionForm(formdata=None, data={"decision": deletion.notes_decision or None} if deletion else None)
    return dict(deletion=deletion, notes_form=form, erased=bool(deletion and deletion.erased_at))


@bp.route("/coach/clients/<int:client_id>/notes-after-deletion", methods=["POST"])
@coach_required
def notes_decision(client_id):
    client = or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)))
    deletion = or_404(AccountDeletion.of_client(current_user.id, client))
    form = NotesDecisionForm()
    if form.validate_on_submit():
        erasure.decide_notes(deletion, form.decision.data)
        if form.decision.data == "delete":
            flash("Your notes will be deleted with the account." if not deletion.erased_at
                  else "Your notes about this former client are deleted.", "success")
        else:
            flash("Your notes are kept. Only you can read them.", "success")
        return hx_redirect("coach.client_detail", client_id=client.id)
    return render("privacy/coach_deletion.html", block="deletion", status=422, client=client, deletion=deletion,
                  notes_form=form, erased=bool(deletion.erased_at))
