"""The coach's own pages: today, clients, and the public page's text."""
from zoneinfo import ZoneInfo

from flask import Blueprint, flash
from flask_login import current_user

from blueprints.auth.models import User
from blueprints.auth.service import add_client
from blueprints.coach import service
from blueprints.coach.forms import NewClientForm, PageSettingsForm
from blueprints.intake.models import IntakeAnswer
from blueprints.journal.models import JournalEntry
from database import utcnow
from scheduling.models import Booking, WeeklyHours
from timezones import day_window, local_today
from web import coach_required, current_coach_profile, hx_redirect, or_404, render

bp = Blueprint("coach", __name__, url_prefix="/coach")


@bp.route("")
@coach_required
def dashboard():
    profile = current_coach_profile()
    now = utcnow()
    _, end_of_today = day_window(local_today(now, profile.timezone), ZoneInfo(profile.timezone))
    return render(
        "coach/dashboard.html", profile=profile,
        today_calls=list(Booking.upcoming(current_user.id, now, until=end_of_today)),
        next_calls=list(Booking.upcoming(current_user.id, end_of_today).limit(5)),
        has_hours=WeeklyHours.for_coach(current_user.id).exists(),
        shared_entries=list(JournalEntry.shared_with(current_user.id).limit(5)),
    )


@bp.route("/settings", methods=["GET", "POST"])
@coach_required
def settings():
    profile = current_coach_profile()
    form = PageSettingsForm(obj=profile, name=current_user.name)
    if form.validate_on_submit():
        flash(service.save_page_settings(profile, form), "success")
        return hx_redirect("coach.settings")
    return render("coach/settings.html", block="settings_form", form=form, profile=profile,
                  status=422 if form.errors else 200)


@bp.route("/clients", methods=["GET", "POST"])
@coach_required
def clients():
    form = NewClientForm()
    if form.validate_on_submit():
        client = add_client(current_user._get_current_object(), form.email.data, form.name.data)
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
    discovery = Booking.discovery_call(coach, client)
    return dict(
        upcoming=list(Booking.upcoming(coach, now, client=client)),
        past=list(Booking.past(coach, now, client=client).limit(20)),
        discovery=discovery,
        discovery_answers=list(IntakeAnswer.of_bookings([discovery.id])) if discovery else [],
    )
