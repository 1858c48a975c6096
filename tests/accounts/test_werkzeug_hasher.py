"""The seed's werkzeug password hashes, checked by ``domains.accounts.hashers``."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from werkzeug.security import check_password_hash, generate_password_hash

from domains.accounts.hashers import WerkzeugPasswordHasher

PASSWORD = "senha-Antiga-do-seed"


@pytest.fixture(scope="module")
def seed_hashes() -> dict[str, str]:
    return {
        "scrypt": generate_password_hash(PASSWORD, method="scrypt"),
        "pbkdf2": generate_password_hash(PASSWORD, method="pbkdf2:sha256:260000"),
    }


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2"])
def test_a_seed_hash_stored_under_our_name_checks_the_right_password_only(seed_hashes, method):
    encoded = "werkzeug$" + seed_hashes[method]

    assert isinstance(identify_hasher(encoded), WerkzeugPasswordHasher)
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)
    assert not check_password("", encoded)


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2"])
def test_a_successful_check_asks_for_the_upgrade_a_failed_one_does_not(seed_hashes, method):
    encoded = "werkzeug$" + seed_hashes[method]
    upgraded = []

    assert not check_password("errada", encoded, setter=upgraded.append)
    assert upgraded == []
    assert check_password(PASSWORD, encoded, setter=upgraded.append)
    assert upgraded == [PASSWORD]


@pytest.mark.parametrize(
    "inner",
    [
        "plain-text",
        "md5$salt$0123abcd",
        "sha256$salt$0123abcd",  # werkzeug < 2.3's plain digests: not produced by the seed
        "scrypt:32768:8:1$salt",  # no digest
        "scrypt:32768:8:1$salt$not-hex",
        "scrypt:3:8:1$salt$00",  # N not a power of two: hashlib refuses, we answer "no"
        "pbkdf2:md4:1000$salt$00",
        "pbkdf2:sha256:x$salt$00",
    ],
)
def test_a_damaged_hash_never_matches_and_never_raises(inner):
    assert not check_password(PASSWORD, "werkzeug$" + inner)


def test_encode_makes_a_hash_werkzeug_itself_accepts():
    hasher = get_hasher("werkzeug")
    encoded = hasher.encode(PASSWORD, hasher.salt())

    assert check_password_hash(encoded.removeprefix("werkzeug$"), PASSWORD)
    assert hasher.verify(PASSWORD, encoded)


def test_the_summary_masks_salt_and_digest(seed_hashes):
    encoded = "werkzeug$" + seed_hashes["scrypt"]
    method, salt, digest = seed_hashes["scrypt"].split("$")

    summary = get_hasher("werkzeug").safe_summary(encoded)

    assert summary["method"] == method
    assert salt not in summary["salt"] and digest not in summary["hash"]
