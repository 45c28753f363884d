"""The practice, for its admin coach: its name and text, its coaches and inviting more; and the
page where an invited coach joins."""
from functools import wraps

from flask import Blueprint, abort, current_app, flash
from flask_login import current_user, login_user

from blueprints.auth.models import CoachProfile
from blueprints.practice import service
from blueprints.practice.forms import InviteCoachForm, JoinForm, PracticeForm
from blueprints.practice.models import CoachInvitation, Practice
from web import coach_required, hx_redirect, render

bp = Blueprint("practice", __name__)
PRIVATE_PAGE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def admin_required(view):
    """A coach with the admin flag; any other coach gets 403 (clients and strangers as coach_required)."""
    @coach_required
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_practice_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def current_practice():
    return Practice.current(current_app.config["SITE_NAME"])


def settings_page(form=None, invite_form=None, block="practice_form", status=200):
    practice = current_practice()
    return render("practice/settings.html", block=block, status=status, practice=practice,
                  form=form or PracticeForm(formdata=None, obj=practice),
                  invite_form=invite_form or InviteCoachForm(formdata=None),
                  profiles=list(CoachProfile.listed()), pending=list(CoachInvitation.pending()))


@bp.route("/coach/practice", methods=["GET", "POST"])
@admin_required
def settings():
    form = PracticeForm()
    if form.validate_on_submit():
        service.save_practice(form.name.data, form.about.data)
        flash("The practice's page is updated.", "success")
        return hx_redirect("practice.settings")
    return settings_page(form=form if form.errors else None, status=422 if form.errors else 200)


@bp.route("/coach/practice/invitations", methods=["POST"])
@admin_required
def invite():
    form = InviteCoachForm()
    if form.validate_on_submit():
        try:
            service.invite_coach(current_user._get_current_object(), form.email.data, form.name.data)
        except service.AlreadyHasAccount:
            form.email.errors.append("Someone already signs in with this email. Invite another address.")
        else:
            flash(f"We've emailed {form.name.data.strip()} an invitation to join.", "success")
            return hx_redirect("practice.settings")
    return settings_page(invite_form=form, block="invite_form", status=422)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    """An invited coach sets their name, zone and password, and lands on their own setup."""
    try:
        invitation = service.usable_invitation(token)
    except service.InvitationUnusable as problem:
        return join_problem(str(problem))
    form = JoinForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            coach = service.join(invitation, form.name.data, form.password.data, form.timezone.data)
        except service.InvitationUnusable as problem:
            return join_problem(str(problem))
        except service.AlreadyHasAccount:
            return join_problem("Someone already signs in with this email. Sign in instead.", 409)
        login_user(coach)
        flash("Welcome to the practice. Start with your page: what visitors read before they book.", "success")
        return hx_redirect("coach.settings")
    body, status = render("practice/join.html", block="join_form", form=form, invitation=invitation,
                          practice=current_practice(), token=token, status=422 if form.errors else 200)
    return body, status, PRIVATE_PAGE


def join_problem(problem, status=410):
    body, status = render("practice/join_problem.html", problem=problem, status=status)
    return body, status, PRIVATE_PAGE
