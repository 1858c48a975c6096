"""Users: the custom user model (seed table ``user``)."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .revocation import tokens_forget
from .roles import ADMIN, ROLES, role_of


def normalize_email(email: str) -> str:
    """E-mails are unique case-insensitively; we store them lower-cased and trimmed."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(ds_user_email=normalize_email(username))

    def _create_user(self, ds_user_email, password, **extra_fields):
        if not ds_user_email:
            raise ValueError("O e-mail é obrigatório.")
        user = self.model(ds_user_email=normalize_email(ds_user_email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, ds_user_email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(ds_user_email, password, **extra_fields)

    def create_superuser(self, ds_user_email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("Um superusuário precisa de is_staff=True e is_superuser=True.")
        user = self._create_user(ds_user_email, password, **extra_fields)
        # A superuser is an admin (``ds_role``), also in the admin's user list and filters.
        admin_group = Group.objects.db_manager(self._db).filter(name=ADMIN).first()
        if admin_group is not None:
            user.groups.add(admin_group)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    cd_user = models.UUIDField(_("código"), primary_key=True, default=uuid.uuid4, editable=False)
    # Wider than Django's 128: a seed user's werkzeug scrypt hash, stored as
    # ``werkzeug$scrypt:32768:8:1$<salt>$<128 hex>``, is about 170 characters until the first
    # login replaces it (domains/accounts/hashers.py).
    password = models.CharField(_("password"), max_length=255)
    ds_user = models.CharField(_("nome"), max_length=150)
    ds_user_email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    dt_created_at = models.DateTimeField(_("criado em"), default=timezone.now, editable=False)
    is_active = models.BooleanField(_("ativo"), default=True)
    is_staff = models.BooleanField(
        _("equipe"), default=False, help_text=_("Pode entrar no painel administrativo.")
    )
    #: Carried by every token issued to the user (claim ``ver``); bumping it revokes them all.
    #: A database default too: rows inserted by plain SQL or COPY (seed_demo, import_seed, a
    #: DBA) need not know the column.
    nr_token_version = models.PositiveIntegerField(
        _("versão dos tokens"), default=0, db_default=0, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "ds_user_email"
    EMAIL_FIELD = "ds_user_email"
    REQUIRED_FIELDS = ["ds_user"]

    class Meta:
        db_table = "user"
        verbose_name = _("usuário")
        verbose_name_plural = _("usuários")
        ordering = ["ds_user"]
        constraints = [
            models.UniqueConstraint(Lower("ds_user_email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ds_user} <{self.ds_user_email}>"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_is_active = instance.__dict__.get("is_active")
        return instance

    def save(self, *args, **kwargs):
        # Every path that changes a password or (de)activates a user ends here: the admin's
        # forms, ``changepassword``, ``set_password`` + ``save`` anywhere. Doing it in the
        # model, not in one service, is what makes "a password change revokes every token"
        # hold whichever way the change is made. (A hash upgrade at login clears
        # ``_password`` before saving, so it revokes nothing.)
        loaded_is_active = getattr(self, "_loaded_is_active", None)  # None: not loaded
        revokes = not self._state.adding and (
            self._password is not None
            or (loaded_is_active is not None and loaded_is_active != self.is_active)
        )
        if revokes:
            self.nr_token_version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "nr_token_version"}
        super().save(*args, **kwargs)
        self._loaded_is_active = self.is_active
        if revokes:
            tokens_forget(user_ids=[self.pk], using=self._state.db)

    def delete(self, *args, **kwargs):
        user_id, using = self.pk, self._state.db
        result = super().delete(*args, **kwargs)
        tokens_forget(user_ids=[user_id], using=using)
        return result

    def clean(self):
        super().clean()
        self.ds_user_email = normalize_email(self.ds_user_email)

    @property
    def ds_role(self) -> str | None:
        """``admin``, ``manager``, ``sales``, ``viewer``, or ``None`` (no role group).

        Reads ``groups`` through a ``prefetch_related("groups")`` when the caller made one."""
        names = [group.name for group in self.groups.all() if group.name in ROLES]
        return role_of(group_names=names, is_superuser=self.is_superuser)

    def get_full_name(self) -> str:
        return self.ds_user

    def get_short_name(self) -> str:
        return self.ds_user


class RevokedSession(models.Model):
    """A logged-out login session (or a single token), refused until its tokens expire.

    The shared cache answers the per-request question; this table is the truth it is rebuilt
    from after a miss (a Redis restart, an expired entry). Rows are useless once
    ``dt_expires`` (the last access token of the session) has passed and are purged then.
    """

    cd_session = models.CharField(_("sessão ou token"), max_length=64, primary_key=True)
    cd_user = models.UUIDField(_("usuário"), db_index=True)
    dt_revoked = models.DateTimeField(_("revogado em"), default=timezone.now)
    dt_expires = models.DateTimeField(_("expira em"), db_index=True)

    class Meta:
        db_table = "revoked_session"
        verbose_name = _("sessão revogada")
        verbose_name_plural = _("sessões revogadas")

    def __str__(self) -> str:
        return self.cd_session
