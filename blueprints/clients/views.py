"""Clients: make one from a booking, invitations (undo, send again, the welcome page), archive,
deleting a private note. The client page and its forms that re-render it are in coach.views."""
from flask import Blueprint, flash, url_for
from flask_login import current_user, login_user

from blueprints.auth.models import User
from blueprints.clients import service
from blueprints.clients.forms import MakeClientForm, WelcomeForm
from blueprints.clients.models import PrivateNote
from scheduling.models import Booking
from web import coach_required, hx_redirect, or_404, owned, render

bp = Blueprint("clients", __name__)


def my_client(client_id):
    """The signed-in coach's client, or 404 (another coach's client is as missing as none)."""
    return or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)))


def coach():
    return current_user._get_current_object()


@bp.route("/coach/bookings/<int:booking_id>/make-client", methods=["GET", "POST"])
@coach_required
def make_client(booking_id):
    """Asks once — who, which email, a welcome note — then makes the client and invites them."""
    booking = owned(Booking, booking_id)
    if booking.anonymised_at:
        flash("This prospect's details were removed after the retention period.", "error")
        return hx_redirect("booking.coach_list")
    # The booking's name and email fill the form; a field the coach changes wins.
    form = MakeClientForm(data={"name": booking.name, "email": booking.email})
    if form.validate_on_submit():
        try:
            made = service.make_client(coach(), form.name.data, form.email.data, form.note.data or "", booking)
        except service.EmailTaken:
            form.email.errors.append("That email belongs to another account, so it can't become your client.")
        else:
            flash(f"{made.client.name} is now your client." + (" We've emailed them an invitation." if made.invited else ""),
                  "success")
            return hx_redirect("coach.client_detail", client_id=made.client.id)
    return render("clients/make_client.html", block="make_client_form", form=form, booking=booking,
                  status=422 if form.errors else 200)


@bp.route("/coach/clients/<int:client_id>/invitation/undo", methods=["POST"])
@coach_required
def undo(client_id):
    client = my_client(client_id)
    try:
        service.undo_client(coach(), client)
    except service.HasSessions:
        flash(f"{client.name} has sessions booked. Cancel them first, then undo.", "error")
        return hx_redirect("coach.client_detail", client_id=client.id)
    except service.CannotUndo:
        flash(f"{client.name} has already accepted the invitation, so it can't be undone. "
              "You can archive them instead.", "error")
        return hx_redirect("coach.client_detail", client_id=client.id)
    flash(f"Undone: {client.name} is no longer your client and their invitation link no longer works.", "success")
    return hx_redirect("coach.clients")


@bp.route("/coach/clients/<int:client_id>/invitation", methods=["POST"])
@coach_required
def resend(client_id):
    client = my_client(client_id)
    try:
        service.resend_invitation(coach(), client)
    except service.CannotUndo:
        flash(f"{client.name} has already set their password.", "info")
    else:
        flash(f"We've emailed {client.name} a new invitation; the old link no longer works.", "success")
    return hx_redirect("coach.client_detail", client_id=client.id)


@bp.route("/coach/clients/<int:client_id>/archive", methods=["POST"])
@coach_required
def archive(client_id):
    client = my_client(client_id)
    service.set_archived(current_user.id, client, True)
    flash(f"{client.name} is archived. They can still sign in and read everything they wrote.", "success")
    return hx_redirect("coach.client_detail", client_id=client.id)


@bp.route("/coach/clients/<int:client_id>/unarchive", methods=["POST"])
@coach_required
def unarchive(client_id):
    client = my_client(client_id)
    service.set_archived(current_user.id, client, False)
    flash(f"{client.name} is an active client again.", "success")
    return hx_redirect("coach.client_detail", client_id=client.id)


@bp.route("/coach/clients/<int:client_id>/notes/<int:note_id>/delete", methods=["POST"])
@coach_required
def delete_note(client_id, note_id):
    client = my_client(client_id)
    note = or_404(PrivateNote.get_or_none((PrivateNote.id == note_id) & (PrivateNote.coach == current_user.id)
                                          & (PrivateNote.client == client)))
    service.delete_note(note)
    flash("Note deleted.", "success")
    return hx_redirect(url_for("coach.client_detail", client_id=client.id) + "#notes-heading")


# --- the invited client's side ----------------------------------------------------------------

REASON_STATUS = {service.MISSING: 404, service.EXPIRED: 410, service.USED: 410, service.WRONG_ACCOUNT: 409}


def unusable(problem):
    return render("clients/invitation_problem.html", reason=problem.reason, invitation=problem.invitation,
                  status=REASON_STATUS[problem.reason])


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token):
    """The invitation's welcome page, in the coach's voice: set a password and you're in."""
    viewer = current_user if current_user.is_authenticated else None
    try:
        invitation = service.invitation_for(token, viewer)
    except service.InvitationUnusable as problem:
        return unusable(problem)
    form = WelcomeForm()
    if form.validate_on_submit():
        try:
            client = service.accept_invitation(invitation, form.password.data)
        except service.InvitationUnusable as problem:
            return unusable(problem)
        login_user(client)
        flash(f"You're in. Welcome, {client.name.split()[0]}.", "success")
        return hx_redirect("client.home")
    body, status = render("clients/welcome.html", block="welcome_form", form=form, invitation=invitation,
                          coach=invitation.coach, client=invitation.client, token=token,
                          status=422 if form.errors else 200)
    # The address is the key: no shared cache may keep the page, no link may leak it.
    return body, status, {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
