"""Staff sessions where users are served by another process (``crm.staff``, ``crm.sessions``),
in-process: the accounts interface's ``staff_user`` record, the user object built from it,
the shared cache that keeps it (and forgets it when accounts changes the user), and the
session check that ends a session after a password change or a deactivation. The loader is the
accounts interface itself (in a split it is its HTTP client: ``tests/split/test_admin_split``).
Also: what the settings of a process without accounts install.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from crm import staff
from crm.sessions import StaffBackend, session_user
from domains.accounts import interface as accounts
from domains.accounts.models import User
from domains.accounts.services import user_set_active

from .sandbox import PROJECT_ROOT, describe, manage, process_env

PASSWORD = "s3nha-Forte-2026"


@pytest.fixture
def users_elsewhere():
    """This process behaves as one without the users table: the session's user is asked of
    the accounts interface (counted, to see what the cache saves)."""
    calls = []

    def loader(*, user_id):
        calls.append(user_id)
        return accounts.staff_user(user_id=user_id)

    staff.register_staff_user_loader(loader)
    try:
        yield calls
    finally:
        staff.register_staff_user_loader(None)


def make_user(role: str, *, is_staff: bool = True) -> User:
    user = User.objects.create_user(
        f"{role}-{uuid.uuid4().hex[:6]}@example.com", PASSWORD, ds_user=role.title()
    )
    user.is_staff = is_staff
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def session_request(user: User):
    """A request carrying the session accounts' login would have written for ``user``."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "crm.sessions.StaffBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    request = RequestFactory().get("/admin/customers/customer/")
    request.session = SessionStore(session_key=session.session_key)
    return request


def test_the_record_carries_flags_the_session_hash_and_the_role_permissions():
    sales = make_user("sales")

    record = accounts.staff_user(user_id=sales.pk)

    assert (record.cd_user, record.ds_user_email) == (sales.pk, sales.ds_user_email)
    assert (record.is_active, record.is_staff, record.is_superuser) == (True, True, False)
    assert record.session_auth_hash == sales.get_session_auth_hash()
    assert record.permissions == frozenset(sales.get_all_permissions())
    assert "customers.change_customer" in record.permissions
    assert "customers.hard_delete_customer" not in record.permissions
    assert accounts.staff_user(user_id=uuid.uuid4()) is None


def test_the_staff_user_answers_the_admin_as_the_real_user_would():
    viewer = make_user("viewer")
    user = staff.StaffUser(accounts.staff_user(user_id=viewer.pk))

    assert (user.pk, user.is_authenticated, user.is_anonymous) == (viewer.pk, True, False)
    assert (user.is_staff, user.is_active, user.get_username()) == (
        True,
        True,
        viewer.ds_user_email,
    )
    assert str(user) == str(viewer)
    for perm in ("customers.view_customer", "customers.change_customer", "products.view_product"):
        assert user.has_perm(perm) == viewer.has_perm(perm), perm
    assert user.has_perms(["customers.view_customer"]) is True
    assert user.has_module_perms("customers") is True
    assert user.has_module_perms("accounts") == viewer.has_module_perms("accounts")
    with pytest.raises(NotImplementedError):
        user.save()


def test_a_superuser_holds_every_permission_an_inactive_user_none():
    root = User.objects.create_superuser("root@example.com", PASSWORD, ds_user="Root")
    record = accounts.staff_user(user_id=root.pk)
    inactive = staff.StaffUser(
        staff.StaffUserRecord(**{**record.__dict__, "is_superuser": False, "is_active": False})
    )

    assert staff.StaffUser(record).has_perm("anything.at_all") is True
    assert staff.StaffUser(record).has_module_perms("customers") is True
    assert inactive.has_perm("customers.view_customer") is False
    assert inactive.has_module_perms("customers") is False


def test_the_backend_asks_once_then_the_shared_cache_answers(users_elsewhere):
    sales = make_user("sales")
    backend = StaffBackend()

    first = backend.get_user(sales.pk)
    second = backend.get_user(str(sales.pk))

    assert isinstance(first, staff.StaffUser)
    assert first == second
    assert users_elsewhere == [sales.pk]
    # no password is checked where users are not served
    assert backend.authenticate(None, username=sales.ds_user_email, password=PASSWORD) is None


def test_a_session_is_good_in_another_process_until_the_password_changes(users_elsewhere):
    sales = make_user("sales")
    request = session_request(sales)
    assert isinstance(session_user(request), staff.StaffUser)

    sales.set_password("0utra-Senha-Forte-2026")
    sales.save()  # accounts forgets the cached record (crm.api.permissions)
    later = session_request(sales)
    later.session = SessionStore(session_key=request.session.session_key)

    assert isinstance(session_user(later), AnonymousUser)
    assert SessionStore(session_key=request.session.session_key).load() == {}  # flushed
    assert len(users_elsewhere) == 2


