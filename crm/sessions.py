"""The session side of ``crm.staff``: the authentication backend of every process and the
middleware that reads a staff session where users are served by another process.

Kept apart from ``crm.staff`` (the record and its cache, which the accounts interface imports
at any time): these need Django's auth models loaded.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .api.exceptions import ServiceUnavailable
from .staff import StaffUser, staff_user_record, users_served_elsewhere


class StaffBackend(ModelBackend):
    """The one backend path of every process (``AUTHENTICATION_BACKENDS``). Users served here:
    Django's ``ModelBackend``. Served elsewhere: no password is checked here (logging in is
    the owner's job) and ``get_user`` asks the owner (``staff_user_record``)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if users_served_elsewhere():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        if not users_served_elsewhere():
            return super().get_user(user_id)
        record = staff_user_record(UUID(str(user_id)))
        if record is None or not record.is_active:
            return None
        return StaffUser(record)

    # Where users are served elsewhere, ``StaffUser`` answers permissions itself.
    def get_all_permissions(self, user_obj, obj=None):
        if isinstance(user_obj, StaffUser):
            return user_obj.get_all_permissions(obj)
        return super().get_all_permissions(user_obj, obj)


def session_user(request):
    """``django.contrib.auth.get_user`` for a process without the users table: the same checks
    (the backend named by the session must be configured, the session auth hash must match
    the user's current one or a fallback's), the user id read as the UUID it is."""
    session = request.session
    try:
        user_id = UUID(str(session[SESSION_KEY]))
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError):
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = load_backend(backend_path).get_user(user_id)
    if user is None:
        return AnonymousUser()
    session_hash = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current
        return user
    # The password changed since the login (or the session was forged): it ends here.
    session.flush()
    return AnonymousUser()


def _cached_session_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


class StaffSessionMiddleware(AuthenticationMiddleware):
    """``AuthenticationMiddleware`` where users are served by another process (a subclass,
    so the admin's system checks recognise it). The app is served by sync workers (WSGI): no
    ``request.auser``."""

    def process_request(self, request):
        request.user = SimpleLazyObject(lambda: _cached_session_user(request))

    def process_exception(self, request, exception):
        # The owner of users did not answer and nothing was cached: say so, never a 500.
        if isinstance(exception, ServiceUnavailable):
            response = JsonResponse({"error": str(exception.message)}, status=exception.status_code)
            response["Retry-After"] = "5"
            return response
        return None


__all__ = ["StaffBackend", "StaffSessionMiddleware", "session_user"]
