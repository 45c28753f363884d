"""The client's journal: /journal (write, search, read back) and /journal/<id> (one entry).

Saves never lose a word: a validation error or an expired form re-renders the text; a save
that arrives signed out is held for this browser and made after the person signs in again.
"""
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import ValidationError as CSRFValidationError, validate_csrf

from blueprints.journal import service
from blueprints.journal.context import client_prompts, entry_form, journal_page
from blueprints.journal.forms import MAX_ENTRY, SearchForm
from blueprints.journal.models import HOLD_FOR, JournalComment, JournalDraft, JournalEntry, JournalTag
from blueprints.journal.search import Filters
from database import utcnow
from web import client_required, or_404, render

bp = Blueprint("journal", __name__)
FIELDS = ("body", "prompt_source", "mood", "energy", "tags", "shared")
HELD_COOKIE = "journal_held"
SEARCH_ARGS = ("q", "tag", "prompt", "mood", "since", "until")
EXPIRED = "This page had been open a long time, so nothing was saved yet. Your text is still here: press Save again."


def saved_message(entry):
    return "Saved and shared with your coach." if entry.shared else "Saved. Only you can see it."


def form_values():
    return {k: request.form.get(k, "") for k in FIELDS}


def same_origin():
    """Did this request come from one of our own pages? (Origin, else Referer.)"""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(source) and urlsplit(source).netloc == request.host


def hold_and_sign_in(target):
    """Signed out mid-save: keep the text for this browser only, ask to sign in, save after."""
    values = form_values()
    if not values["body"].strip() or len(values["body"]) > MAX_ENTRY:
        return current_app.login_manager.unauthorized()
    token = service.hold_save(target, values, trusted=same_origin())
    flash("You were signed out, so your entry isn't saved yet. Sign in and we'll save it straight away.", "info")
    target_url = url_for("auth.login", next=url_for("journal.resume"))
    response = make_response(("", 204, {"HX-Redirect": target_url}) if request.htmx else redirect(target_url, 303))
    response.set_cookie(HELD_COOKIE, token, max_age=int(HOLD_FOR.total_seconds()), httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), path="/journal")
    return response


def writer_required(view):
    """Like client_required, but a signed-out save is held instead of thrown away."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return hold_and_sign_in(kwargs.get("entry_id", service.NEW))
        if not current_user.is_client:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def expired_only(form):
    """True when the only problem is an expired CSRF token (then: keep the text, ask again)."""
    return bool(form.errors) and set(form.errors) == {"csrf_token"}


def search_form(client):
    form = SearchForm(request.args)
    names = JournalTag.names_of(client)
    if form.tag.data and form.tag.data not in names:  # an older tag, followed from an entry
        names.append(form.tag.data)
    form.tag.choices = [("", "Any tag")] + [(t, t) for t in names]
    form.prompt.choices = [("", "Any prompt")] + [(str(p.id), p.text) for p in client_prompts(client)]
    return form


def filters_of(form):
    if form.errors:
        return Filters()
    return Filters(text=form.q.data or "", tag=form.tag.data or "",
                   prompt_id=int(form.prompt.data) if form.prompt.data else None,
                   mood=int(form.mood.data) if form.mood.data else None,
                   since=form.since.data, until=form.until.data)


def render_journal(status=200, block="content", **overrides):
    search = search_form(current_user)
    valid = search.validate()
    deleted_id = request.args.get("deleted", type=int)
    deleted = JournalEntry.recently_deleted(current_user.id, deleted_id) if deleted_id else None
    context = journal_page(current_user, filters_of(search), request.args.get("before"), deleted=deleted, **overrides)
    filter_args = {k: v for k, v in request.args.items() if k in SEARCH_ARGS and v}
    return render("journal/index.html", block=block, search=search, filter_args=filter_args,
                  status=status if valid else 422, **context)


@bp.route("/journal")
@client_required
def index():
    block = "results" if request.headers.get("HX-Target") == "journal-results" else "content"
    answer = request.args.get("answer", type=int)
    if answer:
        return render_journal(block=block, form=entry_form(current_user, prompt_id=answer))
    return render_journal(block=block)


@bp.route("/journal", methods=["POST"])
@writer_required
def create():
    form = entry_form(current_user, formdata=request.form)
    if form.validate_on_submit():
        entry = service.create_entry(current_user, form.values())
        flash(saved_message(entry), "success")
        if request.htmx:
            return render_journal()
        return redirect(url_for("journal.index") + f"#entry-{entry.id}", 303)
    if expired_only(form):
        flash(EXPIRED, "error")
    return render_journal(status=400 if expired_only(form) else 422, form=form)


def entry_page(entry, editing=False, form=None, status=200, block="content"):
    return render("journal/entry.html", block=block, entry=entry, editing=editing, form=form,
                  comments=JournalComment.on_entries([entry.id]), tag_names=JournalTag.names_of(current_user.id),
                  status=status)


@bp.route("/journal/<int:entry_id>")
@client_required
def show(entry_id):
    entry = or_404(JournalEntry.owned(current_user.id, entry_id))
    return entry_page(entry, block="card" if request.htmx and request.headers.get("HX-Target", "").startswith("entry-") else "content")


@bp.route("/journal/<int:entry_id>/edit")
@client_required
def edit(entry_id):
    entry = or_404(JournalEntry.owned(current_user.id, entry_id))
    draft = JournalDraft.find(current_user.id, service.draft_key(entry))
    form = entry_form(current_user, entry=entry, draft=draft)
    in_place = request.htmx and request.headers.get("HX-Target", "").startswith("entry-")
    return render("journal/entry.html", block="card" if in_place else "content", entry=entry, editing=True,
                  form=form, draft=draft, comments=JournalComment.on_entries([entry.id]),
                  tag_names=JournalTag.names_of(current_user.id))


@bp.route("/journal/<int:entry_id>", methods=["POST"])
@writer_required
def update(entry_id):
    entry = or_404(JournalEntry.owned(current_user.id, entry_id))
    form = entry_form(current_user, entry=entry, formdata=request.form)
    if form.validate_on_submit():
        service.update_entry(entry, current_user, form.values())
        flash(saved_message(entry), "success")
        if request.htmx:
            return entry_page(entry, block="card")
        return redirect(url_for("journal.show", entry_id=entry.id), 303)
    if expired_only(form):
        flash(EXPIRED, "error")
    return entry_page(entry, editing=True, form=form, status=400 if expired_only(form) else 422,
                      block="card" if request.htmx else "content")


def back_to(entry):
    """Where a plain form returns to: the list it was sent from, or the entry's own page."""
    if request.form.get("back") == "list":
        return redirect(url_for("journal.index") + f"#entry-{entry.id}", 303)
    return redirect(url_for("journal.show", entry_id=entry.id), 303)


