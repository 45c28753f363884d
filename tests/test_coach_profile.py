"""The coach's public profile: photo, bio, credentials, testimonials on the landing page; the
sender name and Reply-To of the emails sent on the coach's behalf."""
import io

import pytest
from PIL import Image

from support.accounts import sign_in
from support.booking import book, free_slots
from support.mail import deliver_mail
from support.pages import HX, readable, unescaped

PAGE = {"name": "Jo Whitfield", "headline": "Work that fits your life", "intro_markdown": "Hello.",
        "timezone": "Europe/London"}

JOS_PAGE = "/coaches/jo-whitfield"  # Jo's own page: `users` makes a practice of two, whose / lists both


def picture(width=1200, height=900, fmt="JPEG", mode="RGB", exif=True):
    out = io.BytesIO()
    image = Image.new(mode, (width, height), "teal")
    extra = {}
    if exif and fmt == "JPEG":
        tags = image.getexif()
        tags[0x010F] = "SpyCam"  # Make
        tags[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS
        extra["exif"] = tags
    image.save(out, fmt, **extra)
    return out.getvalue()


def upload(client, data, filename="me.jpg", headers=None):
    return client.post("/coach/settings/photo", content_type="multipart/form-data",
                       data={"photo": (io.BytesIO(data), filename)}, headers=headers or {})


def profile(users, who="coach"):
    from blueprints.auth.models import CoachProfile
    return CoachProfile.for_user(users[who])


def photo_src(html):
    import re
    match = re.search(r'<img class="coach-photo[^"]*" src="([^"]+)"', html)
    return match and match.group(1)


# --- photo -----------------------------------------------------------------------------------

def test_a_good_photo_is_served_back_resized_without_its_metadata(client, users):
    sign_in(client, "coach")
    response = upload(client, picture(3000, 2000))
    assert response.status_code == 303
    landing = client.get(JOS_PAGE).get_data(as_text=True)
    src = photo_src(landing)
    assert src and 'alt="Photo of Jo Whitfield"' in landing
    sign_in(client, "anonymous")
    served = client.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "public" in served.headers["Cache-Control"] and "max-age=31536000" in served.headers["Cache-Control"]
    image = Image.open(io.BytesIO(served.data))
    assert max(image.size) == 480 and image.size == (480, 320)
    assert not image.getexif() and "icc_profile" not in image.info
    small = client.get(src.replace("/large-", "/small-"))
    assert max(Image.open(io.BytesIO(small.data)).size) == 160
    again = client.get(src, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304


def test_a_signed_in_coach_gets_the_photo_cacheable_too(client, users):
    sign_in(client, "coach")
    upload(client, picture())
    src = photo_src(client.get("/coach/settings").get_data(as_text=True))
    assert "no-store" not in client.get(src).headers["Cache-Control"]


def test_a_png_with_transparency_becomes_a_jpeg(client, users):
    sign_in(client, "coach")
    assert upload(client, picture(800, 800, "PNG", "RGBA"), "me.png").status_code == 303
    src = photo_src(client.get(JOS_PAGE).get_data(as_text=True))
    assert Image.open(io.BytesIO(client.get(src).data)).format == "JPEG"


def test_not_an_image_is_refused_next_to_the_field(client, users):
    sign_in(client, "coach")
    response = upload(client, b"%PDF-1.4 definitely not a photo", "cv.pdf", headers=HX)
    assert response.status_code == 422
    html = unescaped(response)
    assert "<html" not in html and 'id="photo-form"' in html
    assert 'id="photo-error"' in html and "isn’t a picture we can use" in html
    assert profile(users).photo_digest == "" and photo_src(client.get(JOS_PAGE).get_data(as_text=True)) is None


def test_a_huge_file_is_refused_with_a_message(client, users):
    sign_in(client, "coach")
    response = upload(client, b"\xff\xd8" + b"x" * 3_200_000)
    assert response.status_code == 413
    assert "under 3 MB" in readable(response) and "<html" in response.get_data(as_text=True)
    assert profile(users).photo_digest == ""


def test_a_file_just_over_the_photo_limit_is_refused_by_its_own_size(client, users):
    from blueprints.coach.photo import MAX_BYTES
    sign_in(client, "coach")
    response = upload(client, b"x" * (MAX_BYTES + 1))  # within the request allowance
    assert response.status_code == 413 and "under 3 MB" in readable(response)


def test_too_many_pixels_is_refused(client, users):
    sign_in(client, "coach")
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # small file, 81 megapixels
    response = upload(client, out.getvalue(), "bomb.png")
    assert response.status_code == 422 and "too many pixels" in readable(response)


def test_a_tiny_picture_is_refused(client, users):
    sign_in(client, "coach")
    response = upload(client, picture(20, 20))
    assert response.status_code == 422 and "too small" in readable(response)


def test_no_file_chosen(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/settings/photo", content_type="multipart/form-data", data={})
    assert response.status_code == 422 and "Choose a photo to upload." in readable(response)


def test_replacing_and_removing_the_photo(client, users):
    sign_in(client, "coach")
    upload(client, picture())
    first = photo_src(client.get(JOS_PAGE).get_data(as_text=True))
    upload(client, picture(600, 900))
    second = photo_src(client.get(JOS_PAGE).get_data(as_text=True))
    assert first != second and client.get(first).status_code == 404
    assert client.post("/coach/settings/photo/remove").status_code == 303
    assert photo_src(client.get(JOS_PAGE).get_data(as_text=True)) is None
    assert client.get(second).status_code == 404


def test_unknown_photo_addresses_are_404(client, users):
    sign_in(client, "coach")
    upload(client, picture())
    src = photo_src(client.get(JOS_PAGE).get_data(as_text=True))
    assert client.get(src.replace("/large-", "/huge-")).status_code == 404
    assert client.get("/photos/999999/large-abc.jpg").status_code == 404


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("client_a", 403), ("coach", 303),
                                         ("other_coach", 303)])
def test_photo_upload_access(client, users, who, status):
    sign_in(client, who)
    response = upload(client, picture())
    assert response.status_code == status
    # Each coach changes only their own photo.
    assert bool(profile(users).photo_digest) == (who == "coach")
    assert bool(profile(users, "other_coach").photo_digest) == (who == "other_coach")


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("client_a", 403), ("other_coach", 303)])
def test_photo_remove_access(client, users, who, status):
    sign_in(client, "coach")
    upload(client, picture())
    sign_in(client, who)
    assert client.post("/coach/settings/photo/remove").status_code == status
    assert profile(users).photo_digest  # the coach's photo stays


