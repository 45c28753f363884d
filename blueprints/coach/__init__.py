"""The coach's own pages: today, clients, and the public page's text; a new coach's practice."""


def init_app(app):
    from blueprints.coach.views import bp
    app.register_blueprint(bp)
