"""The coach's availability: weekly hours, date overrides, one-off slots, call settings, intake questions.

models.py and service.py are loaded by other features (booking, calendar) too, so the views are
imported only when the app registers them.
"""


def init_app(app):
    from blueprints.availability import questions, views  # noqa: F401  (questions adds its routes to views.bp)
    app.register_blueprint(views.bp)
