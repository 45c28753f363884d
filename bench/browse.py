"""A tiny cookie-keeping HTTP client that fills in the site's real forms, as a person would.

Used by the correctness check so a booking goes through POST /book and a rule change through
the coach's availability editor — the paths whose job it is to invalidate the slot cache.
"""
import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Every <form>: action, method, and its controls (inputs, textareas, selects)."""

    def __init__(self):
        super().__init__()
        self.forms, self._textarea = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                               "controls": []})
        elif self.forms and tag in ("input", "select"):
            self.forms[-1]["controls"].append({"tag": tag, **attrs})
        elif self.forms and tag == "textarea":
            self._textarea = {"tag": tag, **attrs}
            self.forms[-1]["controls"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] = self._textarea.get("value", "") + data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def forms_in(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_posting_to(html, path):
    """The first POST form whose action's path is `path`, or None."""
    for form in forms_in(html):
        if form["method"] == "post" and urllib.parse.urlsplit(form["action"]).path == path:
            return form
    return None


def fill(form, values, honeypots=("website",)):
    """Form data: hidden values kept, `values` by name (a form prefix like `override-` is ignored),
    required text answered, boxes ticked, one choice per radio group."""
    data, named = [], set()
    for control in form["controls"]:
        name, kind = control.get("name"), (control.get("type") or "text").lower()
        if not name or kind in ("submit", "button", "reset") or name in honeypots or name in named:
            continue
        short = name.rsplit("-", 1)[-1]
        if name in values or short in values:
            value = values.get(name, values.get(short))
        elif kind == "checkbox":
            value = control.get("value", "y")  # consent and the like: a person ticks them to book
        elif kind == "hidden" or kind == "radio":
            value = control.get("value", "")
        elif "required" in control:
            value = "A benchmark check; please ignore."
        else:
            value = control.get("value", "")
        if kind == "radio":
            named.add(name)
        data.append((name, value))
    return data


class Browser:
    def __init__(self, base_url):
        self.base = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.url
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace"), exc.url

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def submit(self, page_path, action_path, values):
        """GET the page, fill its form posting to `action_path`, POST it (redirects followed)."""
        status, html, _ = self.get(page_path)
        form = form_posting_to(html, action_path) if status == 200 else None
        if form is None:
            raise LookupError(f"GET {page_path} ({status}) has no form posting to {action_path}")
        return self.post(form["action"] or action_path, fill(form, values))
