"""A practice of several coaches: the practice's home page, each coach's own page and booking
page at /coaches/<slug>, and the address a coach chooses for them (old ones redirect).
(A practice of one coach keeps / and /book as they were: tests/test_pages.py, test_booking.py.)"""
from support.accounts import sign_in
from support.booking import booking_form, bookings, free_slots, iso, open_all_week, token_from
from support.pages import HX, readable, unescaped


def test_home_page_of_a_practice_still_speaks_for_the_first_coach(client, users):
    # CONTRACT: `/` and `/book` keep serving the first coach; the others are introduced below.
    html = unescaped(client.get("/"))
    assert html.count("<h1") == 1 and "Career coaching with Jo Whitfield · Let's talk" in html
    main = html.split("<main")[1]
    assert 'href="/book"' in main and 'href="/coaches/jo-whitfield/book"' not in main
    others = main.split('id="others-heading"')[1]
    assert others.startswith(">Also at Let's talk</h2>")  # the practice's name: the site's, until set
    assert 'href="/coaches/pat-other/book" aria-label="Book a call with Pat Other">Book a call</a>' in others
    assert 'href="/coaches">All our coaches</a>' in others
    fragment = client.get("/", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Pat Other" in fragment


def test_the_practice_page_lists_every_coach(client, users):
    html = unescaped(client.get("/coaches"))
    assert "<h1>Let's talk</h1>" in html and html.count("<h1") == 1
    for name, slug in (("Jo Whitfield", "jo-whitfield"), ("Pat Other", "pat-other")):
        assert f'href="/coaches/{slug}/book" aria-label="Book a call with {name}">Book a call</a>' in html
        assert f'href="/coaches/{slug}">{name}</a>' in html
    fragment = client.get("/coaches", headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "Pat Other" in fragment.get_data(as_text=True)


def test_a_practice_of_one_coach_has_no_practice_page(client, one_coach):
    response = client.get("/coaches")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "others-heading" not in client.get("/").get_data(as_text=True)


def test_each_coach_has_their_own_page(client, users):
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(headline="Careers after the army").where(CoachProfile.user == users["other_coach"]).execute()
    page = client.get("/coaches/pat-other")
    html = unescaped(page)
    assert page.status_code == 200 and "Career coaching with Pat Other" in html and "Careers after the army" in html
    assert 'href="/coaches/pat-other/book"' in html and 'href="/book"' not in html.split("<main")[1]
    fragment = client.get("/coaches/pat-other", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Careers after the army" in fragment
    assert client.get("/coaches/nobody-here").status_code == 404


def test_booking_page_of_a_coach_books_that_coach(client, users):
    other = users["other_coach"]
    open_all_week(other)
    page = client.get("/coaches/pat-other/book")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Book a free call with Pat Other" in html
    assert "/coaches/pat-other/book?date=" in html and "/coaches/pat-other/book/slot?start=" in html
    slot = free_slots(other)[0]
    form = client.get(f"/coaches/pat-other/book/slot?start={iso(slot.start)}&tz=Europe/London")
    assert form.status_code == 200 and 'action="/coaches/pat-other/book"' in form.get_data(as_text=True)
    response = client.post("/coaches/pat-other/book", data=booking_form(other, slot.start))
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    [booking] = bookings()
    assert booking.coach_id == other.id
    manage = client.get(f"/booking/{token_from(response)}").get_data(as_text=True)
    assert "Pat Other" in manage


def test_book_speaks_for_the_first_coach_and_names_the_others(client, users):
    open_all_week(users["coach"])
    html = unescaped(client.get("/book"))
    assert "Book a free call with Jo Whitfield" in html
    assert 'Or book a call with</span> <a href="/coaches/pat-other/book">Pat Other</a>' in html
    # The cached /book never answers for another coach's page, nor the other way round.
    assert "Book a free call with Pat Other" in client.get("/coaches/pat-other/book").get_data(as_text=True)
    assert "Book a free call with Jo Whitfield" in client.get("/book").get_data(as_text=True)


def test_one_coach_practice_book_names_no_one_else(client, one_coach):
    html = client.get("/book").get_data(as_text=True)
    assert "Book a free call with Jo Whitfield" in html and "Or book a call with" not in html
    assert client.get("/coaches/jo-whitfield/book").status_code == 200


# --- the page's address -------------------------------------------------------------------------

def change_address(client, slug, **headers):
    return client.post("/coach/settings/address", data={"slug": slug}, headers=headers)


def test_coach_chooses_their_address_and_the_old_one_redirects(client, users):
    sign_in(client, "other_coach")
    settings = unescaped(client.get("/coach/settings"))
    assert 'value="pat-other"' in settings and "Your page address" in settings
    response = change_address(client, " Pat-Careers ")
    assert response.status_code == 303
    assert "/coaches/pat-careers" in readable(client.get("/coach/settings"))
    sign_in(client, "anonymous")
    assert "Pat Other" in client.get("/coaches/pat-careers").get_data(as_text=True)
    old = client.get("/coaches/pat-other")
    assert old.status_code == 301 and old.headers["Location"] == "/coaches/pat-careers"
    old_book = client.get("/coaches/pat-other/book?date=2030-01-07&tz=Europe/Paris")
    assert old_book.status_code == 301
    assert old_book.headers["Location"] == "/coaches/pat-careers/book?date=2030-01-07&tz=Europe/Paris"
    assert client.post("/coaches/pat-other/book", data={}).status_code == 308  # a form's POST arrives intact
    assert "/coaches/pat-careers" in client.get("/").get_data(as_text=True)


def test_address_is_validated_next_to_the_field(client, users):
    sign_in(client, "other_coach")
    for slug, message in (("pat other!", "Use lowercase letters a–z, digits and single hyphens"),
                          ("book", "is kept for the site's own pages"),
                          ("x", "Use 2 to 60 characters."),
                          ("jo-whitfield", "Another coach's page has, or had, that address.")):
        response = change_address(client, slug, **HX)
        html = readable(response)
        assert response.status_code == 422 and message in html, (slug, html[:300])
        assert "<html" not in response.get_data(as_text=True)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    from blueprints.auth.models import CoachProfile
    assert CoachProfile.for_user(users["other_coach"]).slug == "pat-other"
    full = change_address(client, "book")
    assert full.status_code == 422 and "<html" in full.get_data(as_text=True)


def test_an_old_address_stays_its_coachs_but_they_may_take_it_back(client, users):
    sign_in(client, "coach")
    assert change_address(client, "jo-careers").status_code == 303
    sign_in(client, "other_coach")
    taken = change_address(client, "jo-whitfield")
    assert taken.status_code == 422 and "Another coach's page has, or had, that address." in readable(taken)
    sign_in(client, "coach")
    assert change_address(client, "jo-whitfield").status_code == 303
    assert client.get("/coaches/jo-whitfield").status_code == 200
    assert client.get("/coaches/jo-careers").headers["Location"] == "/coaches/jo-whitfield"


def test_privacy_notice_of_a_practice_speaks_of_its_coaches(client, users):
    html = readable(client.get("/privacy"))
    assert "When you book a call with one of our coaches" in html and "Jo Whitfield" not in html
    assert "Each coach of the practice sees only their own bookings and clients" in html


def test_privacy_notice_of_one_coach_names_them(client, one_coach):
    html = readable(client.get("/privacy"))
    assert "When you book a call with Jo Whitfield" in html and "Each coach of the practice" not in html


def test_practice_page_shows_each_coachs_photo_and_bio(client, users):
    import io

    from PIL import Image

    from blueprints.auth.models import CoachProfile
    from blueprints.coach.service import save_photo
    image = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(image, "JPEG")
    pat = CoachProfile.for_user(users["other_coach"])
    save_photo(pat, image.getvalue())
    CoachProfile.update(bio="Twenty years at sea, then ashore.\n\nSecond paragraph stays on my page.").where(
        CoachProfile.id == pat.id).execute()
    html = unescaped(client.get("/coaches"))
    card = html.split('id="coach-pat-other"')[1].split("</li>")[0]
    assert 'alt="Photo of Pat Other"' in card and "/small-" in card
    assert "Twenty years at sea, then ashore." in card and "Second paragraph" not in card
    photo = client.get(card.split('src="')[1].split('"')[0])
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    jos = html.split('id="coach-jo-whitfield"')[1].split("</li>")[0]
    assert "<img" not in jos  # no photo, no empty frame
