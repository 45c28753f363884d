"""The web layer every feature's views share, split by concern:

pages.py    render() a page or its block for htmx, valid_or_refuse(), hx_redirect() after a POST, toasts
access.py   coach_required, client_required, or_404, owned, current_coach_profile
errors.py   error pages (HTML, htmx toast or JSON)
filters.py  template filters and globals: markdown, local, zone, zone_now, zone_options, static_url
clock.py    the viewer's 12- or 24-hour clock and a guessed zone, from their cookie and languages
forms.py    form fields worded the same everywhere: email_field, zone_field
security.py safe redirects, hostile-input guards, security headers, request size limits

Views import these names from `web`; the modules above are where each one lives.
"""
from web import clock, errors, filters
from web.access import client_required, coach_required, current_coach_profile, or_404, owned, role_required
from web.pages import htmx_headers_and_toasts, hx_redirect, render, valid_or_refuse

__all__ = ["client_required", "coach_required", "current_coach_profile", "hx_redirect", "or_404", "owned",
           "render", "role_required", "valid_or_refuse"]


def init_app(app):
    errors.register_error_handlers(app)
    filters.register(app)
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600
    app.after_request(htmx_headers_and_toasts)
    app.after_request(clock.vary_on_viewer)
