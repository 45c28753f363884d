"""Who may see what: roles, a missing row as 404, rows of the signed-in coach."""
from functools import wraps

from flask import abort, current_app
from flask_login import current_user


def or_404(row):
    """The row, or the 404 page: a missing row is never a 500."""
    if row is None:
        abort(404)
    return row


def owned(model, row_id):
    """A row of `model` that belongs to the signed-in coach; another coach's row is as missing
    as a deleted one (its existence is not theirs to know)."""
    return or_404(model.get_or_none((model.id == row_id) & (model.coach == current_user.id)))


def current_coach_profile():
    """The signed-in coach's practice profile (views behind @coach_required), else 404."""
    profile = or_404(current_user.coach_profiles.first())
    profile.user = current_user._get_current_object()  # already loaded: its zone and name are read
    return profile


def role_required(role):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role != role:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


coach_required = role_required("coach")
client_required = role_required("client")
