"""The coach's own pages: today, clients and one client's page (with its forms), the public page's text."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, request, url_for
from flask_login import current_user
from peewee import fn

from blueprints.auth.models import User
from blueprints.booking.service import SlotTaken
from blueprints.clients import service as client_service
from blueprints.clients.forms import NoteForm, PackageForm
from blueprints.clients.models import ClientRecord, Invitation
from blueprints.clients.page import client_sessions, record_context
from blueprints.coach import service
from blueprints.coach.forms import (HandoverForm, NewClientForm, PageAddressForm, PageSettingsForm, PhotoForm,
                                    PrepEmailForm)
from blueprints.coach.handover import HandoverRefused, hand_over, other_coaches
from blueprints.coach.photo import MAX_BYTES as PHOTO_MAX_BYTES, TOO_LARGE as PHOTO_TOO_LARGE, PhotoRefused
from blueprints.goals.pages import coach_client_context
from blueprints.intake.models import IntakeAnswer
from blueprints.journal.models import JournalEntry
from blueprints.journal.context import coach_prep_context
from blueprints.sessions import service as session_service
from blueprints.sessions.forms import schedule_form_for
from blueprints.sessions.page import schedule_context
from database import utcnow
from mail import OutboxMessage
from scheduling.models import Booking, SessionType, WeeklyHours
from timezones import day_window, local_today
from web import coach_required, current_coach_profile, hx_redirect, or_404, render
from web.security import accepts_upload

bp = Blueprint("coach", __name__, url_prefix="/coach")


@bp.route("")
@coach_required
def dashboard():
    profile = current_coach_profile()
    now = utcnow()
    _, end_of_today = day_window(local_today(now, profile.timezone), ZoneInfo(profile.timezone))
    seen = profile.bookings_last_seen
    return render(
        "coach/dashboard.html", profile=profile, seen=seen,
        new_count=Booking.booked_since(current_user.id, seen, now).count(),
        today_calls=list(Booking.upcoming(current_user.id, now, until=end_of_today)),
        next_calls=list(Booking.upcoming(current_user.id, end_of_today).limit(5)),
        has_hours=WeeklyHours.for_coach(current_user.id).exists(),
        shared_entries=list(JournalEntry.shared_with(current_user.id).limit(5)),
        failed_email=list(OutboxMessage.failed_to(people_addresses(current_user.id), now - FAILED_EMAIL_SHOWN)
                          .limit(10)),
    )


FAILED_EMAIL_SHOWN = timedelta(days=30)


def people_addresses(coach):
    """Lower-cased addresses of the coach, their clients and everyone who booked them (a query)."""
    booked = Booking.select(fn.LOWER(Booking.email)).where(Booking.coach == coach)
    accounts = User.select(fn.LOWER(User.email)).where((User.coach == coach) | (User.id == coach))
    return booked | accounts


@bp.route("/settings", methods=["GET", "POST"])
@coach_required
def settings():
    profile = current_coach_profile()
    form = PageSettingsForm(obj=profile, name=current_user.name)
    if form.validate_on_submit():
        flash(service.save_page_settings(profile, form), "success")
        return hx_redirect("coach.settings")
    return settings_page(profile, form=form, block="settings_form")


@bp.route("/settings/address", methods=["POST"])
@coach_required
def page_address():
    """The page's address, /coaches/<slug>: its own small form on the settings page."""
    profile = current_coach_profile()
    address_form = PageAddressForm()
    if address_form.validate_on_submit():
        try:
            moved = service.change_slug(profile, address_form.slug.data)
        except service.SlugTaken:
            address_form.slug.errors.append("Another coach's page has, or had, that address. Choose another.")
        else:
            if moved:
                flash(f"Your page is now at /coaches/{profile.slug}. The old address leads there too.", "success")
            return hx_redirect("coach.settings")
    return settings_page(profile, block="address_form", address_form=address_form, status=422)


@bp.route("/settings/prep-email", methods=["POST"])
@coach_required
def prep_email_setting():
    profile = current_coach_profile()
    prep_form = PrepEmailForm()
    if prep_form.validate_on_submit():
        flash(service.save_prep_email(profile, prep_form.prep_email.data), "success")
        return hx_redirect("coach.settings")
    return settings_page(profile, prep_form=prep_form, block="prep_email_form")