@bp.route("/journal/<int:entry_id>/share", methods=["POST"])
@client_required
def share(entry_id):
    entry = or_404(JournalEntry.owned(current_user.id, entry_id))
    service.set_shared(entry, request.form.get("shared") == "1")
    flash("Shared with your coach." if entry.shared else "Private again: your coach no longer sees it.", "success")
    if request.htmx:
        return entry_page(entry, block="card")
    return back_to(entry)


@bp.route("/journal/<int:entry_id>/delete", methods=["POST"])
@client_required
def delete(entry_id):
    entry = or_404(JournalEntry.owned(current_user.id, entry_id))
    service.delete_entry(entry)
    if request.htmx:
        return render_template("journal/_deleted.html", entry=entry)
    return redirect(url_for("journal.index", deleted=entry.id), 303)


@bp.route("/journal/<int:entry_id>/restore", methods=["POST"])
@client_required
def restore(entry_id):
    entry = service.restore_entry(current_user.id, entry_id)
    if entry is None:
        flash("That entry can no longer be brought back.", "error")
        return redirect(url_for("journal.index"), 303) if not request.htmx else ("", 204, {"HX-Redirect": url_for("journal.index")})
    flash("Entry restored.", "success")
    if request.htmx:
        return entry_page(entry, block="card")
    return back_to(entry)


@bp.route("/journal/draft", methods=["POST"])
def autosave():
    """Debounced htmx autosave. Answers a short status line, never a redirect mid-typing."""
    if not current_user.is_authenticated:
        return render_template("journal/_draft_status.html", state="signed-out"), 401
    if not current_user.is_client:
        abort(403)
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken") or request.form.get("csrf_token"))
        except CSRFValidationError:
            return render_template("journal/_draft_status.html", state="expired"), 400
    key = draft_key_of(request.form.get("draft_key", service.NEW))
    values = form_values()
    if len(values["body"]) > MAX_ENTRY:
        return render_template("journal/_draft_status.html", state="too-long"), 422
    if not values["body"].strip() and not values["tags"].strip():
        service.discard_draft(current_user.id, key)
        return render_template("journal/_draft_status.html", state="empty")
    if JournalEntry.recently_saved(current_user.id, values["body"], utcnow() - timedelta(seconds=60)):
        service.discard_draft(current_user.id, key)  # this autosave arrived after the Save itself
        return render_template("journal/_draft_status.html", state="empty")
    saved_at = service.save_draft(current_user.id, key, values)
    return render_template("journal/_draft_status.html", state="saved", saved_at=saved_at)


def draft_key_of(value):
    if value != service.NEW:
        entry_id = value.removeprefix("entry-")
        entry = JournalEntry.owned(current_user.id, int(entry_id)) if entry_id.isdigit() and len(entry_id) < 12 else None
        return service.draft_key(or_404(entry))
    return service.NEW


@bp.route("/journal/draft/discard", methods=["POST"])
@client_required
def discard_draft():
    key = draft_key_of(request.form.get("draft_key", service.NEW))
    service.discard_draft(current_user.id, key)
    flash("Draft discarded.", "info")
    if key != service.NEW:
        entry_id = int(key.removeprefix("entry-"))
        return redirect(url_for("journal.edit", entry_id=entry_id), 303) if not request.htmx else \
            ("", 204, {"HX-Redirect": url_for("journal.edit", entry_id=entry_id)})
    if request.htmx:
        return render_journal()
    return redirect(url_for("journal.index"), 303)


@bp.route("/journal/resume")
@client_required
def resume():
    """After signing in again: make the save that was held for this browser."""
    from blueprints.journal.resume import resume_held_save
    return resume_held_save(request.cookies.get(HELD_COOKIE), HELD_COOKIE)
