"""A coach's clients: invitations, the welcome page, private notes, archive and packages."""
from blueprints.clients.views import init_app  # noqa: F401
