"""Email: a real SMTP server on loopback (aiosmtpd), the worker's delivery, the outbox table."""
import socket
import time


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count=1, timeout=5.0):
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running_smtp_server():
    """A generator (the `smtp_server` fixture's body): an Inbox with `.port`, served while it runs."""
    from aiosmtpd.controller import Controller
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def deliver_mail(app):
    """Run the worker's email tasks once, as `flask worker --once` would: queued account
    email (reset links) first, then the outbox. Returns how many messages were sent."""
    from blueprints.auth.notices import send_account_notices
    from mail import send_due_email
    with app.app_context():
        send_account_notices(app)
        return send_due_email(app)


def outbox():
    """Every queued message, oldest first."""
    from mail import OutboxMessage
    return list(OutboxMessage.select().order_by(OutboxMessage.id))


def release_held_mail():
    """As if the undo window had passed: messages held back until later are due now."""
    from database import utcnow
    from mail import PENDING, OutboxMessage
    OutboxMessage.update(next_attempt_at=utcnow()).where(
        (OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at > utcnow())).execute()
