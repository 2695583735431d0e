"""Every role × action × access level, in one table. The pages and APIs ask the same module."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User
from portal.accounts.permissions import Action, can, findings_datasets_q, visible_datasets_q
from portal.agencies.models import Agency
from portal.catalog.models import AccessLevel, Dataset, Status
from portal.lib import factories
from portal.openlist.models import ListItem

# Who is asking: a role, and whether they belong to the dataset's agency.
PEOPLE = ["anonymous", "sysadmin", "supervisor", "own_admin", "own_editor", "own_member",
          "other_admin", "other_editor", "other_member", "inactive_editor"]

Y, N = True, False

# (status, access level) → who may see the dataset, in the order of PEOPLE.
VIEW = {
    ("published", "public"):   [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    ("published", "agencies"): [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
    ("published", "agency"):   [N, Y, Y, Y, Y, Y, N, N, N, N],
    ("draft", "public"):       [N, Y, Y, Y, Y, Y, N, N, N, N],
    ("draft", "agency"):       [N, Y, Y, Y, Y, Y, N, N, N, N],
    ("withdrawn", "public"):   [N, Y, Y, Y, Y, Y, N, N, N, N],
}

# Actions on the dataset's agency or its datasets, whatever the access level.
WRITE = {
    Action.EDIT_DATASET:     [N, Y, N, Y, Y, N, N, N, N, N],
    Action.PUBLISH_DATASET:  [N, Y, N, Y, Y, N, N, N, N, N],
    Action.CREATE_DATASET:   [N, Y, N, Y, Y, N, N, N, N, N],
    Action.MANAGE_MEMBERS:   [N, Y, N, Y, N, N, N, N, N, N],
    Action.MANAGE_CATALOGUE: [N, Y, Y, N, N, N, N, N, N, N],
    Action.MANAGE_ACCOUNTS:  [N, Y, N, N, N, N, N, N, N, N],
    Action.VIEW_AUDIT:       [N, Y, Y, N, N, N, N, N, N, N],
    Action.VIEW_MEMBERS:     [N, Y, Y, Y, N, N, N, N, N, N],
    Action.MANAGE_USER:      [N, Y, N, Y, N, N, N, N, N, N],  # an editor of the agency
    Action.VIEW_FINDINGS:    [N, Y, Y, Y, Y, N, N, N, N, N],
    Action.RESOLVE_FINDING:  [N, Y, N, Y, N, N, N, N, N, N],
}

# Whose account each person may manage (MANAGE_USER), new or existing: a role in an agency.
ACCOUNTS = {
    (Role.EDITOR, "own"):         [N, Y, N, Y, N, N, N, N, N, N],
    (Role.MEMBER, "own"):         [N, Y, N, Y, N, N, N, N, N, N],
    (Role.ADMIN, "own"):          [N, Y, N, Y, N, N, N, N, N, N],
    (Role.EDITOR, "other"):       [N, Y, N, N, N, N, Y, N, N, N],
    (Role.SUPERVISOR, None):      [N, Y, N, N, N, N, N, N, N, N],
    (Role.SYSADMIN, None):        [N, Y, N, N, N, N, N, N, N, N],
}


@pytest.fixture
def people(agency: Agency, other_agency: Agency) -> dict[str, object]:
    inactive = factories.make_user(role=Role.EDITOR, agency=agency, is_active=False)
    return {
        "anonymous": AnonymousUser(),
        "sysadmin": factories.make_user(role=Role.SYSADMIN),
        "supervisor": factories.make_user(role=Role.SUPERVISOR),
        "own_admin": factories.make_user(role=Role.ADMIN, agency=agency),
        "own_editor": factories.make_user(role=Role.EDITOR, agency=agency),
        "own_member": factories.make_user(role=Role.MEMBER, agency=agency),
        "other_admin": factories.make_user(role=Role.ADMIN, agency=other_agency),
        "other_editor": factories.make_user(role=Role.EDITOR, agency=other_agency),
        "other_member": factories.make_user(role=Role.MEMBER, agency=other_agency),
        "inactive_editor": inactive,
    }


def dataset_in(agency: Agency, status: str, access_level: str) -> Dataset:
    dataset = factories.make_dataset(agency=agency, publish=False, access_level=access_level)
    Dataset.objects.filter(pk=dataset.pk).update(status=status)
    dataset.refresh_from_db()
    return dataset


@pytest.mark.parametrize(("status", "access_level"), list(VIEW))
def test_who_sees_a_dataset(people: dict[str, object], agency: Agency, status: str,
                            access_level: str) -> None:
    dataset = dataset_in(agency, status, access_level)
    for person, expected in zip(PEOPLE, VIEW[(status, access_level)], strict=True):
        user = people[person]
        assert can(user, Action.VIEW_DATASET, dataset) is expected, person  # type: ignore[arg-type]
        listed = Dataset.objects.filter(visible_datasets_q(user)).filter(pk=dataset.pk).exists()  # type: ignore[arg-type]
        assert listed is expected, f"{person}: the list filter disagrees with the rule"


@pytest.mark.parametrize("action", list(WRITE))
@pytest.mark.parametrize("access_level", AccessLevel.values)
def test_who_writes(people: dict[str, object], agency: Agency, action: Action,
                    access_level: str) -> None:
    dataset = dataset_in(agency, Status.PUBLISHED, access_level)
    target = {Action.CREATE_DATASET: agency, Action.MANAGE_MEMBERS: agency,
              Action.VIEW_MEMBERS: agency, Action.MANAGE_USER: people["own_editor"],
              Action.MANAGE_CATALOGUE: None, Action.MANAGE_ACCOUNTS: None,
              Action.VIEW_AUDIT: None}.get(action, dataset)
    for person, expected in zip(PEOPLE, WRITE[action], strict=True):
        assert can(people[person], action, target) is expected, person  # type: ignore[arg-type]


def test_the_findings_list_filter_agrees_with_the_rule(people: dict[str, object],
                                                       agency: Agency) -> None:
    dataset = dataset_in(agency, Status.DRAFT, AccessLevel.AGENCY)
    for person, expected in zip(PEOPLE, WRITE[Action.VIEW_FINDINGS], strict=True):
        listed = Dataset.objects.filter(findings_datasets_q(people[person])).filter(  # type: ignore[arg-type]
            pk=dataset.pk).exists()
        assert listed is expected, person


@pytest.mark.parametrize(("role", "whose"), list(ACCOUNTS))
@pytest.mark.parametrize("saved", [True, False], ids=["existing", "new"])
def test_who_manages_an_account(people: dict[str, object], agency: Agency, other_agency: Agency,
                                role: Role, whose: str | None, saved: bool) -> None:
    in_agency = {"own": agency, "other": other_agency, None: None}[whose]
    account = (factories.make_user(role=role, agency=in_agency) if saved
               else User(role=role, agency=in_agency))
    for person, expected in zip(PEOPLE, ACCOUNTS[(role, whose)], strict=True):
        assert can(people[person], Action.MANAGE_USER, account) is expected, person  # type: ignore[arg-type]


def test_nobody_creates_datasets_for_a_ceased_agency(people: dict[str, object],
                                                     agency: Agency) -> None:
    agency.valid_to = agency.created.date().replace(year=2000)
    agency.save()
    for person in PEOPLE:
        assert not can(people[person], Action.CREATE_DATASET, agency), person  # type: ignore[arg-type]


def test_admin_flags_follow_the_role(agency: Agency) -> None:
    sysadmin = factories.make_user(role=Role.SYSADMIN)
    supervisor = factories.make_user(role=Role.SUPERVISOR)
    editor = factories.make_user(role=Role.EDITOR, agency=agency, is_superuser=True, is_staff=True)
    assert sysadmin.is_superuser
    assert sysadmin.is_staff
    assert supervisor.is_staff
    assert not supervisor.is_superuser
    assert not editor.is_superuser
    assert not editor.is_staff


def test_full_names_put_the_family_name_first(agency: Agency) -> None:
    user = factories.make_user(role=Role.EDITOR, agency=agency, first_name="Đức Quân",
                               last_name="Phạm")
    assert str(user) == "Phạm Đức Quân"


# The province's lists and the agencies' plans -------------------------------------------------

OPENLIST = {
    # action: who may, in the order of PEOPLE (the object belongs to the own agency)
    Action.MANAGE_OPENLIST:   [N, Y, Y, N, N, N, N, N, N, N],
    Action.VIEW_LIST_DRAFTS:  [N, Y, Y, Y, Y, Y, Y, Y, Y, N],
    Action.PROPOSE_AMENDMENT: [N, Y, N, Y, Y, N, N, N, N, N],
    Action.MANAGE_PLAN:       [N, Y, Y, Y, N, N, N, N, N, N],
    Action.VIEW_PLANS:        [N, Y, Y, Y, Y, Y, N, N, N, N],
    Action.LINK_LIST_ITEM:    [N, Y, N, Y, Y, N, N, N, N, N],
}


@pytest.mark.parametrize("action", list(OPENLIST))
def test_who_keeps_the_lists_and_plans(people: dict[str, object], agency: Agency,
                                       action: Action) -> None:
    dataset = dataset_in(agency, Status.PUBLISHED, AccessLevel.PUBLIC)
    item = ListItem(agency=agency)
    target = {Action.LINK_LIST_ITEM: (item, dataset), Action.MANAGE_OPENLIST: None,
              Action.VIEW_LIST_DRAFTS: None}.get(action, agency)
    for person, expected in zip(PEOPLE, OPENLIST[action], strict=True):
        assert can(people[person], action, target) is expected, person  # type: ignore[arg-type]


def test_an_agency_links_only_its_own_datasets_to_its_own_items(
        people: dict[str, object], agency: Agency, other_agency: Agency) -> None:
    own_dataset = dataset_in(agency, Status.PUBLISHED, AccessLevel.PUBLIC)
    other_dataset = dataset_in(other_agency, Status.PUBLISHED, AccessLevel.PUBLIC)
    own_item, other_item = ListItem(agency=agency), ListItem(agency=other_agency)
    editor = people["own_editor"]
    assert can(editor, Action.LINK_LIST_ITEM, (own_item, own_dataset))  # type: ignore[arg-type]
    assert not can(editor, Action.LINK_LIST_ITEM, (own_item, other_dataset))  # type: ignore[arg-type]
    assert not can(editor, Action.LINK_LIST_ITEM, (other_item, own_dataset))  # type: ignore[arg-type]
    assert can(people["sysadmin"], Action.LINK_LIST_ITEM, (other_item, own_dataset))  # type: ignore[arg-type]


def test_a_ceased_agency_proposes_no_amendment(people: dict[str, object],
                                               agency: Agency) -> None:
    agency.valid_to = agency.created.date().replace(year=2000)
    agency.save()
    for person in PEOPLE:
        assert not can(people[person], Action.PROPOSE_AMENDMENT, agency), person  # type: ignore[arg-type]
