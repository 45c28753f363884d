"""Goals across work and life: goals, steps, check-ins, the wheel of life (views.py, the client's
routes), and the coach's side (coach_views.py)."""


def init_app(app):
    from blueprints.goals import coach_views, views
    app.register_blueprint(views.bp)
    app.register_blueprint(coach_views.bp)
