"""Building blocks for realistic Brazilian demo data (``manage.py seed_demo``), fast and
deterministic.

Each domain generates its own demo rows in a private module; what they share lives here: the
seeded random streams, deterministic UUIDs, unique-number permutations and a small Brazilian
vocabulary (names, cities with their UF, CEP range and DDD, streets). It is plain Python built
for speed (a million rows in seconds): a library like Faker costs tens of microseconds per
value, far too slow here.

Determinism: every generator takes a ``random.Random`` from ``demo_random(seed, ...)``, so the
same seed gives the same rows on any machine and Python version (``random.Random`` seeded with
a string is stable across versions).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import unicodedata
import uuid
from bisect import bisect
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")

#: Rows per generated chunk: one random stream and one ``COPY`` each. Part of the determinism
#: contract (changing it changes the rows a seed gives).
CHUNK = 20_000

#: How far back demo history reaches (customers, interactions and ledger entries).
HISTORY_DAYS = 730


def in_workers(
    function: Callable[..., T], arguments: Sequence[tuple], *, workers: int | None = None
) -> Iterator[T]:
    """``function(*arguments[i])`` for each ``i``, in order, computed ahead by forked worker
    processes (at most two chunks in flight per worker, so memory stays bounded).

    Generating millions of rows is CPU-bound Python: workers let the main process do nothing
    but stream finished chunks to the database, and use every core. ``function`` must be a
    module-level function of plain arguments that touches no database connection (the workers
    share the parent's). One worker, one chunk, or no ``fork`` (not Linux): in-process.
    """
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(arguments) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for args in arguments:
            yield function(*args)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque = deque()
        queued = iter(arguments)
        for args in queued:
            pending.append(pool.submit(function, *args))
            if len(pending) >= 2 * workers:
                break
        while pending:
            result = pending.popleft().result()
            for args in queued:
                pending.append(pool.submit(function, *args))
                break
            yield result


def demo_random(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream for one table and chunk."""
    # Demo data, not secrets: a reproducible generator is the point.
    return random.Random(":".join(str(part) for part in (seed, *parts)))  # noqa: S311


def demo_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng`` (reproducible, unlike ``uuid.uuid4``)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# ``random.Random.choice``/``randrange`` are exact but slow (rejection sampling, several calls
# each); for demo data one ``random()`` scaled is uniform enough and several times faster.
def pick(rng: random.Random, items: Sequence[T]) -> T:
    """A uniformly chosen item of ``items``."""
    return items[int(rng.random() * len(items))]


def below(rng: random.Random, stop: int, start: int = 0) -> int:
    """An integer in ``[start, stop)``."""
    return start + int(rng.random() * (stop - start))


def permuted(index: int, *, modulus: int, multiplier: int, offset: int) -> int:
    """A bijection of ``range(modulus)`` (``multiplier`` coprime with ``modulus``): distinct
    indexes give distinct, random-looking numbers, so unique values need no bookkeeping."""
    return (index * multiplier + offset) % modulus


def history_start(end_date: dt.date) -> dt.datetime:
    """Midnight UTC ``HISTORY_DAYS`` before ``end_date``: the beginning of demo history."""
    return dt.datetime.combine(end_date - dt.timedelta(days=HISTORY_DAYS), dt.time(), tzinfo=dt.UTC)


def history_end(end_date: dt.date) -> dt.datetime:
    """Midnight UTC after ``end_date``: nothing in demo history happens at or after it."""
    return dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def moment_between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in ``[start, end)`` to the second (``start`` when the range is empty)."""
    seconds = int((end - start).total_seconds())
    if seconds <= 0:
        return start
    return start + dt.timedelta(seconds=int(rng.random() * seconds))


@lru_cache(maxsize=4096)
def ascii_slug(text: str, separator: str = ".") -> str:
    """``"João da Silva"`` -> ``"joao.da.silva"`` (for e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return separator.join(part for part in plain.lower().replace("&", " ").split() if part)


class WeightedChoice:
    """``rng.choices`` for one item, precomputed: picks from ``items`` by ``weights``."""

    def __init__(self, items: list, weights: list[float]):
        self.items = items
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


FEMALE_NAMES = (
    "Ana", "Maria", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda",
    "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia",
    "Júlia", "Luciana", "Vanessa", "Mariana", "Gabriela", "Beatriz", "Larissa", "Renata",
    "Cláudia", "Débora", "Simone", "Tatiane", "Priscila", "Carolina", "Isabela", "Helena",
    "Luiza", "Valentina", "Alice", "Laura", "Manuela", "Sophia", "Lívia", "Rafaela",
)  # fmt: skip
MALE_NAMES = (
    "José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luiz",
    "Marcos", "Luís", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo",
    "Felipe", "Raimundo", "Rodrigo", "Manoel", "Mateus", "André", "Fernando", "Fábio",
    "Leonardo", "Gustavo", "Guilherme", "Leandro", "Tiago", "Anderson", "Ricardo",
    "Márcio", "Jorge", "Sebastião", "Alexandre", "Roberto", "Diego", "Vinícius", "Thiago",
    "Sérgio", "Henrique", "Otávio", "Arthur", "Heitor", "Bernardo", "Davi", "Samuel",
    "Enzo", "Miguel", "Caio", "Igor", "Renan", "Wellington", "Cristiano", "Murilo",
)  # fmt: skip

SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
    "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
    "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade",
    "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos",
    "Gonçalves", "Santana", "Teixeira", "Araújo", "Pinto", "Correia", "Cavalcanti", "Monteiro",
    "Moura", "Batista", "Campos", "Rezende", "Barros", "Castro", "Farias", "Pires",
    "Azevedo", "Duarte", "Borges", "Siqueira", "Queiroz", "Xavier", "Miranda", "Tavares",
    "Brandão", "Fonseca", "Guimarães", "Coelho", "Bezerra", "Sampaio", "Peixoto", "Leite",
    "Medeiros", "Macedo", "Aguiar", "Bastos", "Vasconcelos", "Prado", "Toledo", "Amaral",
)  # fmt: skip

NAME_PARTICLES = ("", "", "", "", "de ")

#: Company name parts: "<Surname> <activity> <suffix>" or "<fantasy> <activity> <suffix>".
COMPANY_ACTIVITIES = (
    "Comércio de Alimentos", "Materiais de Construção", "Auto Peças", "Consultoria",
    "Tecnologia", "Transportes", "Serviços Contábeis", "Engenharia", "Distribuidora",
    "Móveis", "Confecções", "Farmácia", "Padaria", "Restaurante", "Clínica Odontológica",
    "Academia", "Papelaria", "Informática", "Agropecuária", "Imobiliária", "Eventos",
    "Logística", "Marketing Digital", "Pet Shop", "Ótica", "Calçados", "Supermercado",
)  # fmt: skip
COMPANY_FANTASY = (
    "Boa Vista", "Estrela", "Horizonte", "Primavera", "Nova Era", "Aliança", "Progresso",
    "Bom Jesus", "São Jorge", "Santa Clara", "Líder", "Real", "Central", "Paulista",
    "Mineira", "Gaúcha", "Nordeste", "Atlântico", "Cristal", "Sol Nascente", "Vitória",
)  # fmt: skip
COMPANY_SUFFIXES = ("Ltda", "Ltda", "Ltda", "ME", "EIRELI", "S.A.", "EPP")

STREET_TYPES = ("Rua", "Rua", "Rua", "Avenida", "Avenida", "Travessa", "Alameda", "Praça")
STREET_NAMES = (
    "das Flores", "Sete de Setembro", "Quinze de Novembro", "Tiradentes", "São João",
    "Brasil", "Getúlio Vargas", "Santos Dumont", "Rui Barbosa", "Marechal Deodoro",
    "Dom Pedro II", "Barão do Rio Branco", "José Bonifácio", "Duque de Caxias",
    "Castro Alves", "Paraná", "Bahia", "Amazonas", "das Palmeiras", "dos Andradas",
    "Presidente Vargas", "Independência", "Boa Vista", "da Liberdade", "XV de Agosto",
    "Frei Caneca", "Princesa Isabel", "Joaquim Nabuco", "Monteiro Lobato", "Carlos Gomes",
)  # fmt: skip
ADDRESS_COMPLEMENTS = ("", "", "", "", " - apto {n}", " - casa {n}", " - sala {n}", " - bloco B")

EMAIL_PROVIDERS = WeightedChoice(
    ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "bol.com.br",
     "terra.com.br", "icloud.com"],
    [45, 18, 10, 8, 6, 5, 4, 4],
)  # fmt: skip

