"""Admin conventions shared by the domains."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect

from .api.exceptions import ApplicationError


class ServiceErrorsAdminMixin:
    """Forms validate up front, but a service can still refuse at save time (two staff saving
    the same unique name at once: the database's constraint decides). Show that refusal as an
    error message on the same page instead of a 500; nothing was saved (the admin's atomic
    block rolled back)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as refusal:
            self.message_user(request, str(refusal.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


__all__ = ["ServiceErrorsAdminMixin"]
