"""Public pages: the coach's landing page, the first-run page, privacy notice, health check."""


def init_app(app):
    from blueprints.pages.views import bp
    app.register_blueprint(bp)
