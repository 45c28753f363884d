"""What templates call: Markdown, local times, zone names, the zone list, hashed static URLs."""
import hashlib
from pathlib import Path

import markdown as markdown_lib
import nh3
from flask import url_for
from markupsafe import Markup

from timezones import local_time, zone_label, zone_options


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
    return Markup(zone_options(selected))


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
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.filters["zone"] = zone_label
    app.jinja_env.globals["zone_options"] = zone_options_markup
    app.jinja_env.globals["static_url"] = static_url_helper(app)
