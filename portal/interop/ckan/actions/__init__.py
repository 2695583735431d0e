"""Every action of the API, by name. An action takes the call's context and its parameters and
returns the `result`, or raises a `CkanError`."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from portal.interop.ckan.actions import (
    dataset_writes,
    datasets,
    datastore,
    follows,
    groups,
    members,
    resource_writes,
    site,
    tokens,
)
from portal.interop.ckan.context import Context
from portal.interop.ckan.errors import NotFoundError
from portal.interop.ckan.params import Params

Action = Callable[[Context, Mapping[str, Any]], Any]


def help_show(context: Context, data: Mapping[str, Any]) -> str:
    """Return the documentation of an action.

    :param name: the action's name
    """
    params = Params(data)
    name = params.required("name")
    params.check()
    action = ACTIONS.get(name)
    if action is None:
        raise NotFoundError(_("Action function not found"))
    return inspect.getdoc(action) or ""


ACTIONS: dict[str, Action] = {
    "status_show": site.status_show,
    "license_list": site.license_list,
    "tag_list": site.tag_list,
    "package_list": datasets.package_list,
    "package_show": datasets.package_show,
    "package_search": datasets.package_search,
    "current_package_list_with_resources": datasets.current_package_list_with_resources,
    "resource_show": datasets.resource_show,
    "organization_list": groups.organization_list,
    "organization_show": groups.organization_show,
    "group_list": groups.group_list,
    "group_show": groups.group_show,
    "help_show": help_show,
    "package_create": dataset_writes.package_create,
    "package_update": dataset_writes.package_update,
    "package_patch": dataset_writes.package_patch,
    "package_delete": dataset_writes.package_delete,
    "resource_create": resource_writes.resource_create,
    "resource_update": resource_writes.resource_update,
    "resource_patch": resource_writes.resource_patch,
    "resource_delete": resource_writes.resource_delete,
    "organization_member_create": members.organization_member_create,
    "organization_member_delete": members.organization_member_delete,
    "member_list": members.member_list,
    "organization_list_for_user": members.organization_list_for_user,
    "user_show": members.user_show,
    "api_token_list": tokens.api_token_list,
    "api_token_revoke": tokens.api_token_revoke,
    "datastore_search": datastore.datastore_search,
    "datastore_search_sql": datastore.datastore_search_sql,
    "datastore_info": datastore.datastore_info,
    "dataset_follower_count": follows.dataset_follower_count,
    "organization_follower_count": follows.organization_follower_count,
    "group_follower_count": follows.group_follower_count,
    "dataset_follower_list": follows.dataset_follower_list,
}
