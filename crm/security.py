"""HTTP security headers the platform adds to every response.

``ContentSecurityPolicyMiddleware`` sends ``settings.CRM_CONTENT_SECURITY_POLICY`` (a complete
policy string; ``off`` sends none) unless a view set its own. A small middleware rather than a
dependency: one header, one setting, and the policy is readable in one place.
"""

from __future__ import annotations

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CRM_CONTENT_SECURITY_POLICY
        if policy and policy.lower() != "off" and HEADER not in response:
            response[HEADER] = policy
        return response
