"""Demo accounts: one per role, with passwords generated at load time and never kept in code.

The passwords are printed once at the end of the load and written to a file readable only by
its owner (`var/demo-accounts.txt` by default), so that the person who ran `make run` finds them.
"""

from __future__ import annotations

import os
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from portal.accounts.models import Role, User
from portal.agencies.models import Agency
from portal.demo import people
from portal.demo.agencies import OPERATOR, SUPERVISOR

DEMO_AGENCY = "so-nong-nghiep-moi-truong"
# (username, role, agency slug, position)
ACCOUNTS = (
    ("demo-sysadmin", Role.SYSADMIN, OPERATOR, "Quản trị hệ thống, Trung tâm CNTT&TT"),
    ("demo-supervisor", Role.SUPERVISOR, SUPERVISOR, "Chuyên viên Phòng Chuyển đổi số"),
    ("demo-admin", Role.ADMIN, DEMO_AGENCY, "Chánh Văn phòng Sở"),
    ("demo-editor", Role.EDITOR, DEMO_AGENCY, "Chuyên viên Phòng Chuyển đổi số và Thống kê"),
    ("demo-member", Role.MEMBER, DEMO_AGENCY, "Chuyên viên Chi cục Bảo vệ môi trường"),
)
# Letters and digits that cannot be mistaken for one another when read from a screen.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str
    password: str


def new_password() -> str:
    """Four groups of five characters, about 99 bits: readable, yet never guessed."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(5)) for _ in range(4))


def _user(username: str, role: Role, agency: Agency, position: str,
          rng: random.Random) -> User:
    who = people.person(rng)
    return User(
        username=username, role=role, agency=agency, position=position,
        first_name=f"{who.middle} {who.given}", last_name=who.family,
        email=people.email(who, agency.slug.replace("-", "")[:12]), phone=people.phone(rng),
    )


def create_demo_accounts(agencies: dict[str, Agency], rng: random.Random) -> list[DemoAccount]:
    passwords = [new_password() for _ in ACCOUNTS]
    # Hashing is slow on purpose; the hash function releases the GIL, so hash side by side.
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        hashes = list(pool.map(make_password, passwords))
    accounts = []
    for (username, role, slug, position), password, hashed in zip(ACCOUNTS, passwords, hashes,
                                                                 strict=True):
        user = _user(username, role, agencies[slug], position, rng)
        validate_password(password, user)
        user.password = hashed
        user.save()
        accounts.append(DemoAccount(username, str(role.label), agencies[slug].name, password))
    return accounts


def create_authors(agencies: dict[str, Agency], rng: random.Random) -> dict[str, User]:
    """An editor for every other agency, under whose name its datasets are created.

    These accounts have no usable password: nobody signs in with them; they make the history
    read like real use, where each agency's own staff publishes.
    """
    authors = {DEMO_AGENCY: User.objects.get(username="demo-editor")}
    for slug, agency in agencies.items():
        if slug in authors or not agency.is_active:
            continue
        user = _user(f"editor-{slug}"[:150], Role.EDITOR, agency, "Cán bộ đầu mối dữ liệu", rng)
        user.set_unusable_password()
        user.save()
        authors[slug] = user
    return authors


def write_accounts_file(path: Path, accounts: list[DemoAccount]) -> None:
    """Write the accounts with their passwords to `path`, readable only by its owner."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was already there with wider rights
    created = f"{datetime.now():%Y-%m-%d %H:%M}"
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"# Demo accounts of the open data portal, created {created}.\n"
                     "# Sign in at /user/login. Delete var/ and run `make run` again to reset "
                     "the demo.\n# username\tpassword\trole\tagency\n")
        for account in accounts:
            handle.write(f"{account.username}\t{account.password}\t{account.role}\t"
                         f"{account.agency}\n")


def format_accounts(accounts: list[DemoAccount]) -> str:
    width = max(len(account.username) for account in accounts)
    return "\n".join(f"  {account.username:<{width}}  {account.password}  {account.role} – "
                     f"{account.agency}" for account in accounts)
