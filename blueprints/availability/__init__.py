"""The coach's availability editor: weekly hours, date overrides, one-off slots, call settings,
and the intake questions section. The data and the slot engine are in scheduling/."""


def init_app(app):
    from blueprints.availability.views import bp
    app.register_blueprint(bp)
