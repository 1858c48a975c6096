"""Under the Content-Security-Policy every response carries, the admin, the browsable API and the
Swagger UI still work in a real browser, and the browser reports no CSP violation."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("chromium"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

STAFF_EMAIL = "equipe@example.com"
STAFF_PASSWORD = "s3nha-Forte-2026"

#: Recorded in the page before any of its own scripts run (Playwright's init scripts are not
#: subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )


@pytest.fixture
def watched(page):
    """The page, plus every CSP complaint it produces (events and console errors)."""
    complaints: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    def violations() -> list[str]:
        return complaints + page.evaluate("window.__cspViolations || []")

    return page, violations


def test_every_page_is_served_with_the_policy(client):
    for path in ["/admin/login/", "/api/docs/", "/api/customers", "/health"]:
        response = client.get(path)
        assert response["Content-Security-Policy"] == settings.CRM_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in settings.CRM_CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in settings.CRM_CONTENT_SECURITY_POLICY


def test_swagger_ui_works_under_the_policy(watched, live_server):
    page, violations = watched

    response = page.goto(f"{live_server.url}/api/docs/")

    assert response.headers["content-security-policy"] == settings.CRM_CONTENT_SECURITY_POLICY
    page.locator(".swagger-ui .opblock").first.wait_for()  # its scripts ran and fetched the schema
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.locator(".swagger-ui .opblock-body").first.wait_for()
    assert violations() == []


def test_the_admin_works_under_the_policy(watched, live_server, staff, admin_login):
    page, violations = watched

    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    page.goto(f"{live_server.url}/admin/accounts/user/")
    page.locator("#result_list").wait_for()
    # the changelist's own script runs: ticking "select all" ticks the rows
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()
    page.goto(f"{live_server.url}/admin/customers/customer/add/")
    page.locator("#customer_form").wait_for()

    assert violations() == []


def test_the_browsable_api_works_under_the_policy(watched, live_server, staff):
    page, violations = watched

    page.goto(f"{live_server.url}/api-auth/login/?next=/api/customers/")
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"{live_server.url}/api/customers/")

    assert page.evaluate("typeof window.jQuery") == "function"  # its scripts loaded and ran
    assert "HTTP 200 OK" in page.locator(".response-info .meta").inner_text()
    assert violations() == []

    # and logging out (DRF's own link needs an inline handler; ours is a plain form)
    page.click("#logout")
    page.wait_for_load_state()
    assert violations() == []
    assert page.goto(f"{live_server.url}/api/customers/").status == 401
