"""Interactive ``createsuperuser`` asks in one language (issue #11: "E-mail:", "Nome:", then
"Password:"). Run as an operator would: a separate process on a real terminal (a pty, so
``getpass`` reads the password without echo), against a freshly migrated SQLite database."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time

import pytest

from tests.platform.sandbox import copy_source, describe, manage, process_env

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs a Linux pty")


class Terminal:
    """A command on a pseudo-terminal: read what it prints, type answers."""

    def __init__(self, args: list[str], *, cwd, env) -> None:
        self.master, slave = pty.openpty()

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=controlling_terminal,
            close_fds=True,
        )
        os.close(slave)
        self.output = ""
        self._seen = 0  # what expect() already matched

    def expect(self, text: str, timeout: float = 60) -> None:
        """Wait for ``text`` after everything matched so far."""
        deadline = time.monotonic() + timeout
        while text not in self.output[self._seen :]:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; got:\n{self.output}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 4096).decode(errors="replace")
                except OSError:  # the command ended
                    raise AssertionError(f"{text!r} never appeared:\n{self.output}") from None
        self._seen = self.output.index(text, self._seen) + len(text)

    def type(self, answer: str) -> None:
        os.write(self.master, f"{answer}\n".encode())

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


@pytest.fixture(scope="module")
def migrated_copy(tmp_path_factory):
    root = copy_source(tmp_path_factory.mktemp("app"))
    env = process_env(root, root / "var", DEBUG="true")
    result = manage("migrate", "--noinput", "-v", "0", root=root, env=env)
    assert result.returncode == 0, describe(result)
    return root, env


def test_createsuperuser_asks_everything_in_portuguese(migrated_copy):
    root, env = migrated_copy
    terminal = Terminal([sys.executable, "manage.py", "createsuperuser"], cwd=root, env=env)

    terminal.expect("E-mail: ")
    terminal.type("chefe@example.com")
    terminal.expect("Nome: ")
    terminal.type("Chefe")
    terminal.expect("Senha: ")
    terminal.type("uma-Senha-Forte-2026")
    terminal.expect("Senha (de novo): ")
    terminal.type("outra-senha")
    terminal.expect("Erro: as senhas não conferem.")
    terminal.expect("Senha: ")
    terminal.type("123")
    terminal.expect("Senha (de novo): ")
    terminal.type("123")
    terminal.expect("[s/N]: ")  # Django's validators refuse it; the question is ours
    terminal.type("n")
    terminal.expect("Senha: ")
    terminal.type("uma-Senha-Forte-2026")
    terminal.expect("Senha (de novo): ")
    terminal.type("uma-Senha-Forte-2026")
    terminal.expect("Superusuário criado com sucesso.")

    assert terminal.close() == 0
    for english in ("Password", "Error", "Bypass", "Superuser created", "(again)"):
        assert english not in terminal.output, terminal.output
    assert "Esta senha é muito curta" in terminal.output  # Django's own validator, in pt-BR
