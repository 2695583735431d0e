"""Django's admin, with every ModelAdmin writing to the audit trail (see admin_site.py).

Kept apart from admin_site.py: an app configuration is imported before the models are ready.
"""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "portal.audit.admin_site.AuditedAdminSite"
