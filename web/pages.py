"""Answering a request: a whole page or, for htmx, only its block; redirects after a POST."""
from flask import abort, get_flashed_messages, make_response, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block


def render(template, block="content", status=200, **context):
    """Render the whole page, or only `block` when htmx asks (the markup exists once)."""
    # History restores also send HX-Request but need the whole page.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def valid_or_refuse(form, refuse):
    """`form`, validated; if it is not valid the request ends here with refuse(form), the page or
    block showing the form's messages (status 422) — the early return every posting view writes."""
    if not form.validate():
        abort(make_response(refuse(form)))
    return form


def hx_redirect(endpoint_or_url, **values):
    """POST/Redirect/GET; under htmx a full-page HX-Redirect, so the next page arrives whole."""
    url = endpoint_or_url if endpoint_or_url.startswith("/") else url_for(endpoint_or_url, **values)
    if request.htmx:
        return "", 204, {"HX-Redirect": url}
    return redirect(url, code=303)


def htmx_headers_and_toasts(response):
    """After every request: Vary on HX-Request, and flashed messages as out-of-band toasts."""
    # Pages answer differently to htmx; caches must keep the two apart.
    response.vary.add("HX-Request")
    if (request.htmx and response.mimetype == "text/html" and response.status_code != 204
            and "HX-Redirect" not in response.headers and not response.direct_passthrough):
        messages = get_flashed_messages(with_categories=True)
        if messages:
            toasts = render_template("_toasts.html", messages=messages, oob=True)
            response.set_data(response.get_data(as_text=True) + toasts)
    return response
