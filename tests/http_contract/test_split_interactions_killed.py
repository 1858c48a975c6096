"""Against ``make split``: the interactions processes are killed (SIGKILL, no goodbye) while
customers are being hard-deleted, and every deleted customer's interactions are cleaned up once
they are back. No event is lost, none removes anything it should not.

The stream of hard deletes goes through the edge as a client would send it, in three stretches:

1. everything up;
2. the interactions *consumer* killed right after the first stretch (its events still in
   flight) and kept down: the customers process still answers (the guard asks the interactions
   web process), the ``customer.hard_deleted`` events wait in the broker;
3. the interactions *web process* and relay killed too: the guard cannot be asked, so a hard
   delete is refused (503, nothing deleted) rather than done blind; the client retries once the
   domain is back.

The launcher (``make split``) restarts a process that dies; the test holds the killed ones down
through the launcher's control endpoint, then starts them again.
"""

from __future__ import annotations

import os
import signal

import httpx

from .client import expect, expect_error
from .split import control, only_against_split, processes_of, rows_holding, wait_until

pytestmark = only_against_split

PER_STRETCH = 6
CLEAN_UP_SECONDS = 90


def interactions_left(interaction_ids: list[str]) -> int:
    found = rows_holding("cd_interaction", interaction_ids, table_with="ds_notes")
    return sum(found["interactions"].values())


def kill(name: str, process: dict) -> None:
    """SIGKILL the process group (gunicorn's master and its workers die together), then tell
    the launcher to keep it stopped until we start it."""
    assert process.get("pid"), f"{name} is not running: {process}"
    os.killpg(process["pid"], signal.SIGKILL)
    control("stop", name)


def test_interactions_killed_mid_stream_of_hard_deletes_loses_no_clean_up(
    api: httpx.Client, make_customer
):
    processes = processes_of("interactions")
    consumers = [name for name, process in processes.items() if process.get("kind") == "consumer"]
    web = [name for name, process in processes.items() if process.get("kind") == "web"]
    others = [name for name in processes if name not in consumers + web]
    assert consumers and web, (
        "make split runs no interactions web/consumer process of its own (the test needs the "
        f"default SPLIT_PROCESSES, one process per domain): {processes}"
    )

    def customer_with_interactions() -> tuple[str, list[str]]:
        customer_id = make_customer()["cd_customer"]
        path = f"/api/customers/{customer_id}/interactions"
        ids = [
            expect(
                api.post(
                    path,
                    json={
                        "ds_notes": f"Contato {n} antes da exclusão",
                        "id_interaction_type": "contato",
                    },
                ),
                201,
            )["interaction"]["cd_interaction"]
            for n in range(2)
        ]
        return customer_id, ids

    stretches = [[customer_with_interactions() for _ in range(PER_STRETCH)] for _ in range(3)]
    bystander, bystander_interactions = customer_with_interactions()
    deleted_interactions = [i for stretch in stretches for _, ids in stretch for i in ids]
    assert interactions_left(deleted_interactions) == 3 * PER_STRETCH * 2

    def hard_delete(customer_id: str) -> httpx.Response:
        return api.delete(f"/api/customers/{customer_id}", params={"hard_delete": "true"})

    try:
        # 1. Everything up.
        for customer_id, _ in stretches[0]:
            expect(hard_delete(customer_id), 200)

        # 2. The consumer dies while the first stretch's events are on their way to it.
        for name in consumers:
            kill(name, processes[name])
        for customer_id, _ in stretches[1]:
            expect(hard_delete(customer_id), 200)
            expect_error(api.get(f"/api/customers/{customer_id}"), 404)
        second_stretch = [i for _, ids in stretches[1] for i in ids]
        # Nobody consumes: the second stretch's interactions are still there.
        assert interactions_left(second_stretch) == len(second_stretch)

        # 3. The web process (and relay) die too: the guard cannot be asked.
        for name in web + others:
            kill(name, processes_of("interactions")[name])
        refused = []
        for customer_id, _ in stretches[2]:
            response = hard_delete(customer_id)
            expect_error(response, 503)
            refused.append(customer_id)
            # Refused means nothing happened: the customer is still there.
            expect(api.get(f"/api/customers/{customer_id}"), 200)
    finally:
        for name in web + others + consumers:
            control("start", name)

    # Back: the client retries what was refused.
    for customer_id in refused:
        expect(hard_delete(customer_id), 200)

    wait_until(
        lambda: interactions_left(deleted_interactions) == 0,
        timeout=CLEAN_UP_SECONDS,
        what="every hard-deleted customer's interactions removed from crm_interactions",
    )
    # Nothing more was removed: the customer nobody deleted keeps its timeline.
    timeline = expect(api.get(f"/api/customers/{bystander}/interactions"), 200)
    assert sorted(item["cd_interaction"] for item in timeline["interactions"]) == sorted(
        bystander_interactions
    )