def test_photo_form_fragment_and_page(client, users):
    sign_in(client, "coach")
    page = client.get("/coach/settings").get_data(as_text=True)
    assert "<html" in page and 'enctype="multipart/form-data"' in page and "No photo yet" in page
    assert upload(client, picture(), headers=HX).headers.get("HX-Redirect", "").endswith("/coach/settings")
    page = client.get("/coach/settings").get_data(as_text=True)
    assert "Replace photo" in page and "Remove photo" in page


# --- bio, credentials, testimonials -----------------------------------------------------------

def test_empty_profile_sections_are_not_shown(client, users):
    html = client.get(JOS_PAGE).get_data(as_text=True)
    assert "About Jo Whitfield" not in html and "What clients say" not in html
    assert "<img" not in html and "<blockquote" not in html


def test_bio_credentials_and_testimonials_reach_the_landing_page(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/settings", data={
        **PAGE, "bio": "Ten years in HR.\n\nNow I help people <b>leave</b> well.",
        "credentials": "ICF ACC\n\nMA Occupational Psychology\n",
        "testimonial_1_quote": "Jo helped me find my feet.", "testimonial_1_by": "Sam, product manager",
        "testimonial_2_quote": "", "testimonial_2_by": ""})
    assert response.status_code == 303
    sign_in(client, "anonymous")
    html = client.get(JOS_PAGE).get_data(as_text=True)
    text = readable(html)
    assert "About Jo Whitfield" in text and "Ten years in HR." in text
    assert html.count("<p>Ten years in HR.</p>") == 1 and "&lt;b&gt;leave&lt;/b&gt;" in html  # escaped
    assert "<li>ICF ACC</li>" in html and "<li>MA Occupational Psychology</li>" in html
    assert "What clients say" in text and "Jo helped me find my feet." in text and "Sam, product manager" in text
    assert html.count("<figure") == 1


def test_a_testimonial_without_a_name_is_shown_without_one(client, users):
    sign_in(client, "coach")
    client.post("/coach/settings", data={**PAGE, "testimonial_2_quote": "Life-changing."})
    html = client.get(JOS_PAGE).get_data(as_text=True)
    assert "Life-changing." in html and "<figcaption>" not in html and "About Jo" not in html


