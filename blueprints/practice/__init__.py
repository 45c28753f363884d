"""The practice: its name and text, inviting coaches (its admin), a new coach joining."""


def init_app(app):
    from blueprints.practice.views import bp
    app.register_blueprint(bp)