def test_a_user_deactivated_in_bulk_is_anonymous_at_the_next_request(users_elsewhere):
    viewer = make_user("viewer")
    assert isinstance(session_user(session_request(viewer)), staff.StaffUser)

    user_set_active(user_ids=[viewer.pk], is_active=False)

    assert isinstance(session_user(session_request(viewer)), AnonymousUser)


def test_a_session_without_a_known_backend_or_with_a_broken_id_is_anonymous(users_elsewhere):
    viewer = make_user("viewer")
    foreign = session_request(viewer)
    foreign.session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.RemoteUserBackend"
    broken = session_request(viewer)
    broken.session[SESSION_KEY] = "42"

    assert isinstance(session_user(foreign), AnonymousUser)
    assert isinstance(session_user(broken), AnonymousUser)
    assert users_elsewhere == []


def test_a_process_without_accounts_installs_the_admin_with_shared_sessions(tmp_path):
    env = process_env(
        PROJECT_ROOT,
        tmp_path,
        DEBUG="true",
        CRM_DOMAINS="customers",
        CRM_REMOTE_ACCOUNTS_URL="http://127.0.0.1:9",
        CRM_REMOTE_PRODUCTS_URL="http://127.0.0.1:9",
        CRM_REMOTE_INTERACTIONS_URL="http://127.0.0.1:9",
    )
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'apps': s.INSTALLED_APPS, 'middleware': s.MIDDLEWARE, "
        "'engine': s.SESSION_ENGINE, 'backends': s.AUTHENTICATION_BACKENDS, "
        "'contenttypes': s.CRM_APP_DOMAINS['contenttypes'], 'user': s.AUTH_USER_MODEL, "
        "'auth': s.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']}))"
    )
    described = manage("shell", "-c", code, root=PROJECT_ROOT, env=env)
    checked = manage("check", root=PROJECT_ROOT, env=env)
    assert described.returncode == 0, describe(described)
    settings = json.loads(described.stdout.splitlines()[-1])

    assert checked.returncode == 0, describe(checked)  # the admin's and crm's checks pass
    assert {"django.contrib.admin", "django.contrib.messages", "domains.customers"} <= set(
        settings["apps"]
    )
    assert "django.contrib.sessions" not in settings["apps"]  # no table: sessions are in Redis
    assert "crm.sessions.StaffSessionMiddleware" in settings["middleware"]
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" not in settings["middleware"]
    assert settings["engine"] == "django.contrib.sessions.backends.cache"
    assert settings["backends"] == ["crm.sessions.StaffBackend"]
    assert settings["contenttypes"] == "customers"  # its own table, in its own database
    assert settings["user"] == "auth.User"
    assert "rest_framework.authentication.SessionAuthentication" in settings["auth"]


def test_the_monolith_keeps_its_database_sessions(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AUTHENTICATION_BACKENDS == ["crm.sessions.StaffBackend"]
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in settings.MIDDLEWARE


def test_a_domain_lists_its_admin_sections_as_the_staff_user_may_see_them_there():
    from rest_framework.test import APIClient

    from crm import remote

    viewer = make_user("viewer")
    outsider = make_user("viewer", is_staff=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {remote.service_token_issue()}")

    seen = client.post(
        "/internal/customers/admin/apps",
        {"user_id": str(viewer.pk), "language": "en"},
        format="json",
    )
    not_staff = client.post(
        "/internal/customers/admin/apps", {"user_id": str(outsider.pk)}, format="json"
    )
    missing = client.post("/internal/customers/admin/apps", {}, format="json")
    broken = client.post("/internal/customers/admin/apps", {"user_id": "nope"}, format="json")
    as_user = APIClient().post(
        "/internal/customers/admin/apps", {"user_id": str(viewer.pk)}, format="json"
    )

    assert seen.status_code == 200, seen.content
    (section,) = seen.json()["apps"]  # customers' own section only
    assert (section["app_label"], section["app_url"]) == ("customers", "/admin/customers/")
    customer = next(m for m in section["models"] if m["object_name"] == "Customer")
    assert customer == {
        "name": "Customers",
        "object_name": "Customer",
        "admin_url": "/admin/customers/customer/",
        "add_url": None,  # a viewer adds nothing
        "view_only": True,
    }
    assert not_staff.json() == {"apps": []}
    assert missing.status_code == 400
    assert missing.json()["error"]
    assert broken.status_code == 400
    assert as_user.status_code == 401
