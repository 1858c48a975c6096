"""Django's auth admin forms, fitted to our user model (``USERNAME_FIELD = ds_user_email``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import User, normalize_email


class _EmailCleaningMixin:
    """Lower-case the e-mail and refuse one that differs from another user's only in case,
    with a field error instead of the database constraint's generic message."""

    def clean_ds_user_email(self):
        email = normalize_email(self.cleaned_data.get("ds_user_email"))
        if email and selectors.user_email_taken(
            ds_user_email=email, exclude_user_id=self.instance.pk
        ):
            raise forms.ValidationError(_("E-mail já cadastrado."), code="unique")
        return email


class UserAddForm(_EmailCleaningMixin, BaseUserCreationForm):
    """E-mail, name and the password twice (checked by Django's password validators)."""

    class Meta:
        model = User
        fields = ("ds_user_email", "ds_user")


class UserEditForm(_EmailCleaningMixin, UserChangeForm):
    """The change form; its password field links to the admin's "alterar senha" page."""

    class Meta:
        model = User
        fields = "__all__"
