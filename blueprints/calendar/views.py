"""Calendar pages: the public-by-secret feeds, the coach's calendar page, a client's feed link."""
from flask import Blueprint, Response, abort, current_app, flash, request, url_for
from flask_login import current_user
from werkzeug.http import http_date

from blueprints.auth.models import CLIENT, CoachProfile, User
from blueprints.calendar import feeds, service
from blueprints.calendar.busy import CalendarUnreadable
from blueprints.calendar.fetch import FetchError
from blueprints.calendar.forms import OpenSlotsForm, RegenerateFeedForm, UploadSourceForm, UrlSourceForm
from database import utcnow
from ratelimit import limiter
from scheduling.models import BusySource
from web import client_required, coach_required, current_coach_profile, hx_redirect, or_404, owned, render
from web.security import accepts_upload

bp = Blueprint("calendar", __name__)
bp.add_app_template_filter(service.time_ago, "ago")
bp.add_app_template_filter(service.url_host, "url_host")

FEED_HEADERS = {"Cache-Control": "private, max-age=300"}
# The file may be 2 MB; the multipart wrapping and the other fields add a little.
UPLOAD_REQUEST_LIMIT = service.MAX_BYTES + 64 * 1024
TOO_LARGE = "That file is larger than 2 MB. Export a shorter range of your calendar, or use its secret address."


# --- the feeds: anyone holding the secret address -------------------------------------------

def _not_modified(feed, changed_this_second):
    # If-None-Match wins: an ETag is exact, a date only has whole seconds.
    if request.if_none_match:
        return request.if_none_match.contains_weak(feed.etag)
    since = request.if_modified_since
    return (since is not None and not changed_this_second
            and feed.last_modified.replace(microsecond=0) <= since)


def feed_response(feed, filename):
    headers = {**FEED_HEADERS, "ETag": f'"{feed.etag}"'}
    # A date in the current second could be followed by another change in that same second,
    # which the date could not tell apart: such a date is not handed out (nor trusted).
    changed_this_second = feed.last_modified.replace(microsecond=0) >= utcnow().replace(microsecond=0)
    if not changed_this_second:
        headers["Last-Modified"] = http_date(feed.last_modified)
    if _not_modified(feed, changed_this_second):
        return Response(status=304, headers=headers)
    return Response(feed.body, headers={**headers, "Content-Disposition": f'inline; filename="{filename}"'},
                    content_type="text/calendar; charset=utf-8")


@bp.route("/calendar/<token>.ics")
def coach_feed(token):
    profile = or_404(CoachProfile.by_feed_token(token))
    return feed_response(feeds.coach_feed(profile, utcnow()), "bookings.ics")


@bp.route("/calendar/client/<token>.ics")
def client_feed(token):
    user = or_404(User.get_or_none((User.feed_token == token) & (User.role == CLIENT)))
    return feed_response(feeds.client_feed(user, utcnow()), "sessions.ics")


# --- the coach's calendar page --------------------------------------------------------------

def settings_page(block="content", status=200, **forms):
    profile = current_coach_profile()
    context = dict(
        profile=profile,
        links=feeds.subscription_links(url_for("calendar.coach_feed", token=profile.feed_token)),
        sources=list(BusySource.for_coach(current_user.id)),
        slots_form=OpenSlotsForm(formdata=None, include_open_slots=profile.feed_include_open_slots),
        regenerate_form=RegenerateFeedForm(formdata=None),
        url_form=UrlSourceForm(formdata=None, prefix="url"),
        upload_form=UploadSourceForm(formdata=None, prefix="upload"),
    )
    context.update(forms)
    return render("calendar/settings.html", block=block, status=status, **context)


@bp.route("/coach/calendar")
@coach_required
def settings():
    return settings_page()


@bp.route("/coach/calendar/feed/open-slots", methods=["POST"])
@coach_required
def open_slots():
    form = OpenSlotsForm()
    if not form.validate_on_submit():
        return settings_page(block="open_slots_form", status=422, slots_form=form)
    service.show_open_slots(current_user.id, form.include_open_slots.data)
    flash("Your feed now shows your open slots too." if form.include_open_slots.data
          else "Your feed now shows bookings only.", "success")
    return hx_redirect("calendar.settings")


@bp.route("/coach/calendar/feed/regenerate", methods=["POST"])
@coach_required
def regenerate_feed():
    form = RegenerateFeedForm()
    if not form.validate_on_submit():
        return settings_page(block="regenerate_form", status=422, regenerate_form=form)
    service.new_coach_feed_address(current_user.id)
    flash("Your feed has a new address. Subscribe to it again; the old one no longer works.", "success")
    return hx_redirect("calendar.settings")


