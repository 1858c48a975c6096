"""README's API examples, run to the letter: the ```bash blocks of its "## API" section, in order,
in one bash shell, against a live server started as `make run` starts it (migrate, then
runserver; SQLite files in a fresh data folder, or a scratch PostgreSQL database when the suite
runs on PostgreSQL).

The README's convention (stated in its API section): every `curl` command ends with a comment
whose first word is the HTTP status it answers (`# 201 ...`). Each curl's status is recorded by a
shell function standing in for `curl` (the real curl runs, its body still goes to the command's
output, so `$(curl ... | jget ...)` captures work as written), and compared with that comment.
A curl with no stated status, a status that differs, a curl that never ran or a command that
fails (a `jget` on an error body, say) fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from tests import services

from .sandbox import PROJECT_ROOT, ScratchDatabase, copy_source, describe, manage, process_env
from .test_container_start import call, free_port

README = PROJECT_ROOT / "README.md"
DOCUMENTED_BASE = "http://127.0.0.1:8000"  # README's `API=...`; replaced by the live server's
STATUS_COMMENT = re.compile(r"^#\s*(\d{3})\b")

# Stands in for curl: the real one writes the body to a file and its status to stdout; the
# caller's line (bash's BASH_LINENO) and the status go to a log, the body to the caller.
CURL_RECORDER = r"""
set -eo pipefail
curl() {
  local body status code=0 argument saves=0
  body=$(mktemp)
  for argument in "$@"; do
    case "$argument" in -o | --output | --output=*) saves=1 ;; esac
  done
  if [ "$saves" = 1 ]; then  # the command saves the body itself (`-o file`)
    status=$(command curl --write-out '%{http_code}' "$@") || code=$?
  else
    status=$(command curl --output "$body" --write-out '%{http_code}' "$@") || code=$?
  fi
  printf '%s %s\n' "${BASH_LINENO[0]}" "${status:-000}" >> "$README_STATUS_LOG"
  cp "$body" "$README_STATUS_LOG.$(wc -l < "$README_STATUS_LOG" | tr -d ' ')"
  cat "$body"
  rm -f "$body"
  return "$code"
}
"""


@dataclass(frozen=True)
class Curl:
    first_line: int  # 1-based line numbers in README.md
    last_line: int
    text: str
    expected: int | None


def api_section() -> tuple[int, list[str]]:
    """(line number of the section's first line, its lines) of README's "## API" section."""
    lines = README.read_text().splitlines()
    start = lines.index("## API")
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines))
    return start + 1, lines[start:end]


def bash_blocks() -> list[tuple[int, list[str]]]:
    """Each ```bash block of the API section: (README line number of its first line, lines)."""
    first, lines = api_section()
    blocks, current, start = [], None, 0
    for offset, line in enumerate(lines):
        if current is None and line.strip() == "```bash":
            current, start = [], first + offset + 1
        elif current is not None and line.strip() == "```":
            blocks.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    assert current is None, "an unclosed ```bash block in README's API section"
    return blocks


def split_comment(line: str, quote: str | None) -> tuple[str | None, str | None]:
    """Scan one line of shell: (the quote still open at its end, the trailing comment)."""
    index = 0
    while index < len(line):
        char = line[index]
        if quote == "'":
            if char == "'":
                quote = None
        elif quote == '"':
            if char == "\\":
                index += 1
            elif char == '"':
                quote = None
        elif char == "\\":
            index += 1
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return None, line[index:]
        index += 1
    return quote, None


def curl_commands() -> list[Curl]:
    """Every command of the API section's bash blocks that calls curl, with its stated status
    (the comment closing its last line)."""
    found = []
    for start, lines in bash_blocks():
        index = 0
        while index < len(lines):
            quote, comment = split_comment(lines[index], None)
            code = lines[index].split("#", 1)[0] if comment is not None else lines[index]
            if not re.search(r"(^|[\s($|])curl\s", code):
                index += 1
                continue
            first = index
            # The command goes on while a quote is open or the line ends with a backslash.
            while quote is not None or (comment is None and lines[index].rstrip().endswith("\\")):
                index += 1
                quote, comment = split_comment(lines[index], quote)
            status = STATUS_COMMENT.match(comment or "")
            found.append(
                Curl(
                    first_line=start + first,
                    last_line=start + index,
                    text="\n".join(lines[first : index + 1]),
                    expected=int(status.group(1)) if status else None,
                )
            )
            index += 1
    return found


def script_and_line_map() -> tuple[str, dict[int, int]]:
    """The blocks joined into one script after the recorder; script line -> README line."""
    script = CURL_RECORDER.strip("\n").splitlines()
    readme_line = {}
    for start, lines in bash_blocks():
        for offset, line in enumerate(lines):
            script.append(line)
            readme_line[len(script)] = start + offset
    return "\n".join(script) + "\n", readme_line


def test_every_curl_in_the_readme_states_the_status_it_answers():
    commands = curl_commands()

    assert len(commands) >= 20, "README's API section lost its examples?"
    unstated = [f"README.md:{c.first_line}: {c.text}" for c in commands if c.expected is None]
    assert not unstated, "curl commands without a `# <status>` comment:\n" + "\n".join(unstated)


@pytest.fixture(scope="module")
def database_url():
    if os.environ.get("DATABASE_URL"):
        with ScratchDatabase(prefix="crm_readme") as database:
            yield database.url
    else:
        yield ""  # SQLite files under the server's fresh CRM_DATA_DIR


@pytest.fixture(scope="module")
def readme_server(tmp_path_factory, database_url):
    """The app as `make run` serves it: every domain migrated, then Django's runserver."""
    tmp = tmp_path_factory.mktemp("readme")
    root = copy_source(tmp / "app")
    shutil.copytree(PROJECT_ROOT / "locale", root / "locale")
    env = process_env(
        root,
        tmp / "var",
        DEBUG="true",
        SECRET_KEY="readme-test-secret-0123456789abcdef0123456789",
        JWT_SECRET_KEY="readme-test-jwt-key-0123456789abcdef012345678",
        # Anyone may register, and as a manager: README's user creates and deletes records.
        CRM_REGISTRATION="open",
        CRM_REGISTRATION_ROLE="manager",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    migrated = manage("migrate", root=root, env=env, timeout=300)
    assert migrated.returncode == 0, describe(migrated)

    port = free_port()
    log = (tmp / "server.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                call(base, "GET", "/health")
                break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the server did not come up:\n{log.read()}")
            time.sleep(0.3)
        yield base, tmp
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # runserver, started here
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.mark.needs(*services.postgres_when_database_url())
def test_the_readme_examples_run_in_order_and_answer_the_stated_statuses(readme_server):
    base, tmp = readme_server
    script, readme_line = script_and_line_map()
    assert f"API={DOCUMENTED_BASE}" in script, "README's examples no longer set API=..."
    script = script.replace(DOCUMENTED_BASE, base)
    status_log = tmp / "statuses.log"
    (tmp / "examples.sh").write_text(script)

    result = subprocess.run(
        ["bash", str(tmp / "examples.sh")],
        cwd=tmp,
        env={**os.environ, "README_STATUS_LOG": str(status_log)},
        capture_output=True,
        encoding="utf-8",
        errors="replace",  # an example may print a binary body
        timeout=300,
        check=False,
    )

    commands = curl_commands()
    calls = (
        [line.split() for line in status_log.read_text().splitlines()]
        if (status_log.exists())
        else []
    )
    report, ran = [], []
    for number, (script_line, status) in enumerate(calls, start=1):
        line = readme_line.get(int(script_line))
        (command,) = [c for c in commands if line and c.first_line <= line <= c.last_line] or [None]
        body = (tmp / f"statuses.log.{number}").read_text(errors="replace")[:500]
        if command is None:
            report.append(f"a curl at script line {script_line} is not one of README's: {body}")
            continue
        ran.append(command)
        if int(status) != command.expected:
            report.append(
                f"README.md:{command.first_line}: expected {command.expected}, got {status}\n"
                f"{command.text}\n-> {body}"
            )
    assert result.returncode == 0, "\n\n".join([describe(result), *report])
    assert not report, "\n\n".join(report)
    assert ran == commands, "these README curls never ran:\n" + "\n".join(
        f"README.md:{c.first_line}: {c.text}" for c in commands if c not in ran
    )
