"""What templates call: Markdown, local times, zone names, the zone list, hashed static URLs."""
import hashlib
from pathlib import Path

import markdown as markdown_lib
import nh3
from flask import url_for
from jinja2 import pass_context
from markupsafe import Markup

from database import utcnow
from timezones import local_time, zone_description, zone_label, zone_names, zone_options
from web.clock import viewer_hour12


class _NoRawHtml(markdown_lib.Extension):
    """Raw HTML in the source is shown as text, never passed through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown_to_html(text):
    """Markdown anyone wrote (coach's page, journal entries, comments) → safe HTML.

    Two layers: raw HTML is escaped as text, and nh3 strips anything a browser could run
    (only http, https and mailto links survive)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", _NoRawHtml()])
    return Markup(nh3.clean(html, link_rel="noopener noreferrer nofollow",
                            url_schemes={"http", "https", "mailto"}))


def zone_options_markup(selected):
    """The `<option>`s of the visitor's time-zone list, `selected` marked (already escaped)."""
    return Markup(zone_options(selected, utcnow(), viewer_hour12()))


def hour12_of(context):
    """The clock a template shows times on: its own `viewer_hour12` (an email says whose clock it
    is read on), else the viewer's of this request."""
    value = context.get("viewer_hour12")
    return viewer_hour12() if value is None else value


@pass_context
def local_filter(context, value, zone_name, fmt="%a %-d %b %Y, %H:%M"):
    """`when|local(zone, fmt)`: in `zone`, `%H:%M` on the reader's 12- or 24-hour clock."""
    return local_time(value, zone_name, fmt, hour12=hour12_of(context))


@pass_context
def zone_now_filter(context, zone_name):
    """`zone|zone_now`: "New York — Eastern Time, UTC−5, now 09:12"."""
    return zone_description(zone_name, utcnow(), hour12_of(context))


def static_url_helper(app):
    """url_for('static') plus a content hash, so static files can be cached for a year."""
    versions = {}

    def static_url(filename):
        if filename not in versions or app.debug:
            path = Path(app.static_folder) / filename
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.exists() else "0"
            versions[filename] = digest
        return url_for("static", filename=filename, v=versions[filename])

    return static_url


def register(app):
    app.jinja_env.filters["markdown"] = markdown_to_html
    app.jinja_env.filters["local"] = local_filter
    app.jinja_env.filters["zone_now"] = zone_now_filter
    app.jinja_env.filters["zone_places"] = zone_names
    app.jinja_env.filters["zone"] = zone_label
    app.jinja_env.globals["zone_options"] = zone_options_markup
    app.jinja_env.globals["reads_12_hour_clock"] = viewer_hour12
    app.jinja_env.globals["static_url"] = static_url_helper(app)
