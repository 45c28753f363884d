"""Goals across work and life: goals, steps, check-ins, the wheel of life, the coach's side."""


def init_app(app):
    from blueprints.goals import views
    views.init_app(app)
