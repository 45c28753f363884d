"""Outgoing email through an outbox table.

Anything that sends email calls `queue_email` inside the transaction that makes the change it
reports, so a message exists exactly when the change does. `flask --app app worker` delivers
the queue over SMTP with retries; a failing mail server never fails or loses a user's action.
"""
import smtplib
import ssl
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import peewee as pw
from flask import render_template
from jinja2 import TemplateNotFound

from database import BaseModel, UTCDateTimeField, utcnow

PENDING, SENT, FAILED = "pending", "sent", "failed"
CLAIM_FOR = timedelta(minutes=5)  # a crashed sender's claim expires and the row is retried


class OutboxMessage(BaseModel):
    to_addr = pw.CharField(max_length=254)
    subject = pw.CharField(max_length=300)
    text_body = pw.TextField()
    html_body = pw.TextField(null=True)
    ics = pw.TextField(null=True)  # an iCalendar document sent as invitation and attachment
    ics_method = pw.CharField(max_length=10, null=True)
    # Sent on a coach's behalf: replies go to the coach, and From shows their chosen name.
    reply_to = pw.CharField(max_length=254, default="")
    from_name = pw.CharField(max_length=120, default="")
    status = pw.CharField(max_length=8, default=PENDING, index=True)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = UTCDateTimeField(default=utcnow, index=True)
    claimed_until = UTCDateTimeField(null=True)
    last_error = pw.TextField(default="")
    sent_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def due(cls, now):
        return (
            cls.select()
            .where((cls.status == PENDING) & (cls.next_attempt_at <= now))
            .where(cls.claimed_until.is_null() | (cls.claimed_until < now))
            .order_by(cls.id)
        )

    @classmethod
    def failed_to(cls, addresses, since):
        """Messages given up on since `since`, sent to any of `addresses` (a query of lower-cased
        addresses), newest first: the coach sees what never reached their people."""
        return (cls.select()
                .where((cls.status == FAILED) & (cls.created_at >= since)
                       & pw.fn.LOWER(cls.to_addr).in_(addresses))
                .order_by(cls.id.desc()))


def queue_email(to, subject, template, ics=None, ics_method=None, reply_to="", from_name="", **context):
    """Queue one message rendered from templates/email/<template>.txt (and .html if present).
    `reply_to` and `from_name` send it on someone's behalf (a coach's): replies reach them, and
    From shows their name with our own address (MAIL_FROM's, which the mail server may send as)."""
    text = render_template(f"email/{template}.txt", **context)
    try:
        html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:  # an HTML part is optional; an error inside one is a bug, not "no HTML"
        html = None
    if isinstance(ics, bytes):
        ics = ics.decode("utf-8")
    return OutboxMessage.create(
        to_addr=to, subject=one_line(subject)[:300], text_body=text, html_body=html, ics=ics, ics_method=ics_method,
        reply_to=one_line(reply_to)[:254], from_name=one_line(from_name)[:120],
    )


def one_line(text):
    """A header value on one line: a line break in a subject would start a new header."""
    return " ".join((text or "").split())


def sender_named(sender, name):
    """MAIL_FROM with `name` as its display name ("Jo Rivers <no-reply@…>"); the address stays."""
    if not name:
        return sender
    return str(Address(display_name=name, addr_spec=parseaddr(sender)[1]))


def build_message(row, sender):
    msg = EmailMessage()
    msg["From"] = sender_named(sender, row.from_name)
    msg["To"] = row.to_addr
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = one_line(row.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    msg.set_content(row.text_body)
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html")
    if row.ics:
        # Inline text/calendar with METHOD lets Google/Outlook/Apple show Accept/Update buttons;
        # the attachment is for everyone else.
        msg.add_alternative(row.ics, subtype="calendar", params={"method": row.ics_method or "PUBLISH"})
        msg.add_attachment(row.ics.encode("utf-8"), maintype="application", subtype="ics",
                           filename="invite.ics")
    return msg


def _smtp_send(config, msg):
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)


def _claim(row, now):
    """Take the row for this sender; False if another worker got it first."""
    query = OutboxMessage.update(claimed_until=now + CLAIM_FOR).where(
        (OutboxMessage.id == row.id)
        & (OutboxMessage.status == PENDING)
        & (OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < now))
    )
    return query.execute() == 1


def retry_delay(attempts):
    """1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _record_failure(row, error, permanent, config, logger):
    attempts = row.attempts + 1
    status = FAILED if permanent or attempts >= config["MAIL_MAX_ATTEMPTS"] else PENDING
    OutboxMessage.update(
        attempts=attempts, status=status, last_error=str(error)[:1000] or type(error).__name__,
        next_attempt_at=utcnow() + retry_delay(attempts), claimed_until=None,
    ).where(OutboxMessage.id == row.id).execute()
    logger.warning("Email %s to %s %s (attempt %s): %s", row.id, row.to_addr,
                   "cannot be built and is marked failed" if permanent else "failed", attempts, error)


def deliver_one(row, config, logger):
    """Send one message. Whatever goes wrong is recorded on its row and never raised: one bad
    message must not stop the others. One that cannot even be built fails at once (kept)."""
    try:
        msg = build_message(row, config["MAIL_FROM"])
    except Exception as exc:  # noqa: BLE001 - retrying would fail the same way forever
        _record_failure(row, exc, True, config, logger)
        return False
    try:
        if config["MAIL_SERVER"]:
            _smtp_send(config, msg)
        else:
            # Readable, not MIME: this is how a newcomer sees their site's emails.
            logger.info("Email not sent (no MAIL_SERVER configured)\nTo: %s\nSubject: %s%s\n\n%s",
                        row.to_addr, row.subject, "\n(with a calendar invitation)" if row.ics else "",
                        row.text_body)
    except Exception as exc:  # noqa: BLE001 - network, SMTP refusals, or a message the server rejects
        _record_failure(row, exc, False, config, logger)
        return False
    OutboxMessage.update(status=SENT, sent_at=utcnow(), attempts=row.attempts + 1, claimed_until=None,
                         last_error="").where(OutboxMessage.id == row.id).execute()
    return True


def send_due_email(app, limit=100):
    """Worker task: deliver what is due. Returns how many were sent."""
    sent = 0
    now = utcnow()
    for row in list(OutboxMessage.due(now).limit(limit)):
        if _claim(row, now) and deliver_one(row, app.config, app.logger):
            sent += 1
    return sent


def init_app(app):
    app.extensions.setdefault("worker_tasks", []).append(("email", send_due_email))


