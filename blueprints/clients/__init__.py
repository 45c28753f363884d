"""A coach's clients: making one from a booking, invitations and the welcome page, private notes,
archive and packages."""


def init_app(app):
    from blueprints.clients.views import bp
    app.register_blueprint(bp)
