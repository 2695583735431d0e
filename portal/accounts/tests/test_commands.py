"""`portal users` and `portal tokens`, run as the operating unit runs them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from portal.accounts import services
from portal.accounts.models import ApiToken, Role, User
from portal.accounts.tokens import authenticate as authenticate_token
from portal.agencies.models import Agency
from portal.audit.models import AuditEntry, Door
from portal.audit.selectors import verify_chain
from portal.lib import factories
from portal.lib.errors import PermissionDenied


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests read the commands' English messages; operators get them in Vietnamese."""
    with translation.override("en"):
        yield

GOOD_PASSWORD = "Lúa chín vàng trên đồng Nho Quan"


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    sys_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = sys_stdin
    return out.getvalue()


def test_create_editor_with_password_from_stdin(agency: Agency) -> None:
    output = run("users", "create", "lan", "--email", "lan@ninhbinh.gov.vn", "--role", "editor",
                 "--agency", agency.slug, "--password-stdin", stdin=GOOD_PASSWORD + "\n")
    assert "lan" in output
    user = User.objects.get(username="lan")
    assert (user.role, user.agency, user.email) == (Role.EDITOR, agency, "lan@ninhbinh.gov.vn")
    assert user.check_password(GOOD_PASSWORD)


def test_create_without_password_prints_a_link_that_sets_it_once(
        agency: Agency, client: Client) -> None:
    output = run("users", "create", "hoa", "--email", "hoa@ninhbinh.gov.vn", "--role", "member",
                 "--agency", agency.slug)
    assert not User.objects.get(username="hoa").has_usable_password()
    link = output.strip().splitlines()[-1]
    assert link.startswith("/user/set-password/")
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": GOOD_PASSWORD,
                                  "new_password2": GOOD_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == "/user/set-password/done"
    assert User.objects.get(username="hoa").check_password(GOOD_PASSWORD)
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]


def test_set_password_page_applies_the_password_rules(agency: Agency, client: Client) -> None:
    link = run("users", "create", "binh", "--email", "binh@ninhbinh.gov.vn", "--role",
               "member", "--agency", agency.slug).strip().splitlines()[-1]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    page = client.post(form_url, {"new_password1": "binh12345", "new_password2": "binh12345"})
    assert page.status_code == 200
    assert page.context["form"].errors["new_password2"]
    assert not User.objects.get(username="binh").has_usable_password()


def test_link_of_a_deactivated_account_does_not_work(agency: Agency, client: Client) -> None:
    link = run("users", "create", "cuc", "--email", "cuc@ninhbinh.gov.vn", "--role", "member",
               "--agency", agency.slug).strip().splitlines()[-1]
    run("users", "deactivate", "cuc")
    assert not client.get(link, follow=True).context["validlink"]


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["--role", "editor"], "", "needs an agency"),
    (["--role", "editor", "--agency", "khong-co"], "", "No agency"),
    (["--role", "sysadmin", "--password-stdin"], "short\n", "password"),
    (["--role", "sysadmin", "--password-stdin"], "password1234\n", "password"),
    (["--role", "sysadmin", "--password-stdin"], "", "no password"),
])
def test_create_refuses_bad_input_with_a_message(
        db: None, args: list[str], stdin: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("users", "create", "moi", "--email", "moi@ninhbinh.gov.vn", *args, stdin=stdin)
    assert not User.objects.filter(username="moi").exists()


def test_create_refuses_a_taken_username_and_a_bad_email(editor: User) -> None:
    with pytest.raises(CommandError, match="taken"):
        run("users", "create", "EDITOR", "--email", "x@ninhbinh.gov.vn", "--role", "sysadmin")
    with pytest.raises(CommandError, match="email"):
        run("users", "create", "khac", "--email", "not-an-email", "--role", "sysadmin")


def test_deactivate_reactivate_set_role_and_list(editor: User, sysadmin: User,
                                                 other_agency: Agency) -> None:
    run("users", "deactivate", "editor")
    assert not User.objects.get(username="editor").is_active
    assert "editor\teditor\tso-nong-nghiep-moi-truong\t" in run("users", "list")
    run("users", "reactivate", "editor")
    run("users", "set-role", "editor", "--role", "admin", "--agency", other_agency.slug)
    changed = User.objects.get(username="editor")
    assert (changed.is_active, changed.role, changed.agency) == (True, Role.ADMIN, other_agency)
    run("users", "set-role", "editor", "--role", "supervisor")
    assert User.objects.get(username="editor").is_staff


def test_the_last_sysadmin_cannot_be_deactivated_or_demoted(sysadmin: User) -> None:
    with pytest.raises(CommandError, match="last active system administrator"):
        run("users", "deactivate", "sysadmin")
    with pytest.raises(CommandError, match="last active system administrator"):
        run("users", "set-role", "sysadmin", "--role", "supervisor")


def test_commands_name_a_missing_user(db: None) -> None:
    for args in (["users", "deactivate", "ai"], ["tokens", "list", "ai"],
                 ["tokens", "create", "ai", "--name", "x"]):
        with pytest.raises(CommandError, match="No account"):
            run(*args)


def test_tokens_create_prints_the_token_alone_on_its_last_line(editor: User) -> None:
    output = run("tokens", "create", "editor", "--name", "harvester", "--expires-days", "30",
                 "--read-only")
    plaintext = output.splitlines()[-1]
    token = authenticate_token(plaintext)
    assert (token.owner, token.name, token.read_only) == (editor, "harvester", True)
    assert token.expires is not None


def test_tokens_list_never_prints_secrets_and_revoke_by_name_or_prefix(editor: User) -> None:
    first = run("tokens", "create", "editor", "--name", "one").splitlines()[-1]
    second = run("tokens", "create", "editor", "--name", "two").splitlines()[-1]
    run("tokens", "revoke", "editor", "--name", "one")
    run("tokens", "revoke", "editor", "--prefix", second.split("_")[1])
    listing = run("tokens", "list", "editor")
    assert first.split("_", 2)[2] not in listing
    assert second.split("_", 2)[2] not in listing
    assert listing.count("revoked") == 2
    assert ApiToken.objects.filter(owner=editor, revoked=None).count() == 0
    with pytest.raises(CommandError, match="no live token"):
        run("tokens", "revoke", "editor", "--name", "one")


def test_tokens_create_refuses_duplicates_and_bad_expiry(editor: User) -> None:
    run("tokens", "create", "editor", "--name", "one")
    with pytest.raises(CommandError, match="already has a token"):
        run("tokens", "create", "editor", "--name", "one")
    with pytest.raises(CommandError, match="expires"):
        run("tokens", "create", "editor", "--name", "two", "--expires-days", "0")


def test_portal_tokens_create_from_the_shell(tmp_path: Path) -> None:
    """The installed `portal` command, on its own database, as an operator types it."""
    portal = Path(sys.executable).parent / "portal"
    env = os.environ | {"VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50,
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}"}

    def shell(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(portal), *args], env=env, input=stdin, capture_output=True,
                              text=True, timeout=300, check=False)

    assert shell("migrate", "--no-input", "-v", "0").returncode == 0
    created = shell("users", "create", "admin", "--email", "a@ninhbinh.gov.vn", "--role",
                    "sysadmin", "--password-stdin", stdin=GOOD_PASSWORD)
    assert created.returncode == 0, created.stderr
    finished = shell("tokens", "create", "admin", "--name", "ckanapi")
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines()[-1].startswith("odp_")
    refused = shell("tokens", "create", "nobody", "--name", "x")
    assert refused.returncode != 0
    assert "'nobody'" in refused.stderr  # the message is Vietnamese: the portal's language
    assert "Traceback" not in refused.stderr


