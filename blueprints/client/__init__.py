"""A client's own space: the home page (/me).

/me is made of sections (next session, goals, steps due this week, wheel of life, journal);
each is a block of templates/client/home.html that also answers on its own at
/me/sections/<name>, so a section refreshes itself when an htmx event says its data changed
(`goals-changed`, `wheel-changed`, `journal-changed`, `bookings-changed` in HX-Trigger).
"""


def init_app(app):
    from blueprints.client.views import bp
    app.register_blueprint(bp)
