"""The catalogue's declared hooks: what it tells other apps about its datasets and resources.

The catalogue is the lower app: it never imports the apps that react (the data store reads a
changed resource again and deletes the tables of a deleted one; the schedules recompute a
dataset's periods). They connect receivers in their AppConfig.ready. Every signal is sent inside
the writing transaction, so a receiver's writes commit or roll back with the catalogue's, and a
receiver that raises refuses the change.
"""

from __future__ import annotations

from django.dispatch import Signal

# A resource is new, or its file, link or format changed: its content may be different.
# Arguments: sender=Resource, resource=the saved Resource.
resource_changed = Signal()

# A resource was saved by a service, whatever changed (its periods, its name...).
# Arguments: sender=Resource, resource=the saved Resource, created=bool (a new resource),
# content_changed=bool (new data: a new file or link, or a period it did not cover before; its
# `delivered` time was set to now).
resource_saved = Signal()

# A resource is about to be deleted (its row still exists when this is sent).
# Arguments: sender=Resource, resource=the Resource.
resource_deleted = Signal()

# A dataset was published (it was a draft or withdrawn).
# Arguments: sender=Dataset, dataset=the Dataset.
dataset_published = Signal()

# A dataset's fields changed (`dataset_update`), or it was withdrawn (changed=["status"]).
# Arguments: sender=Dataset, dataset=the Dataset, changed=list of field names.
dataset_changed = Signal()
