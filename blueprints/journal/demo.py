"""Demo journals for `flask --app app seed-demo`: each client their own story, a few entries
(some shared), a prompt the coach asked and a reply from the coach. Fills only what is missing."""
from datetime import timedelta

from blueprints.journal import service
from blueprints.journal.models import JournalAssignment, JournalComment, JournalEntry, JournalPrompt
from blueprints.journal.prompts import ensure_library
from database import utcnow

# (days ago, seed prompt number or None, body, mood, energy, tags, shared)
STORIES = {
    "alex@example.com": {
        "entries": [
            (12, 8, "The workshop on Thursday. I explained the new process and people got it. "
                    "I forgot how much I like teaching.", 4, 4, ["energy", "teaching"], True),
            (8, 2, "Back-to-back meetings on Monday and no time to think. I said yes to two things "
                   "I should have declined.", 2, 2, ["boundaries", "meetings"], False),
            (3, None, "Talked with my partner about what a four-day week would mean for us. "
                      "Less scary than I thought.", 4, 3, ["family", "time"], False),
            (1, 1, "Honestly? Time to *think*. And someone noticing when I teach well, not only "
                   "when a deadline slips.", 3, 3, ["teaching", "recognition"], True),
        ],
        "assigned": 1,
        "reply": "That second part matters. Let's talk about who could notice — and how you could ask.",
    },
    "sam@example.com": {
        "entries": [
            (10, 4, "Night shift swapped again, so I missed the school play. Work and home pulled "
                    "hard against each other this week.", 2, 1, ["shifts", "kids"], True),
            (6, None, "Went for a run before the early shift. First time in months. Felt like "
                      "myself for about forty minutes.", 4, 3, ["health"], False),
            (2, 5, "I expected the team lead chat to go badly. It didn't: she asked what rota "
                   "would work for me.", 4, 4, ["shifts", "manager"], True),
        ],
        "assigned": 3,
        "reply": "Good that you went into that conversation anyway. What rota would work for you?",
    },
}


def seed_journal_demo(coach, client):
    """Give `client` their own journal if they have none yet; True if anything was created."""
    story = STORIES.get(client.email)
    if story is None or JournalEntry.select().where(JournalEntry.client == client).exists():
        return False
    ensure_library(coach)
    prompts = {int(p.seed_key[5:]): p for p in JournalPrompt.select().where(
        (JournalPrompt.coach == coach) & JournalPrompt.seed_key.is_null(False))}
    now = utcnow()
    shared = []
    for days_ago, number, body, mood, energy, tags, is_shared in story["entries"]:
        values = dict(body=body, prompt_source=prompts[number].id if number else None, mood=mood,
                      energy=energy, tags=tags, shared=is_shared)
        entry = service.create_entry(client, values, now=now - timedelta(days=days_ago, hours=3))
        if is_shared:
            shared.append(entry)
    if not JournalAssignment.select().where(JournalAssignment.client == client).exists():
        service.assign_prompt(coach, client, prompts[story["assigned"]], now=now - timedelta(days=4))
    if shared:  # no email for demo data: the reply is simply there
        JournalComment.create(entry=shared[0], author=coach, body=story["reply"], created_at=now - timedelta(days=2))
    return True
