"""Goals across work and life: goals, steps, check-ins, the wheel of life, the coach's side."""


def init_app(app):
    from blueprints.goals import coach_views, views, wheel_views  # noqa: F401 - routes on views.bp
    views.init_app(app)
