"""People: the users of the access matrix, and the one way a test signs in."""
PASSWORD = "correct horse battery"
EMAILS = {
    "coach": "coach@example.com",
    "client_a": "alex@example.com",
    "client_b": "sam@example.com",
    "other_coach": "other@example.com",
    "other_client": "olly@example.com",
}


def sign_in(client, who, password=PASSWORD):
    """Sign `who` in through the login form: a name from EMAILS or an email; "anonymous" stays out.
    Whoever was signed in on this test client before is signed out first. Returns the client."""
    with client.session_transaction() as session:
        session.clear()
    if who != "anonymous":
        _post_login(client, EMAILS.get(who, who), password)
    return client


def _post_login(client, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def sign_in_page(page, base, email, password=PASSWORD):
    """Sign in as a person does, in the browser page `page` of the site at `base`."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


class AuthActions:
    """The `auth` fixture: auth.login(email, password) and auth.logout() on the test client."""

    def __init__(self, client):
        self.client = client

    def login(self, email=EMAILS["coach"], password=PASSWORD):
        """Signs in (whoever was signed in leaves first); returns the login form's answer."""
        with self.client.session_transaction() as session:
            session.clear()
        return _post_login(self.client, email, password)

    def logout(self):
        return self.client.post("/logout")


def make_users():
    """coach (with clients A and B), and a second coach with a client of their own."""
    from blueprints.auth.service import create_client
    from blueprints.coach.service import create_coach
    coach = create_coach(EMAILS["coach"], "Jo Whitfield", PASSWORD, "Europe/London")
    other = create_coach(EMAILS["other_coach"], "Pat Other", PASSWORD, "America/New_York")
    return {
        "coach": coach,
        "client_a": create_client(coach, EMAILS["client_a"], "Alex Morgan", PASSWORD),
        "client_b": create_client(coach, EMAILS["client_b"], "Sam Rivera", PASSWORD),
        "other_coach": other,
        "other_client": create_client(other, EMAILS["other_client"], "Olly Other", PASSWORD),
    }


def make_one_coach():
    """A practice of one coach, Jo, and nobody else: the home page is Jo's own page."""
    from blueprints.coach.service import create_coach
    return create_coach(EMAILS["coach"], "Jo Whitfield", PASSWORD, "Europe/London")
