"""``createsuperuser`` that speaks the project's language end to end.

Django asks for the fields through their verbose names (translated: "E-mail:", "Nome:") but
writes its own prompts and messages outside gettext ("Password:", "Password (again): ",
"Superuser created successfully."...), so staff got a prompt in two languages. This command
is Django's, with those strings translated (Portuguese by default, like every command).
"""

from __future__ import annotations

import getpass as getpass_module
import re

from django.contrib.auth.management.commands import createsuperuser as django_command
from django.core.management.base import CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

#: Django's English messages -> ours. Looked up when written, so the active language applies.
MESSAGES = {
    "Error: Your passwords didn't match.": lambda: _("Erro: as senhas não conferem."),
    "Error: Blank passwords aren't allowed.": lambda: _("Erro: a senha não pode ficar em branco."),
    "Error: This field cannot be blank.": lambda: _("Erro: este campo não pode ficar em branco."),
    "Superuser created successfully.": lambda: _("Superusuário criado com sucesso."),
    "\nOperation cancelled.": lambda: "\n" + _("Operação cancelada."),
    (
        "Superuser creation skipped due to not running in a TTY. You can run "
        "`manage.py createsuperuser` in your project to create one manually."
    ): lambda: _(
        "Criação do superusuário ignorada: o terminal não é interativo. Rode "
        "`manage.py createsuperuser` num terminal para criá-lo."
    ),
}
PATTERNS = [
    (
        re.compile(r"Error: That (.+) is already taken\.", re.S),
        lambda m: _("Erro: este %(field)s já está cadastrado.") % {"field": m[1]},
    ),
    (
        re.compile(r"You must use --(\S+) with --noinput\.", re.S),
        lambda m: _("Use --%(option)s com --noinput.") % {"option": m[1]},
    ),
    (
        re.compile(r"(.+) cannot be blank\.", re.S),
        lambda m: _("%(field)s não pode ficar em branco.") % {"field": m[1]},
    ),
    (re.compile(r"Error: (.+)", re.S), lambda m: _("Erro: %(message)s") % {"message": m[1]}),
]


def translate(message: str) -> str:
    if message in MESSAGES:
        return MESSAGES[message]()
    for pattern, replacement in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return replacement(match)
    return message


class _TranslatingOutput:
    """Wraps the command's stdout/stderr: Django's messages leave in our language."""

    def __init__(self, wrapped) -> None:
        self._wrapped = wrapped

    def write(self, msg="", style_func=None, ending=None) -> None:
        self._wrapped.write(translate(msg), style_func, ending)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)


class _TranslatingGetpass:
    """Stands in for the ``getpass`` module inside Django's command."""

    @staticmethod
    def getpass(prompt: str = "Password: ", stream=None) -> str:
        prompts = {"Password: ": _("Senha: "), "Password (again): ": _("Senha (de novo): ")}
        return getpass_module.getpass(prompts.get(prompt, prompt), stream)


def _translating_input(prompt: str = "") -> str:
    if prompt == "Bypass password validation and create user anyway? [y/N]: ":
        prompt = _("Ignorar a validação da senha e criar o usuário mesmo assim? [s/N]: ")
        answer = input(prompt)
        # Django accepts only "y"; "s" (sim) means the same here.
        return "y" if answer.strip().lower() in {"s", "sim", "y", "yes"} else answer
    return input(prompt)


class Command(django_command.Command):
    help = "Cria um superusuário (acesso total ao painel administrativo)."

    def handle(self, *args, **options):
        self.stdout = _TranslatingOutput(self.stdout)
        self.stderr = _TranslatingOutput(self.stderr)
        # Django's module calls ``getpass.getpass()`` and ``input()``: give it translated ones
        # for the duration of this command only.
        django_command.getpass = _TranslatingGetpass
        django_command.input = _translating_input
        try:
            return super().handle(*args, **options)
        except CommandError as error:
            raise CommandError(translate(str(error))) from error
        finally:
            django_command.getpass = getpass_module
            del django_command.input

    def _get_input_message(self, field, default=None):
        if field.remote_field:  # not among our user's fields; Django's wording then
            return super()._get_input_message(field, default)
        message = str(capfirst(field.verbose_name))
        if default:
            message += " " + _("(deixe em branco para usar '%(default)s')") % {"default": default}
        return f"{message}: "