#: (city, UF, first CEP, last CEP, DDD, weight ~ population in 100k).
CITIES = (
    ("São Paulo", "SP", 1000000, 5999999, 11, 123),
    ("Guarulhos", "SP", 7000000, 7399999, 11, 14),
    ("Campinas", "SP", 13000000, 13139999, 19, 12),
    ("Santos", "SP", 11000000, 11099999, 13, 4),
    ("Ribeirão Preto", "SP", 14000000, 14114999, 16, 7),
    ("Sorocaba", "SP", 18000000, 18109999, 15, 7),
    ("Rio de Janeiro", "RJ", 20000000, 23799999, 21, 67),
    ("Niterói", "RJ", 24000000, 24399999, 21, 5),
    ("Duque de Caxias", "RJ", 25000000, 25299999, 21, 9),
    ("Belo Horizonte", "MG", 30000000, 31999999, 31, 25),
    ("Uberlândia", "MG", 38400000, 38415999, 34, 7),
    ("Contagem", "MG", 32000000, 32399999, 31, 7),
    ("Juiz de Fora", "MG", 36000000, 36099999, 32, 6),
    ("Vitória", "ES", 29000000, 29099999, 27, 4),
    ("Vila Velha", "ES", 29100000, 29129999, 27, 5),
    ("Curitiba", "PR", 80000000, 82999999, 41, 19),
    ("Londrina", "PR", 86000000, 86099999, 43, 6),
    ("Maringá", "PR", 87000000, 87099999, 44, 4),
    ("Porto Alegre", "RS", 90000000, 91999999, 51, 15),
    ("Caxias do Sul", "RS", 95000000, 95124999, 54, 5),
    ("Pelotas", "RS", 96000000, 96099999, 53, 3),
    ("Florianópolis", "SC", 88000000, 88099999, 48, 5),
    ("Joinville", "SC", 89200000, 89239999, 47, 6),
    ("Blumenau", "SC", 89000000, 89099999, 47, 4),
    ("Salvador", "BA", 40000000, 42599999, 71, 24),
    ("Feira de Santana", "BA", 44000000, 44099999, 75, 6),
    ("Recife", "PE", 50000000, 52999999, 81, 15),
    ("Jaboatão dos Guararapes", "PE", 54000000, 54499999, 81, 7),
    ("Fortaleza", "CE", 60000000, 61599999, 85, 24),
    ("São Luís", "MA", 65000000, 65109999, 98, 10),
    ("Teresina", "PI", 64000000, 64099999, 86, 9),
    ("Natal", "RN", 59000000, 59139999, 84, 8),
    ("João Pessoa", "PB", 58000000, 58099999, 83, 8),
    ("Maceió", "AL", 57000000, 57099999, 82, 10),
    ("Aracaju", "SE", 49000000, 49098999, 79, 6),
    ("Belém", "PA", 66000000, 66999999, 91, 13),
    ("Manaus", "AM", 69000000, 69099999, 92, 21),
    ("Macapá", "AP", 68900000, 68914999, 96, 4),
    ("Boa Vista", "RR", 69300000, 69339999, 95, 4),
    ("Rio Branco", "AC", 69900000, 69923999, 68, 4),
    ("Porto Velho", "RO", 76800000, 76834999, 69, 5),
    ("Palmas", "TO", 77000000, 77249999, 63, 3),
    ("Goiânia", "GO", 74000000, 74899999, 62, 15),
    ("Anápolis", "GO", 75000000, 75159999, 62, 4),
    ("Brasília", "DF", 70000000, 72799999, 61, 28),
    ("Cuiabá", "MT", 78000000, 78109999, 65, 6),
    ("Campo Grande", "MS", 79000000, 79129999, 67, 9),
)  # fmt: skip
CITY_CHOICE = WeightedChoice(list(CITIES), [city[5] for city in CITIES])


