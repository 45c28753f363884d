"""Rate limits are stored in the database, so they hold across worker processes."""
from support.accounts import PASSWORD


def test_login_attempts_are_limited(make_app, users):
    client = make_app(LOGIN_RATE_LIMIT="3 per minute").test_client()
    for _ in range(3):
        assert client.post("/login", data={"email": "coach@example.com", "password": "nope"}).status_code == 422
    blocked = client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Please slow down" in blocked.get_data(as_text=True)


def test_limit_is_shared_between_two_app_instances(make_app, users):
    # Two apps on one database stand in for two gunicorn workers.
    worker_a = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    worker_b = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    assert worker_a.post("/login", data={"email": "x@example.com", "password": "x"}).status_code == 422
    assert worker_b.post("/login", data={"email": "x@example.com", "password": "x"}).status_code == 422
    assert worker_a.post("/login", data={"email": "x@example.com", "password": "x"}).status_code == 429


def test_counter_starts_again_after_the_window(app):
    import time

    from ratelimit import PeeweeStorage, RateLimitCounter
    storage = PeeweeStorage()
    assert storage.incr("k", expiry=60) == 1
    assert storage.incr("k", expiry=60) == 2
    RateLimitCounter.update(expires_at=time.time() - 1).execute()
    assert storage.get("k") == 0
    assert storage.incr("k", expiry=60) == 1


def test_other_addresses_are_not_affected(make_app, users):
    app = make_app(LOGIN_RATE_LIMIT="1 per minute")
    client = app.test_client()
    client.post("/login", data={"email": "x@example.com", "password": "x"})
    assert client.post("/login", data={"email": "x@example.com", "password": "x"}).status_code == 429
    other = client.post("/login", data={"email": "x@example.com", "password": "x"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 422
