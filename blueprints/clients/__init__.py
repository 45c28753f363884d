"""A coach's clients: invitations, the welcome page, private notes, archive and packages."""


def init_app(app):
    # Imported here, not at the top: models of other features import this package's models.
    from blueprints.clients.views import init_app as register
    register(app)
