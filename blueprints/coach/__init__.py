"""The coach's own pages: today, clients, and the public page's text."""
from blueprints.coach.views import bp


def init_app(app):
    app.register_blueprint(bp)
