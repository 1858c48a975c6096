"""Staff log in to Django admin in a real browser; the admin speaks the browser's language."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("chromium"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

STAFF_EMAIL = "equipe@example.com"
STAFF_PASSWORD = "s3nha-Forte-2026"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )


def test_staff_logs_in_to_admin_and_static_css_is_served(page, live_server, staff, screenshot):
    # given: the admin login page, with every stylesheet answer recorded
    stylesheets = {}
    page.on(
        "response",
        lambda response: (
            stylesheets.__setitem__(response.url, response)
            if response.request.resource_type == "stylesheet"
            else None
        ),
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    screenshot(page, "login")

    # when: the staff user submits the login form
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # then: the admin index greets them, styled by the admin's own CSS served by the app
    assert page.locator("#user-tools").inner_text().upper().startswith("BEM-VINDO(A),")
    assert "Equipe CRM".upper() in page.locator("#user-tools").inner_text().upper()
    assert page.locator("#site-name").inner_text() == "Administração do Django"
    assert page.locator("a[href='/admin/customers/customer/']").first.inner_text() == "Clientes"
    base_css = stylesheets[f"{live_server.url}/static/admin/css/base.css"]
    assert base_css.status == 200
    assert base_css.header_value("content-type").startswith("text/css")
    assert all(response.status == 200 for response in stylesheets.values())
    # The stylesheet is applied, not only downloaded: the header bar has the admin's colour.
    header_background = page.eval_on_selector(
        "#header", "element => getComputedStyle(element).backgroundColor"
    )
    assert header_background not in {"rgba(0, 0, 0, 0)", "transparent"}


def test_wrong_password_is_refused_with_a_portuguese_message(page, live_server, staff):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")

    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", "senha-errada-123")
    page.click("input[type=submit]")

    assert page.url.startswith(f"{live_server.url}/admin/login/")
    error = page.locator(".errornote").inner_text()
    assert "Por favor, insira um e-mail e senha corretos para uma conta de equipe" in error


def test_admin_is_portuguese_by_default(page, live_server, staff):
    page.goto(f"{live_server.url}/admin/login/")

    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.locator("#site-name").inner_text() == "Administração do Django"
    assert page.locator("label[for=id_username]").inner_text().startswith("E-mail")
    assert page.locator("label[for=id_password]").inner_text().startswith("Senha")


@pytest.mark.parametrize("browser_locale", ["en-US"])
def test_admin_is_english_when_the_browser_asks_for_it(
    page, live_server, staff, browser_locale, admin_login
):
    page.goto(f"{live_server.url}/admin/login/")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#site-name").inner_text() == "Django administration"
    assert page.locator("label[for=id_password]").inner_text().startswith("Password")

    # Our own model names come from locale/en as well.
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    assert page.locator("a[href='/admin/customers/customer/']").first.inner_text() == "Customers"
    assert page.locator("a[href='/admin/accounts/user/']").first.inner_text() == "Users"
