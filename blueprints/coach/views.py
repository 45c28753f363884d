from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, url_for
from flask_login import current_user
from peewee import fn

from blueprints.auth.accounts import create_client
from blueprints.auth.models import PasswordReset, User
from blueprints.availability.models import WeeklyHours
from blueprints.booking.models import ACTIVE_STATUSES, Booking, IntakeAnswer
from blueprints.coach.forms import NewClientForm, PageSettingsForm
from blueprints.coach.models import CoachProfile
from blueprints.journal.models import JournalEntry
from database import db, utcnow
from mail import OutboxMessage, queue_email
from web import coach_required, hx_redirect, or_404, owned, render

bp = Blueprint("coach", __name__, url_prefix="/coach")
INVITE_HOURS = 7 * 24


def upcoming_calls(coach, start, end=None, limit=None):
    query = Booking.select().where(
        (Booking.coach == coach) & Booking.status.in_(ACTIVE_STATUSES) & (Booking.ends_at > start))
    if end is not None:
        query = query.where(Booking.starts_at < end)
    query = query.order_by(Booking.starts_at)
    return list(query.limit(limit) if limit else query)


@bp.route("")
@coach_required
def dashboard():
    profile = CoachProfile.of_signed_in_coach()
    zone = ZoneInfo(profile.timezone)
    now = utcnow()
    today = now.astimezone(zone).date()
    end_of_today = datetime.combine(today + timedelta(days=1), time(0), zone)
    return render(
        "coach/dashboard.html", profile=profile,
        today_calls=upcoming_calls(current_user.id, now, end_of_today),
        next_calls=upcoming_calls(current_user.id, end_of_today, limit=5),
        has_hours=WeeklyHours.select().where(WeeklyHours.coach == current_user.id).exists(),
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
    profile = CoachProfile.of_signed_in_coach()
    form = PageSettingsForm(obj=profile, name=current_user.name)
    if form.validate_on_submit():
        with db.atomic():
            profile.headline, profile.intro_markdown = form.headline.data.strip(), form.intro_markdown.data
            if profile.timezone != form.timezone.data:
                profile.availability_version += 1  # weekly hours now mean other instants
            profile.timezone = form.timezone.data
            profile.updated_at = utcnow()
            profile.save()
            User.update(name=form.name.data.strip(), timezone=form.timezone.data).where(
                User.id == current_user.id).execute()
        flash("Your page is updated.", "success")
        return hx_redirect("coach.settings")
    return render("coach/settings.html", block="settings_form", form=form, profile=profile,
                  status=422 if form.errors else 200)


@bp.route("/clients", methods=["GET", "POST"])
@coach_required
def clients():
    form = NewClientForm()
    if form.validate_on_submit():
        with db.atomic():
            client = create_client(current_user._get_current_object(), form.email.data, form.name.data)
            invite_client(client)
        flash(f"{client.name} is now your client. We've emailed them a link to set a password.", "success")
        return hx_redirect("coach.clients")
    rows = User.select().where(User.coach == current_user.id).order_by(User.name)
    return render("coach/clients.html", block="clients_panel", form=form, clients=list(rows),
                  status=422 if form.errors else 200)


@bp.route("/clients/<int:client_id>")
@coach_required
def client_detail(client_id):
    """One client, for the coach: sessions, the discovery call's answers, what the client shared."""
    client = or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)))
    return render("coach/client.html", client=client, **client_page_context(current_user.id, client))


def client_page_context(coach, client):
    """What the client page shows. Each feature adds its own section here (journal, goals, notes);
    every query is scoped to this coach's own client and, for the client's words, to what is shared."""
    now = utcnow()
    bookings = Booking.select().where((Booking.coach == coach) & (Booking.client == client))
    active = bookings.where(Booking.status.in_(ACTIVE_STATUSES))
    discovery = (bookings.where(Booking.kind == "discovery").order_by(Booking.starts_at).first())
    return dict(
        upcoming=list(active.where(Booking.ends_at > now).order_by(Booking.starts_at)),
        past=list(active.where(Booking.ends_at <= now).order_by(Booking.starts_at.desc()).limit(20)),
        discovery=discovery,
        discovery_answers=list(discovery.answers.order_by(IntakeAnswer.position)) if discovery else [],
    )


@bp.route("/bookings/<int:booking_id>/make-client", methods=["POST"])
@coach_required
def make_client(booking_id):
    """One step from prospect to client: account, link to this booking, invitation email."""
    booking = owned(Booking, booking_id)
    with db.atomic():
        client = User.by_email(booking.email)
        if client is not None and (client.is_coach or client.coach_id != current_user.id):
            flash("That email belongs to another account, so it can't become your client.", "error")
            return hx_redirect("booking.coach_list")
        if client is None:
            client = create_client(current_user._get_current_object(), booking.email, booking.name, timezone=booking.timezone)
            invite_client(client)
        Booking.update(client=client).where(
            (Booking.coach == current_user.id) & (Booking.email == booking.email)).execute()
    flash(f"{client.name} is now your client.", "success")
    return hx_redirect("coach.clients")


def invite_client(client):
    """Email a new client a week-long link to choose their password (inside the caller's transaction)."""
    token = PasswordReset.issue(client, INVITE_HOURS)
    link = current_app.config["SITE_URL"] + url_for("auth.reset", token=token)
    queue_email(client.email, f"{current_user.name} invited you to {current_app.config['SITE_NAME']}",
                "client_invite", client=client, coach=current_user, link=link)
