"""The feedback app's declared hooks: what it tells higher apps (follows) about threads.

Sent inside the writing transaction; a receiver that mails must wait for the commit.
"""

from __future__ import annotations

from django.dispatch import Signal

# A public feedback thread on a dataset got an answer from the agency.
# Arguments: sender=Thread, thread=the Thread, message=the answer (a Message).
public_answer = Signal()
