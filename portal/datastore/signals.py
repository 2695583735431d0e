"""The data store's declared hooks: what it tells higher apps about its tables.

The data store never imports the apps that react (the personal-data guard screens every new
version). They connect receivers in their AppConfig.ready. Both signals are sent once the
change has committed, outside any transaction: a receiver queues its own work and cannot
refuse the change.
"""

from __future__ import annotations

from django.dispatch import Signal

# A run made a new version of the table and it is committed (it is the table's current one).
# Arguments: sender=DataTable, table=the DataTable, version=the new TableVersion.
table_ingested = Signal()

# A run ended without a version because the file could not be read as a table (state failed;
# not when the agency is asked to choose an encoding). Arguments: sender=DataTable, table=.
table_failed = Signal()
