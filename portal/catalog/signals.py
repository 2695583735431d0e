"""The catalogue's declared hooks: what it tells other apps about its resources.

The catalogue is the lower app: it never imports the apps that react (the data store reads a
changed resource again, and deletes the tables of a deleted one). They connect receivers in
their AppConfig.ready. Both signals are sent inside the writing transaction, so a receiver's
writes commit or roll back with the catalogue's, and a receiver that raises refuses the change.
"""

from __future__ import annotations

from django.dispatch import Signal

# A resource is new, or its file, link or format changed: its content may be different.
# Arguments: sender=Resource, resource=the saved Resource.
resource_changed = Signal()

# A resource is about to be deleted (its row still exists when this is sent).
# Arguments: sender=Resource, resource=the Resource.
resource_deleted = Signal()
