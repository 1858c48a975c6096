"""The split topology on one machine (``make split``): every domain in its own gunicorn process
and its own PostgreSQL database, their outbox relays and event consumers, and an nginx edge on
``SPLIT_PORT`` that routes the public paths to the owning process.

``python -m config.split`` runs it in the foreground (README "Split topology",
docs/splitting.md). The launcher itself loads no Django settings: it plans the processes
(:mod:`.plan`), renders the edge's configuration (:mod:`.edge`), supervises the processes
(:mod:`.supervisor`) and answers the edge's ``/health`` with the state of each one
(:mod:`.health`).
"""
