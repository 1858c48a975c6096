"""Create a local ``.env`` from ``.env.example`` with fresh random secrets (``make run``).

Never overwrites an existing ``.env``. Usage: ``python -m config.envfile [.env.example] [.env]``.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

#: A laptop demo behaves like the seed: anyone registers and may manage everything (README
#: "Security"); production keeps .env.example's closed registration.
LOCAL_OVERRIDES = {"DEBUG": "true", "CRM_REGISTRATION": "open", "CRM_REGISTRATION_ROLE": "manager"}


#: Fresh random values, each its own: the split's service key too (`make split` hands the same
#: one to every process; the monolith ignores it).
GENERATED_SECRETS = {"SECRET_KEY", "JWT_SECRET_KEY", "CRM_SERVICE_KEY"}


def render(example: str) -> str:
    lines = []
    for line in example.splitlines():
        key, sep, value = line.partition("=")
        name = key.strip()
        if sep and not name.startswith("#"):
            if name in GENERATED_SECRETS:
                value = secrets.token_urlsafe(50)
            elif name in LOCAL_OVERRIDES:
                value = LOCAL_OVERRIDES[name]
            line = f"{name}={value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    example = Path(argv[1] if len(argv) > 1 else ".env.example")
    target = Path(argv[2] if len(argv) > 2 else ".env")
    if target.exists():
        print(f"{target} exists; left as it is.")
        return 0
    target.write_text(render(example.read_text()))
    print(
        f"wrote {target} (random SECRET_KEY and JWT_SECRET_KEY, DEBUG=true, "
        "open registration as manager)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
