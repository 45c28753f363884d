"""Two-step sign-in: setup, sign-in, wrong and reused codes, recovery codes, remembered
devices, rate limit, turning it off — for coaches, and optionally for clients."""
import re
from datetime import timedelta

import pyotp
import pytest

from support.accounts import PASSWORD
from support.pages import HX


def secret_on_page(html):
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")


def signed_in(client, home="/coach"):
    return client.get(home).status_code == 200


def enable(client, email="coach@example.com"):
    """Sign in, turn two-step sign-in on; returns (totp, recovery codes)."""
    client.post("/login", data={"email": email, "password": PASSWORD})
    secret = secret_on_page(client.get("/account/two-factor").get_data(as_text=True))
    totp = pyotp.TOTP(secret)
    response = client.post("/account/two-factor", data={"code": totp.now()})
    assert response.status_code == 303 and response.headers["Location"] == "/account/two-factor/recovery-codes"
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>",
                       client.get("/account/two-factor/recovery-codes").get_data(as_text=True))
    client.post("/logout")
    # As if set up some minutes ago: the code that turned it on is spent, today's codes are not.
    from blueprints.auth.twofactor import TwoFactor
    TwoFactor.update(last_step=TwoFactor.last_step - 10).execute()
    return totp, codes


def password_step(client, email="coach@example.com", **extra):
    return client.post("/login", data={"email": email, "password": PASSWORD, **extra})


def next_code(totp, steps=1):
    """A code the app will show `steps` periods from now (still inside the accepted drift)."""
    from database import utcnow
    return totp.at(utcnow(), counter_offset=steps)


@pytest.fixture
def coach_2fa(app, users):
    return enable(app.test_client())


