"""The provider's `sub` for a username: a stable UUID (kept free of Django imports, so Tila's test
process can compute it too)."""

import uuid

SUBJECTS = uuid.UUID("8f4d1c1e-5a0b-4c39-9a63-7f8f3c2b6d10")


def subject_for(username: str) -> str:
    return str(uuid.uuid5(SUBJECTS, username))