def person_name(rng: random.Random) -> tuple[str, str, str]:
    """``(full name, first name, last surname)``, e.g. ``("Ana Paula de Souza Lima", ...)``."""
    names = FEMALE_NAMES if rng.random() < 0.5 else MALE_NAMES
    first = pick(rng, names)
    full_first = f"{first} {pick(rng, names)}" if rng.random() < 0.2 else first
    middle = pick(rng, SURNAMES)
    last = pick(rng, SURNAMES)
    return f"{full_first} {pick(rng, NAME_PARTICLES)}{middle} {last}", first, last


def company_name(rng: random.Random) -> str:
    """e.g. ``"Ferreira Materiais de Construção Ltda"``, ``"Estrela Pet Shop ME"``."""
    head = pick(rng, SURNAMES) if rng.random() < 0.6 else pick(rng, COMPANY_FANTASY)
    return f"{head} {pick(rng, COMPANY_ACTIVITIES)} {pick(rng, COMPANY_SUFFIXES)}"


def street_address(rng: random.Random) -> str:
    """e.g. ``"Rua Sete de Setembro, 1432 - apto 52"``."""
    complement = pick(rng, ADDRESS_COMPLEMENTS)
    if complement:
        complement = complement.format(n=below(rng, 300, 1))
    street = f"{pick(rng, STREET_TYPES)} {pick(rng, STREET_NAMES)}"
    return f"{street}, {below(rng, 4000, 1)}{complement}"


def zip_code(number: int) -> str:
    """``1310100`` -> ``"01310-100"`` (the ``00000-000`` form the customers domain stores)."""
    text = f"{number:08d}"
    return f"{text[:5]}-{text[5:]}"


def phone(rng: random.Random, ddd: int) -> str:
    """A mobile ``"(11) 98765-4321"`` (70%) or landline ``"(11) 3456-7890"`` number."""
    if rng.random() < 0.7:
        return f"({ddd}) 9{below(rng, 10000, 6000)}-{below(rng, 10000):04d}"
    return f"({ddd}) {below(rng, 6000, 2000)}-{below(rng, 10000):04d}"