# --- setup ------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX])
def test_setup_page_draws_its_own_qr_code(client, auth, users, headers):
    auth.login()
    response = client.get("/account/two-factor", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ("<html" in html) == (not headers)
    assert "<svg" in html and "Turn on two-step sign-in" in html
    secret = secret_on_page(html)
    assert len(secret) >= 32
    assert "http" not in re.search(r"<svg.*?</svg>", html, re.S).group(0).replace("http://www.w3.org", "")
    # The same secret until it is confirmed (a reload must not invalidate what was scanned).
    assert secret_on_page(client.get("/account/two-factor").get_data(as_text=True)) == secret


def test_setup_refuses_a_wrong_code_and_keeps_the_secret(client, auth, users):
    auth.login()
    secret = secret_on_page(client.get("/account/two-factor").get_data(as_text=True))
    wrong = client.post("/account/two-factor", data={"code": "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"})
    html = wrong.get_data(as_text=True).replace("&#39;", "'")
    assert wrong.status_code == 422 and "doesn't match" in html and secret_on_page(html) == secret
    from blueprints.auth.twofactor import is_enabled
    assert not is_enabled(users["coach"])


def test_setup_shows_ten_recovery_codes_once_and_stores_only_digests(app, users):
    client = app.test_client()
    totp, codes = enable(client)
    assert len(codes) == len(set(codes)) == 10
    from blueprints.auth.twofactor import RecoveryCode
    stored = " ".join(r.code_hash for r in RecoveryCode.select())
    assert all(code.replace("-", "") not in stored and code not in stored for code in codes)
    password_step(client)
    client.post("/login/code", data={"code": totp.now()})
    again = client.get("/account/two-factor/recovery-codes")
    assert again.status_code == 302 and again.headers["Location"] == "/account/two-factor"


# --- signing in -------------------------------------------------------------------------------

def test_password_alone_no_longer_signs_in(client, coach_2fa):
    response = password_step(client)
    assert response.status_code == 303 and response.headers["Location"] == "/login/code"
    assert not signed_in(client)
    page = client.get("/login/code")
    assert page.status_code == 200 and "Code from your authenticator app" in page.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_right_code_signs_in_and_goes_on_to_next(client, coach_2fa, headers):
    totp, _ = coach_2fa
    client.post("/login?next=/coach/bookings", data={"email": "coach@example.com", "password": PASSWORD})
    response = client.post("/login/code", data={"code": totp.now()}, headers=headers)
    target = response.headers.get("HX-Redirect") or response.headers["Location"]
    assert target == "/coach/bookings" and signed_in(client)


def test_a_wrong_code_is_refused(app, client, coach_2fa):
    totp, _ = coach_2fa
    app.config["TWO_FACTOR_RATE_LIMIT"] = "100 per minute"  # this test is about answers, not the limit
    password_step(client)
    wrong = next_code(totp, steps=5)
    response = client.post("/login/code", data={"code": wrong})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "each code works once" in html and not signed_in(client)
    for hostile in ("", "12345", "1234567", "abcdef", "\x00" * 6, "9" * 5000):
        assert client.post("/login/code", data={"code": hostile}).status_code == 422


def test_a_used_code_does_not_work_twice(app, coach_2fa):
    totp, _ = coach_2fa
    first, second = app.test_client(), app.test_client()
    code = totp.now()
    password_step(first)
    password_step(second)
    assert first.post("/login/code", data={"code": code}).status_code == 303
    assert second.post("/login/code", data={"code": code}).status_code == 422
    # Nor does an older code once a newer one was used.
    assert second.post("/login/code", data={"code": next_code(totp, -1)}).status_code == 422
    assert not signed_in(second)


def test_a_recovery_code_signs_in_once(app, coach_2fa):
    _, codes = coach_2fa
    client = app.test_client()
    password_step(client)
    response = client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 303 and "9 left" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert signed_in(client)
    other = app.test_client()
    password_step(other)
    assert other.post("/login/code", data={"code": codes[3]}).status_code == 422


def test_wrong_codes_are_rate_limited_per_account(app, coach_2fa, users):
    totp, _ = coach_2fa
    attacker = app.test_client()
    password_step(attacker)
    wrong = next_code(totp, steps=7)
    assert [attacker.post("/login/code", data={"code": wrong}).status_code for _ in range(5)] == [422] * 5
    # Now even the right code waits: guessing a million codes is out of reach.
    assert attacker.post("/login/code", data={"code": totp.now()}).status_code == 429
    # The limit follows the account, not the browser.
    fresh = app.test_client()
    password_step(fresh)
    assert fresh.post("/login/code", data={"code": totp.now()}).status_code == 429
    # Right codes do not use up the allowance: another account is unaffected.
    other_totp, _ = enable(app.test_client(), "alex@example.com")
    client = app.test_client()
    password_step(client, "alex@example.com")
    assert client.post("/login/code", data={"code": other_totp.now()}).status_code == 303


def test_the_code_page_needs_the_password_first_and_expires(client, coach_2fa):
    totp, _ = coach_2fa
    assert client.get("/login/code").headers["Location"] == "/login"
    password_step(client)
    with client.session_transaction() as session:
        session["two_factor_pending"] = dict(session["two_factor_pending"], until=session["two_factor_pending"]["until"] - 600)
    response = client.post("/login/code", data={"code": totp.now()})
    assert response.headers["Location"] == "/login" and not signed_in(client)


def test_a_password_change_between_the_steps_ends_the_challenge(client, coach_2fa, users):
    from blueprints.auth.models import User
    totp, _ = coach_2fa
    password_step(client)
    User.update(session_nonce="changed").where(User.id == users["coach"].id).execute()
    assert client.post("/login/code", data={"code": totp.now()}).headers["Location"] == "/login"


# --- remembered devices -------------------------------------------------------------------------

def test_a_remembered_device_skips_the_code_for_30_days(app, coach_2fa):
    from blueprints.auth.twofactor import TrustedDevice
    totp, _ = coach_2fa
    client = app.test_client()
    password_step(client)
    response = client.post("/login/code", data={"code": totp.now(), "remember_device": "y"})
    cookie = response.headers["Set-Cookie"]
    assert "letstalk_device=" in cookie and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    client.post("/logout")
    assert password_step(client).headers["Location"] == "/coach" and signed_in(client)

    elsewhere = app.test_client()
    assert password_step(elsewhere).headers["Location"] == "/login/code"

    from database import utcnow
    TrustedDevice.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    client.post("/logout")
    assert password_step(client).headers["Location"] == "/login/code"


def test_without_ticking_remember_the_next_sign_in_asks_again(app, coach_2fa):
    totp, _ = coach_2fa
    client = app.test_client()
    password_step(client)
    assert "letstalk_device" not in client.post("/login/code", data={"code": totp.now()}).headers.get("Set-Cookie", "")
    client.post("/logout")
    assert password_step(client).headers["Location"] == "/login/code"


# --- managing it --------------------------------------------------------------------------------

def sign_in_with_code(client, totp, email="coach@example.com"):
    password_step(client, email)
    assert client.post("/login/code", data={"code": totp.now()}).status_code == 303


def test_turning_it_off_needs_the_password_and_a_code(app, coach_2fa, users):
    from blueprints.auth.twofactor import is_enabled
    totp, codes = coach_2fa
    client = app.test_client()
    sign_in_with_code(client, totp)
    wrong_password = client.post("/account/two-factor/disable",
                                 data={"disable-password": "not my password", "disable-code": codes[0]})
    assert wrong_password.status_code == 422
    assert "isn't your password" in wrong_password.get_data(as_text=True).replace("&#39;", "'")
    no_code = client.post("/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": "000000"})
    assert no_code.status_code == 422 and is_enabled(users["coach"])
    off = client.post("/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": codes[0]},
                      headers=HX)
    assert off.status_code == 204 and off.headers["HX-Redirect"] == "/account/two-factor"
    assert not is_enabled(users["coach"])
    client.post("/logout")
    assert password_step(client).headers["Location"] == "/coach"


