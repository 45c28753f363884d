"""The coach's own pages: today, clients, and the public page's text; a new coach's practice."""


def init_app(app):
    from blueprints.coach.views import bp, upload_photo
    app.register_blueprint(bp)
    # The photo form checks its own CSRF token, after the upload's size: a photo too large is
    # then refused next to its field, not by the site-wide check that would read it first.
    app.extensions["csrf"].exempt(upload_photo)