def settings_page(profile, block, form=None, prep_form=None, photo_form=None, address_form=None, status=None):
    """The settings page (or one of its forms' blocks), with the forms not being posted fresh."""
    form = form or PageSettingsForm(formdata=None, obj=profile, name=current_user.name)
    prep_form = prep_form or PrepEmailForm(formdata=None, obj=profile)
    photo_form = photo_form or PhotoForm(formdata=None)
    address_form = address_form or PageAddressForm(formdata=None, slug=profile.slug)
    if status is None:
        status = 422 if form.errors or prep_form.errors else 200
    return render("coach/settings.html", block=block, form=form, prep_form=prep_form, photo_form=photo_form,
                  address_form=address_form, profile=profile, status=status)


PHOTO_REQUEST_LIMIT = PHOTO_MAX_BYTES + 64 * 1024  # the file and the form around it


@bp.route("/settings/photo", methods=["POST"])
@coach_required
@accepts_upload(PHOTO_REQUEST_LIMIT)
def upload_photo():
    profile = current_coach_profile()
    # Checked before the form is read, so a huge request is refused without being stored.
    if (request.content_length or 0) > PHOTO_REQUEST_LIMIT:
        return photo_refused(profile, PhotoForm(formdata=None), PHOTO_TOO_LARGE, 413)
    form = PhotoForm()
    if not form.validate_on_submit():
        return photo_refused(profile, form, None, 422)
    try:
        flash(service.save_photo(profile, form.photo.data.read(PHOTO_MAX_BYTES + 1)), "success")
    except PhotoRefused as refused:
        return photo_refused(profile, form, str(refused), 413 if str(refused) == PHOTO_TOO_LARGE else 422)
    return hx_redirect("coach.settings")


def photo_refused(profile, form, message, status):
    if message:
        form.photo.errors = [*form.photo.errors, message]
    return settings_page(profile, block="photo_form", photo_form=form, status=status)


@bp.route("/settings/photo/remove", methods=["POST"])
@coach_required
def remove_photo():
    flash(service.remove_photo(current_coach_profile()), "success")
    return hx_redirect("coach.settings")


@bp.route("/clients", methods=["GET", "POST"])
@coach_required
def clients():
    form = NewClientForm()
    if form.validate_on_submit():
        made = client_service.make_client(current_user._get_current_object(), form.name.data, form.email.data,
                                          form.note.data or "")
        flash(f"{made.client.name} is now your client. We've emailed them an invitation.", "success")
        return hx_redirect("coach.clients")
    return render("coach/clients.html", block="clients_panel", form=form, status=422 if form.errors else 200,
                  **client_list(current_user.id, request.args.get("after", type=int)))


CLIENTS_PAGE = 50


def client_list(coach, after_id=None):
    """One page of active clients by name (after the client `after_id`), the first archived ones."""
    after = my_client(after_id) if after_id else None
    rows = list(ClientRecord.clients_of(coach, after=after).limit(CLIENTS_PAGE + 1))
    clients = rows[:CLIENTS_PAGE]
    shown = [c.id for c in clients]
    pending = {i.client_id for i in Invitation.pending_for_coach(coach).where(Invitation.client.in_(shown))}
    return dict(clients=clients, pending=pending, paged=after is not None,
                next_after=clients[-1].id if len(rows) > CLIENTS_PAGE else None,
                archived=list(ClientRecord.clients_of(coach, archived=True).limit(CLIENTS_PAGE)),
                archived_count=ClientRecord.archived_count(coach))


def my_client(client_id):
    """The signed-in coach's client, or 404 (another coach's client is as missing as none)."""
    return or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)))


@bp.route("/clients/<int:client_id>")
@coach_required
def client_detail(client_id):
    """One client, for the coach: sessions, the discovery call's answers, what the client shared."""
    return client_page(my_client(client_id))


def client_page(client, status=200, **forms):
    """The client page; a form that failed comes back in it with the coach's input (422/409)."""
    return render("coach/client.html", block="client_page", status=status, client=client,
                  **client_page_context(current_user.id, client, **forms))


