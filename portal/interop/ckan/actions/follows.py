"""CKAN's follower actions that make sense without accounts for the public: the counts of
confirmed followers of a dataset, an organization (agency) or a group (sector), and the list
of a dataset's followers for sysadmins (e-mail addresses are personal data). Following itself
needs a confirmed e-mail address, so it is done on the pages, not here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency, Sector
from portal.follows.selectors import follower_count, followers_list
from portal.interop.ckan.actions.datasets import find_dataset
from portal.interop.ckan.context import Context
from portal.interop.ckan.dictize import iso_utc
from portal.interop.ckan.errors import AuthorizationError, NotFoundError
from portal.interop.ckan.ids import agency_pks, sector_pks
from portal.interop.ckan.params import Params


def _name_or_id(data: Mapping[str, Any]) -> str:
    params = Params(data)
    name_or_id = params.required("id")
    params.check()
    return name_or_id


def dataset_follower_count(context: Context, data: Mapping[str, Any]) -> int:
    """Return the number of people who follow a dataset (confirmed by e-mail).

    :param id: the dataset's name or id
    """
    return follower_count(find_dataset(context, _name_or_id(data)))


def organization_follower_count(context: Context, data: Mapping[str, Any]) -> int:
    """Return the number of people who follow an organization (agency).

    :param id: the organization's name or id
    """
    pks = agency_pks(_name_or_id(data))
    if not pks:
        raise NotFoundError(_("Organization was not found."))
    return follower_count(Agency.objects.get(pk=pks[0]))


def group_follower_count(context: Context, data: Mapping[str, Any]) -> int:
    """Return the number of people who follow a group (sector).

    :param id: the group's name or id
    """
    pks = sector_pks(_name_or_id(data))
    if not pks:
        raise NotFoundError(_("Group was not found."))
    return follower_count(Sector.objects.get(pk=pks[0]))


def dataset_follower_list(context: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return who follows a dataset: sysadmins only, since the followers are e-mail addresses.

    :param id: the dataset's name or id
    """
    name_or_id = _name_or_id(data)
    if not can(context.user, Action.VIEW_FOLLOWERS):
        raise AuthorizationError(_("Only system administrators may see who follows a dataset."))
    return [{"id": str(follow.pk), "name": follow.email, "display_name": follow.email,
             "email": follow.email, "created": iso_utc(follow.confirmed)}
            for follow in followers_list(find_dataset(context, name_or_id))]