def refresh_limit():
    return current_app.config["CALENDAR_REFRESH_RATE_LIMIT"]


def signed_in_coach():
    return f"coach:{current_user.id}"


@bp.route("/coach/calendar/sources", methods=["POST"])
@coach_required
@limiter.limit(refresh_limit, key_func=signed_in_coach)  # fetches the address, like Refresh now
def add_source():
    form = UrlSourceForm(prefix="url")
    if form.validate_on_submit():
        try:
            source = service.add_url_source(current_user.id, form.name.data.strip(), form.url.data,
                                            current_app.config, own_addresses=form.addresses())
        except (FetchError, CalendarUnreadable) as error:
            form.url.errors.append(f"We couldn’t use that address: {error}.")
        else:
            flash(f"Added “{source.name}”: its busy times now block your booking slots.{_skipped_note(source)}",
                  "success")
            return hx_redirect("calendar.settings")
    return settings_page(block="add_url_form", status=422, url_form=form)


@bp.route("/coach/calendar/sources/upload", methods=["POST"])
@coach_required
@accepts_upload(UPLOAD_REQUEST_LIMIT)
def upload_source():
    # Checked before the form is read, so a huge request is refused without being stored.
    if (request.content_length or 0) > UPLOAD_REQUEST_LIMIT:
        return _upload_refused(UploadSourceForm(formdata=None, prefix="upload"), TOO_LARGE, 413)
    form = UploadSourceForm(prefix="upload")
    if not form.validate_on_submit():
        return _upload_refused(form, None, 422)
    data = form.file.data.read(service.MAX_BYTES + 1)
    if len(data) > service.MAX_BYTES:
        return _upload_refused(form, TOO_LARGE, 413)
    try:
        source = service.add_uploaded_source(current_user.id, form.name.data.strip(), data,
                                             own_addresses=form.addresses())
    except CalendarUnreadable as error:
        return _upload_refused(form, f"We couldn’t read that file: {error}.", 422)
    count = source.event_count
    flash(f"Added “{source.name}”: {count} event{'' if count == 1 else 's'} read.{_skipped_note(source)}", "success")
    return hx_redirect("calendar.settings")


def _skipped_note(source):
    count = source.skipped_count
    if not count:
        return ""
    return f" {count} event{' was' if count == 1 else 's were'} left out: see below."


def _upload_refused(form, message, status):
    if message:
        form.file.errors = [*form.file.errors, message]
    return settings_page(block="add_upload_form", status=status, upload_form=form)


@bp.route("/coach/calendar/sources/<int:source_id>/refresh", methods=["POST"])
@coach_required
@limiter.limit(refresh_limit, key_func=signed_in_coach)  # each try may hold a web worker for seconds
def refresh_source(source_id):
    source = owned(BusySource, source_id)
    if source.kind != BusySource.URL:
        abort(404)
    source = or_404(service.refresh_source(source, current_app.config))
    if source.last_error:
        flash(f"“{source.name}” couldn’t be updated: {source.last_error}.", "error")
    else:
        flash(f"“{source.name}” is up to date.", "success")
    if request.htmx:
        return render("calendar/_source.html", block="source", source=source, profile=current_coach_profile())
    return hx_redirect("calendar.settings")


@bp.route("/coach/calendar/sources/<int:source_id>/remove", methods=["POST"])
@coach_required
def remove_source(source_id):
    source = owned(BusySource, source_id)
    service.remove_source(source)
    flash(f"“{source.name}” no longer blocks your booking slots.", "success")
    if request.htmx:
        return ""  # the component swaps itself out
    return hx_redirect("calendar.settings")


# --- a client's own feed ----------------------------------------------------------------------

def client_feed_links(user):
    """The links for the client's feed section, or None before they have visited it."""
    if not user.feed_token:
        return None
    return feeds.subscription_links(url_for("calendar.client_feed", token=user.feed_token))


@bp.route("/me/calendar")
@client_required
def client_calendar():
    # The secret is made on the first visit: only someone looking for it needs one.
    user = service.client_with_feed_address(current_user.id)
    return render("calendar/client.html", block="client_feed", client_feed=client_feed_links(user),
                  regenerate_form=RegenerateFeedForm(formdata=None))


@bp.route("/me/calendar/regenerate", methods=["POST"])
@client_required
def client_regenerate():
    form = RegenerateFeedForm()
    if not form.validate_on_submit():
        return render("calendar/client.html", block="client_feed", status=422, regenerate_form=form,
                      client_feed=client_feed_links(current_user))
    service.new_client_feed_address(current_user.id)
    flash("Your calendar link is new. Subscribe to it again; the old one no longer works.", "success")
    return hx_redirect("calendar.client_calendar")
