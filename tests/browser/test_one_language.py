"""One language per page, in a real browser (issue #11): staff browse the admin and the
browsable API in Portuguese (the default) and in English (``Accept-Language: en``); every page
is screenshot (artifacts/screenshots/) and no word of the other language shows.

What is checked is what a person reads: visible text, plus the tooltips, placeholders, button
captions and accessibility labels. Left out on purpose: the JSON the browsable API shows (field
names such as ``ds_customer_name`` are the contract, not language) and the rows' own data.

A second test opens every changelist at 1366 px (a common laptop) and checks that no column is
pushed out of the screen (issue #11: "Criado em" was cut at 1400 px).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.apps import apps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("chromium"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

STAFF_EMAIL = "equipe@example.com"
STAFF_PASSWORD = "s3nha-Forte-2026"

#: Distinctive words of each language (case-sensitive, whole words). Shared words, protocol
#: names (GET, POST, JSON), acronyms (CPF/CNPJ, E-mail) and brand names are not listed.
ENGLISH_WORDS = [
    "Log in",
    "Log out",
    "Password",
    "Submit",
    "Delete",
    "Cancel",
    "Filters",
    "Filter",
    "Raw data",
    "HTML form",
    "Media type",
    "Content",
    "Token Blacklist",
    "Outstanding",
    "Blacklisted",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Created at",
    "Expires at",
    "created at",
    "expires at",
    "Customers",
    "Customer",
    "Products",
    "Product",
    "List",
    "Create",
    "Name",
    "Price",
    "Active",
    "Save",
    "Search",
    "History",
    "Home",
    "Welcome",
    "View site",
    "Change",
    "Add",
    "Select",
    "Action",
    "Yes",
    "Description",
    "Make a",
    "resource",
    "Extra Actions",
    "Django REST framework",
    "Ds customer",
    "Vr price",
    "Is active",
    "Interactions",
    "Ledger",
    "Balance",
    "Cash flow",
    "Transactions",
    "City",
    "Phone",
    "Address",
    "Country",
    "Users",
    "Groups",
    "Notes",
    "Author",
    "Amount",
    "Type",
]
PORTUGUESE_WORDS = [
    "Sair",
    "Entrar",
    "Senha",
    "Salvar",
    "Adicionar",
    "Modificar",
    "Pesquisar",
    "Filtro",
    "Filtros",
    "Formulário",
    "Dados brutos",
    "Conteúdo",
    "Lançamentos",
    "Lançamento",
    "Interações",
    "Interação",
    "Saldo",
    "Entradas",
    "Saídas",
    "Criado em",
    "criado em",
    "Sim",
    "Não",
    "Tipo",
    "Descrição",
    "Cidade",
    "Telefone",
    "Endereço",
    "Revogação",
    "Pode",
    "Fluxo de caixa",
    "Início",
    "Ação",
    "selecionados",
    "Bem-vindo",
    "Clientes",
    "Cliente",
    "Produtos",
    "Nome",
    "Preço",
    "Ativo",
    "Excluir",
    "Cancelar",
    "Usuários",
    "usuário",
    "Grupos",
    "Registrar",
    "estorno",
    "Anotações",
    "Autor",
    "Valor",
    "identificador",
    "Faz uma",
    "recurso",
    "emitidos",
    "revogados",
]

#: Everything a person reads on the page, minus the API's JSON and the rows' own data.
READABLE_TEXT = """() => {
  const skip = '.response-info, .request-info, script, style, textarea, #result_list tbody,'
    + ' .crm-activity-interactions tbody, .readonly, select[name=_content_type], .format-option';
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }
  for (const element of document.querySelectorAll(
      '[title], [placeholder], [aria-label], input[type=submit], input[type=button]')) {
    if (element.closest(skip)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'value']) {
      if (element.hasAttribute(name) && (name !== 'value' || element.type === 'submit'
          || element.type === 'button')) parts.push(element.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""


def _found(words: list[str], text: str) -> list[str]:
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )


@pytest.fixture
def rows(staff) -> dict[str, str]:
    """One row of everything, with neutral data (names, not words of either language)."""
    customer = apps.get_model("customers", "Customer").objects.create(
        ds_customer_name="ACME Ltda",
        ds_customer_email="financeiro.longo.demais@acme-industria-e-comercio.com.br",
        ds_customer_cpf_cnpj="11222333000181",
        ds_customer_phone="11987654321",
        ds_customer_zip_code="01310-100",
        ds_customer_city="São Paulo",
        ds_customer_state="SP",
    )
    product = apps.get_model("products", "Product").objects.create(
        ds_product_name="Widget X-200", vr_price=Decimal("1250.90")
    )
    interaction = apps.get_model("interactions", "Interaction").objects.create(
        cd_customer=customer.pk,
        cd_user=staff.pk,
        ds_notes="Ticket 42 ok",
        id_interaction_type="email",
    )
    transaction = apps.get_model("interactions", "Transaction").objects.create(
        cd_customer=customer.pk,
        cd_user=staff.pk,
        vr_transaction=Decimal("1250.90"),
        id_transaction_type=1,
        ds_transaction="NF 1234",
    )
    # A reversal: its "estorno de" column holds an id, the widest value of that list.
    apps.get_model("interactions", "Transaction").objects.create(
        cd_customer=customer.pk,
        cd_user=staff.pk,
        vr_transaction=Decimal("1250.90"),
        id_transaction_type=2,
        reversal_of=transaction,
    )
    return {
        "customer": str(customer.pk),
        "product": str(product.pk),
        "interaction": str(interaction.pk),
        "transaction": str(transaction.pk),
        "user": str(staff.pk),
    }


ADMIN_PAGES = [
    "/admin/",
    "/admin/customers/customer/",
    "/admin/customers/customer/add/",
    "/admin/customers/customer/{customer}/change/",
    "/admin/products/product/",
    "/admin/products/product/{product}/change/",
    "/admin/interactions/interaction/",
    "/admin/interactions/transaction/",
    "/admin/interactions/transaction/{transaction}/change/",
    "/admin/accounts/user/",
    "/admin/accounts/user/{user}/change/",
    "/admin/auth/group/add/",
    "/admin/token_blacklist/outstandingtoken/",
    "/admin/token_blacklist/blacklistedtoken/",
]
API_PAGES = [
    "/api/customers/",
    "/api/customers/{customer}",
    "/api/products/",
    "/api/products/{product}",
    "/api/customers/{customer}/interactions",
    "/api/customers/{customer}/interactions/{interaction}",
    "/api/customers/{customer}/transactions",
    "/api/customers/{customer}/transactions/{transaction}",
    "/api/customers/{customer}/balance",
    "/api/transactions/summary",
    "/auth/me",
    "/auth/register",  # GET is a 405 page, with the form to POST
]
#: browser locale -> (its own words, the other language's words)
LANGUAGES = {
    "pt-BR": (PORTUGUESE_WORDS, ENGLISH_WORDS),
    "en-US": (ENGLISH_WORDS, PORTUGUESE_WORDS),
}


@pytest.mark.parametrize("browser_locale", list(LANGUAGES))
def test_admin_and_browsable_api_speak_one_language(
    page, live_server, rows, browser_locale, admin_login, screenshot
):
    own_language, other_language = LANGUAGES[browser_locale]
    mixed: dict[str, list[str]] = {}
    silent: list[str] = []  # pages where the harvest found none of their own words

    def read(path: str, step: str) -> None:
        screenshot(page, step)
        text = page.evaluate(READABLE_TEXT)
        if found := _found(other_language, text):
            mixed[path] = found
        if not _found(own_language, text):
            silent.append(path)

    # The login pages first (anonymous), then every page as logged-in staff.
    for path in ("/admin/login/", "/api-auth/login/"):
        page.goto(f"{live_server.url}{path}")
        read(path, path.strip("/").replace("/", "_"))
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    for template in ADMIN_PAGES + API_PAGES:
        path = template.format(**rows)
        response = page.goto(f"{live_server.url}{path}")
        # Closed registration (the default with DEBUG off) refuses even a staff session: the
        # refusal page is read for its language like the others.
        allowed = {200, 403, 405} if path.startswith("/auth/register") else {200, 405}
        assert response.status in allowed, path
        read(path, re.sub(r"[^a-z_]+", "_", template.strip("/")).strip("_"))

    assert mixed == {}
    assert silent == []


@pytest.mark.parametrize("browser_locale", list(LANGUAGES))
def test_the_product_form_of_the_browsable_api_creates_an_active_product(
    page, live_server, rows, browser_locale, admin_login, screenshot
):
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    page.goto(f"{live_server.url}/api/products/")

    page.fill("#post-object-form input[name=ds_product_name]", f"Produto {uuid.uuid4().hex[:6]}")
    page.fill("#post-object-form input[name=vr_price]", "10.50")
    page.click("#post-object-form button")
    page.wait_for_selector(".response-info")
    screenshot(page, "created")

    assert "HTTP 201" in page.inner_text(".response-info")
    assert '"is_active": true' in page.inner_text(".response-info")


CHANGELISTS = [
    "/admin/customers/customer/",
    "/admin/products/product/",
    "/admin/interactions/interaction/",
    "/admin/interactions/transaction/",
    "/admin/accounts/user/",
]


@pytest.mark.parametrize("browser_locale", list(LANGUAGES))
def test_every_changelist_fits_a_1366_px_screen(
    page, live_server, rows, browser_locale, admin_login, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 768})
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    overflowing = {}

    for path in CHANGELISTS:
        page.goto(f"{live_server.url}{path}")
        screenshot(page, "1366_" + path.strip("/").split("/")[-1])
        widths = page.evaluate(
            """() => {
                const results = document.querySelector('#changelist .results');
                return {
                    page: document.documentElement.scrollWidth,
                    screen: window.innerWidth,
                    table: results.scrollWidth,
                    visible: results.clientWidth,
                };
            }"""
        )
        # The admin scrolls a too-wide table inside its box: a column past the box is cut.
        if widths["page"] > widths["screen"] or widths["table"] > widths["visible"]:
            overflowing[path] = widths

    assert overflowing == {}
