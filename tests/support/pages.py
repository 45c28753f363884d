"""Reading pages as a person or a browser would."""
import html
import re

HX = {"HX-Request": "true"}  # what htmx sends with every request it makes


def _html(response_or_html):
    return response_or_html if isinstance(response_or_html, str) else response_or_html.get_data(as_text=True)


def unescaped(response_or_html):
    """The page's markup with entities undone, for plain `in` checks on text and tags alike."""
    return html.unescape(_html(response_or_html))


def readable(response_or_html):
    """What a reader sees: no tags, entities undone, white space squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _html(response_or_html))).split())