def test_an_attribution_without_a_quote_is_refused_and_the_input_kept(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/settings", headers=HX, data={
        **PAGE, "bio": "My bio stays.", "testimonial_1_by": "Sam"})
    assert response.status_code == 422
    html = unescaped(response)
    assert "Add the quote too" in html and "My bio stays." in html and "<html" not in html
    assert profile(users).bio == ""


def test_settings_fields_are_labelled(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/settings").get_data(as_text=True)
    for label in ("Photo", "Short bio", "Credentials", "First testimonial", "First testimonial: who said it",
                  "Second testimonial", "Sender name on emails"):
        assert f">{label}</label>" in html


# --- emails on the coach's behalf -------------------------------------------------------------

def set_sender(client, name):
    sign_in(client, "coach")
    assert client.post("/coach/settings", data={**PAGE, "sender_name": name}).status_code == 303
    sign_in(client, "anonymous")


def test_booking_emails_come_from_the_coachs_name_and_reply_to_the_coach(mail_app, smtp_server, client,
                                                                         open_coach):
    set_sender(client, "Jo Rivers")
    start = free_slots(open_coach)[0].start
    assert book(client, open_coach, start).status_code == 303
    assert deliver_mail(mail_app) == 2
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    visitor, coach = messages["robin@example.org"], messages["coach@example.com"]
    assert visitor["From"].addresses[0].display_name == "Jo Rivers"
    assert visitor["From"].addresses[0].addr_spec == "no-reply@localhost"
    assert visitor["Reply-To"] == "coach@example.com"
    assert coach["Reply-To"] == "robin@example.org"  # the coach answers the visitor directly


def test_without_a_sender_name_emails_keep_the_site_sender_and_still_reply_to_the_coach(
        mail_app, smtp_server, client, open_coach):
    start = free_slots(open_coach)[0].start
    book(client, open_coach, start)
    deliver_mail(mail_app)
    visitor = {m["To"]: m for m in smtp_server.wait_for(2)}["robin@example.org"]
    assert str(visitor["From"]) == mail_app.config["MAIL_FROM"]
    assert visitor["Reply-To"] == "coach@example.com"


def test_client_invitation_replies_to_the_coach(mail_app, smtp_server, client, users):
    set_sender(client, "Rivers, Jo")
    sign_in(client, "coach")
    client.post("/coach/clients", data={"name": "Nia New", "email": "nia@example.com"})
    deliver_mail(mail_app)
    [message] = [m for m in smtp_server.wait_for(1) if m["To"] == "nia@example.com"]
    assert message["Reply-To"] == "coach@example.com"
    assert message["From"].addresses[0].display_name == "Rivers, Jo"


def test_account_email_is_not_sent_for_the_coach(mail_app, smtp_server, client, users):
    set_sender(client, "Jo Rivers")
    client.post("/reset", data={"email": "alex@example.com"})
    deliver_mail(mail_app)
    [message] = smtp_server.wait_for(1)
    assert message["Reply-To"] is None and str(message["From"]) == mail_app.config["MAIL_FROM"]


def test_a_sender_name_with_an_address_is_refused(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/settings", data={**PAGE, "sender_name": "Jo <evil@example.com>"})
    assert response.status_code == 422 and "plain name" in readable(response)


def csrf_client(make_app):
    import re

    from support.accounts import EMAILS, PASSWORD
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": EMAILS["coach"], "password": PASSWORD, "csrf_token": token})
    page = client.get("/coach/settings").get_data(as_text=True)
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_with_csrf_on_a_huge_photo_is_still_refused_next_to_its_field(make_app, users):
    client, token = csrf_client(make_app)
    response = client.post("/coach/settings/photo", content_type="multipart/form-data",
                           data={"csrf_token": token, "photo": (io.BytesIO(b"x" * 3_200_000), "big.jpg")})
    assert response.status_code == 413 and 'id="photo-error"' in response.get_data(as_text=True)
    assert "under 3 MB" in readable(response)


def test_with_csrf_on_a_photo_needs_the_token(make_app, users):
    client, token = csrf_client(make_app)
    refused = client.post("/coach/settings/photo", content_type="multipart/form-data",
                          data={"photo": (io.BytesIO(picture()), "me.jpg")})
    assert refused.status_code == 422 and profile(users).photo_digest == ""
    accepted = client.post("/coach/settings/photo", content_type="multipart/form-data",
                           data={"csrf_token": token, "photo": (io.BytesIO(picture()), "me.jpg")})
    assert accepted.status_code == 303 and profile(users).photo_digest