def test_new_recovery_codes_replace_the_old_ones(app, coach_2fa):
    totp, old = coach_2fa
    client = app.test_client()
    sign_in_with_code(client, totp)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<strong>10</strong> unused recovery codes" in page
    response = client.post("/account/two-factor/recovery-codes", data={"new_codes-code": old[0]})
    assert response.headers["Location"] == "/account/two-factor/recovery-codes"
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", client.get(response.headers["Location"]).get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    other = app.test_client()
    password_step(other)
    assert other.post("/login/code", data={"code": old[1]}).status_code == 422
    assert other.post("/login/code", data={"code": new[1]}).status_code == 303


def test_clients_may_turn_it_on_and_are_not_asked_otherwise(app, users):
    client = app.test_client()
    assert password_step(client, "sam@example.com").headers["Location"] == "/me"
    totp, _ = enable(app.test_client(), "alex@example.com")
    alex = app.test_client()
    assert password_step(alex, "alex@example.com").headers["Location"] == "/login/code"
    assert alex.post("/login/code", data={"code": totp.now()}).headers["Location"] == "/me"


@pytest.mark.parametrize("url", ["/account/two-factor", "/account/two-factor/recovery-codes"])
def test_settings_need_a_signed_in_user(client, users, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post("/account/two-factor/disable", data={}).status_code == 302


# --- the pure parts -----------------------------------------------------------------------------

def test_codes_drift_by_one_step_at_most():
    from datetime import datetime, timezone
    from blueprints.auth.twofactor import matching_step
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = datetime(2027, 3, 28, 0, 59, 45, tzinfo=timezone.utc)
    step = totp.timecode(now)
    for offset in (-1, 0, 1):
        assert matching_step(secret, totp.at(now, counter_offset=offset), now) == step + offset
    for offset in (-2, 2):
        code = totp.at(now, counter_offset=offset)
        if code not in {totp.at(now, counter_offset=o) for o in (-1, 0, 1)}:
            assert matching_step(secret, code, now) is None
    assert matching_step(secret, " ".join(totp.at(now)[i:i + 3] for i in (0, 3)), now) == step
    assert matching_step(secret, "١٢٣٤٥٦", now) is None  # other scripts' digits are not ours


def test_turning_on_without_having_seen_the_code_explains_what_to_do(client, auth, users):
    auth.login()
    response = client.post("/account/two-factor", data={"code": "123456"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Scan the code below" in html and "<svg" in html
    from blueprints.auth.twofactor import is_enabled
    assert not is_enabled(users["coach"])