def test_agency_admin_may_manage_only_its_own_agency(agency: Agency, other_agency: Agency) -> None:
    admin = factories.make_user(role=Role.ADMIN, agency=agency)
    made = services.user_create(actor=admin, username="tu", email="tu@ninhbinh.gov.vn",
                                role=Role.MEMBER, agency=agency)
    assert made.agency == agency
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin, username="khach", email="k@ninhbinh.gov.vn",
                             role=Role.MEMBER, agency=other_agency)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin, username="sep", email="s@ninhbinh.gov.vn",
                             role=Role.SYSADMIN)


def test_account_and_token_changes_are_in_the_audit_trail(agency: Agency) -> None:
    run("users", "create", "lan", "--email", "lan@ninhbinh.gov.vn", "--role", "editor",
        "--agency", agency.slug)
    run("users", "set-role", "lan", "--role", "member", "--agency", agency.slug)
    run("users", "deactivate", "lan")
    run("users", "reactivate", "lan")
    plaintext = run("tokens", "create", "lan", "--name", "script").splitlines()[-1]
    run("tokens", "revoke", "lan", "--name", "script")
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [entry.action for entry in entries] == [
        "user.create", "user.password_link", "user.set_role", "user.deactivate",
        "user.reactivate", "token.create", "token.revoke"]
    assert {entry.door for entry in entries} == {Door.COMMAND}
    assert entries[2].before == {"role": "editor", "agency": str(agency)}
    assert entries[2].after == {"role": "member", "agency": str(agency)}
    secret = plaintext.split("_", 2)[2]
    hashed = ApiToken.objects.get(name="script").secret_hash
    for entry in entries:
        assert secret not in str(entry.after)
        assert hashed not in str(entry.after)
    assert verify_chain().intact


def test_reactivating_an_account_does_not_bring_back_its_api_tokens(editor: User,
                                                                    client: Client) -> None:
    """Deactivation revokes the tokens (with the reason, audited); `portal users reactivate`
    gives back the account only, so a token that leaked stays dead."""
    plaintext = services.token_create(user=editor, name="harvester")[1]
    assert "revoked" in run("users", "deactivate", "editor")
    assert "stay revoked" in run("users", "reactivate", "editor")
    assert "\trevoked (account deactivated)\t" in run("tokens", "list", "editor")
    assert client.get("/api/3/action/package_list",
                      HTTP_AUTHORIZATION=plaintext).status_code == 403
    assert client.get("/api/v1/tokens", HTTP_AUTHORIZATION=plaintext).status_code == 401
    token = ApiToken.objects.get(name="harvester")
    assert (token.revoked is not None, token.revoked_reason) == (True, "account_deactivated")
    revoked = AuditEntry.objects.get(action="token.revoke")
    assert revoked.after["revoked_reason"] == "account_deactivated"
    assert (revoked.door, revoked.target_id) == (Door.COMMAND, str(token.pk))
    # The person makes a new token, which works.
    fresh = run("tokens", "create", "editor", "--name", "harvester").splitlines()[-1]
    assert client.get("/api/3/action/package_list",
                      HTTP_AUTHORIZATION=fresh).status_code == 200


def test_an_account_deactivated_before_tokens_were_revoked_has_them_revoked_on_reactivation(
        editor: User, client: Client) -> None:
    """Accounts deactivated by an older version kept unrevoked tokens: reactivation revokes
    them instead of reviving them."""
    plaintext = services.token_create(user=editor, name="old")[1]
    User.objects.filter(pk=editor.pk).update(is_active=False)
    run("users", "reactivate", "editor")
    assert client.get("/api/3/action/package_list",
                      HTTP_AUTHORIZATION=plaintext).status_code == 403
    assert ApiToken.objects.get(name="old").revoked_reason == "account_deactivated"
