"""The developer-facing pages: the DRF browsable API and the Swagger UI docs, offline."""

import json
import re
from urllib.parse import urlsplit

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


def _path_shape(path: str) -> str:
    """'/api/customers/{customer_id}/' -> '/api/customers/{}': the docs' spelling may vary."""
    path = path.strip().replace("\u200b", "").rstrip("/")
    return re.sub(r"\{[^}]*\}", "{}", path)


def _response_json(page) -> dict:
    """The JSON body a DRF browsable page shows (its <pre> minus the status/headers block)."""
    text = page.eval_on_selector(
        ".response-info pre",
        """pre => { const copy = pre.cloneNode(true);
                    copy.querySelectorAll('.meta').forEach(meta => meta.remove());
                    return copy.textContent; }""",
    )
    return json.loads(text)


def test_docs_render_every_endpoint_without_internet(page, live_server, external_requests):
    # given: every request the page makes is recorded
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    # when: a developer opens the interactive docs
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()

    # then: Swagger UI (bundled assets, not a CDN) lists the seed's operations
    operations = {
        (method.strip().upper(), _path_shape(path))
        for method, path in zip(
            page.locator(".swagger-ui .opblock-summary-method").all_inner_texts(),
            page.locator(".swagger-ui .opblock-summary-path").all_inner_texts(),
            strict=True,
        )
    }
    assert {
        ("POST", "/auth/login"),
        ("GET", "/api/customers"),
        ("POST", "/api/customers"),
        ("GET", "/api/customers/{}"),
        ("PATCH", "/api/customers/{}/activate"),
        ("GET", "/api/customers/{}/interactions"),
        ("POST", "/api/customers/{}/interactions"),
        ("GET", "/api/products"),
        ("POST", "/api/products"),
    } <= operations
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("CRM Finance API")
    # ... and everything came from the app itself: no CDN, no font service, no telemetry.
    assert external_requests == []
    assert requested, "the page made no request at all?"
    assert {urlsplit(url).hostname for url in requested if url.startswith("http")} == {"localhost"}
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in requested)


def test_staff_logs_in_to_the_browsable_api_and_opens_the_customer_list(
    page, live_server, staff, screenshot
):
    # given: the browsable API's session login page
    page.goto(f"{live_server.url}/api-auth/login/?next=/api/customers/")
    screenshot(page, "login")

    # when: staff log in with their e-mail and password
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"{live_server.url}/api/customers/")

    # then: the HTML page of the list shows the seed's JSON envelope
    assert page.locator(".response-info").count() == 1
    assert "HTTP 200 OK" in page.locator(".response-info .meta").inner_text()
    body = _response_json(page)
    assert set(body) >= {"customers", "total", "pages", "current_page"}
    assert body["customers"] == []
    assert body["total"] == 0