def client_page_context(coach, client, note_form=None, package_form=None, schedule_form=None, handover_form=None):
    """What the client page shows. Each feature adds its own section here (journal, goals, notes);
    every query is scoped to this coach's own client and, for the client's words, to what is shared."""
    now = utcnow()
    discovery = Booking.discovery_call(coach, client)
    return dict(
        now=now,
        upcoming=list(Booking.upcoming(coach, now, client=client)),
        past=list(Booking.past(coach, now, client=client).limit(20)),
        discovery=discovery,
        discovery_answers=list(IntakeAnswer.of_bookings([discovery.id])) if discovery else [],
        **coach_prep_context(coach, client),
        **record_context(coach, client, current_user.timezone, note_form=note_form, package_form=package_form),
        **schedule_context(coach, current_user.timezone, schedule_form),
        **coach_client_context(coach, client),
        handover_form=handover_form or handover_form_for(current_user, formdata=None),
    )


def handover_form_for(coach, **kwargs):
    """The hand-over form, when the practice has another coach to hand a client to."""
    others = other_coaches(coach)
    return HandoverForm.for_coaches(others, **kwargs) if others else None


# --- forms on the client page (each re-renders the page with its errors) -------------------------

@bp.route("/clients/<int:client_id>/notes", methods=["POST"])
@coach_required
def add_note(client_id):
    client = my_client(client_id)
    form = NoteForm(sessions=client_sessions(current_user.id, client), zone=current_user.timezone)
    if not form.validate_on_submit():
        return client_page(client, 422, note_form=form)
    booking = Booking.get_by_id(form.booking.data) if form.booking.data else None
    client_service.add_note(current_user.id, client, form.body.data, booking)
    flash("Note saved. Only you can see it.", "success")
    return hx_redirect(url_for("coach.client_detail", client_id=client.id) + "#notes-heading")


@bp.route("/clients/<int:client_id>/package", methods=["POST"])
@coach_required
def package(client_id):
    client = my_client(client_id)
    form = PackageForm()
    if not form.validate_on_submit():
        return client_page(client, 422, package_form=form)
    since = datetime.combine(form.since.data, time(0), ZoneInfo(current_user.timezone)) if form.sessions.data else None
    client_service.set_package(current_user.id, client, form.sessions.data or None, since, form.note.data)
    flash("Package saved." if form.sessions.data else "Package removed.", "success")
    return hx_redirect("coach.client_detail", client_id=client.id)


@bp.route("/clients/<int:client_id>/sessions", methods=["POST"])
@coach_required
def schedule(client_id):
    """Put a session in for the client at any future time (their hours don't bind the coach)."""
    client = my_client(client_id)
    form = schedule_form_for(current_user.id, formdata="request")
    if not form.validate_on_submit():
        return client_page(client, 422, schedule_form=form)
    profile = current_coach_profile()
    session_type = or_404(SessionType.owned_active(current_user.id, form.session_type.data))
    start = datetime.combine(form.day.data, form.start_time.data, ZoneInfo(profile.timezone))
    try:
        session_service.schedule_session(profile, session_type, client, start, clash_ok=form.clash_ok.data)
    except session_service.TimeRefused as exc:
        (form.start_time if "passed" in str(exc) else form.clash_ok).errors.append(str(exc))
        return client_page(client, 422, schedule_form=form)
    except SlotTaken:
        form.start_time.errors.append("You already have a booking at that time. Choose another time.")
        return client_page(client, 409, schedule_form=form)
    flash(f"Booked: {session_type.name.lower()} with {client.name}. They've been emailed.", "success")
    return hx_redirect("coach.client_detail", client_id=client.id)


@bp.route("/clients/<int:client_id>/handover", methods=["POST"])
@coach_required
def handover(client_id):
    """Hand the client to another coach of the practice; private notes stay with this coach."""
    client = my_client(client_id)
    form = or_404(handover_form_for(current_user))
    if not form.validate_on_submit():
        return client_page(client, 422, handover_form=form)
    try:
        new_coach = hand_over(current_user._get_current_object(), client, form.coach.data, form.message.data)
    except HandoverRefused as exc:
        form.coach.errors.append(str(exc))
        return client_page(client, 409, handover_form=form)
    flash(f"{client.name} is now {new_coach.name}'s client. We've emailed them both.", "success")
    return hx_redirect("coach.clients")
