"""Password hashes brought over from the seed (Flask + werkzeug), checked as they are.

The seed stored ``method$salt$hexdigest`` as werkzeug's ``generate_password_hash`` made it:
``scrypt:N:r:p$salt$hex`` (werkzeug >= 2.3) or ``pbkdf2:sha256:ITERATIONS$salt$hex`` (older).
Django picks a hasher by the part before the first ``$``, so ``import_seed`` stores such a hash
as ``werkzeug$<the seed's hash>``. This hasher is listed *after* the default one in
``PASSWORD_HASHERS``: on a user's first successful login Django re-hashes the password with the
default hasher and saves it (``AbstractBaseUser.check_password``), so the werkzeug hash lives
only until then.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.translation import gettext_noop as _noop
from werkzeug.security import check_password_hash

#: The werkzeug methods the seed's versions produced; anything else is refused on import.
SUPPORTED_METHOD_PREFIXES = ("scrypt:", "pbkdf2:")


def is_werkzeug_hash(value: str) -> bool:
    """Whether ``value`` looks like a hash the seed's werkzeug made (``method$salt$hex``)."""
    if not isinstance(value, str) or value.count("$") != 2:
        return False
    method, salt, digest = value.split("$")
    if not method.startswith(SUPPORTED_METHOD_PREFIXES) or not salt or not digest:
        return False
    try:
        bytes.fromhex(digest)
    except ValueError:
        return False
    return True


class WerkzeugPasswordHasher(BasePasswordHasher):
    """Verifies ``werkzeug$scrypt:...`` and ``werkzeug$pbkdf2:sha256:...`` in constant time
    (werkzeug's ``check_password_hash`` compares with ``hmac.compare_digest``)."""

    algorithm = "werkzeug"
    #: Only used by ``encode`` (Django's API requires one); imported hashes keep their own.
    iterations = 600_000

    def _inner(self, encoded: str) -> str:
        algorithm, _separator, inner = encoded.partition("$")
        assert algorithm == self.algorithm
        return inner

    def verify(self, password: str, encoded: str) -> bool:
        inner = self._inner(encoded)
        if not is_werkzeug_hash(inner):
            return False
        try:
            return check_password_hash(inner, password)
        except (ValueError, TypeError, OverflowError, MemoryError):
            # A damaged parameter (scrypt N not a power of two, a huge N...) never matches.
            return False

    def encode(self, password: str, salt: str) -> str:
        """A werkzeug-compatible pbkdf2 hash (Django needs ``encode``; the import never calls
        it, since hashes are copied as they are)."""
        self._check_encode_args(password, salt)
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), salt.encode(), self.iterations
        ).hex()
        return f"{self.algorithm}$pbkdf2:sha256:{self.iterations}${salt}${digest}"

    def decode(self, encoded: str) -> dict:
        method, salt, digest = self._inner(encoded).split("$", 2)
        return {"algorithm": self.algorithm, "method": method, "salt": salt, "hash": digest}

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            _noop("algorithm"): decoded["algorithm"],
            _noop("method"): decoded["method"],
            _noop("salt"): mask_hash(decoded["salt"], show=2),
            _noop("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        # Never the preferred hasher: any successful login replaces the hash.
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        # Nothing to equalise: the stored hash fixes the work factor, and must_update is True,
        # so Django only calls this after a wrong password (no upgrade to time against).
        pass
