"""The real URLconf plus views that crash, for the 500 contract (``pytest.mark.urls``).

The error handlers are taken from ``config.urls`` itself, so the test exercises the real ones.
"""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config import urls as real_urls


class Crash(RuntimeError):
    pass


def crashing_view(request):
    raise Crash("boom")


class CrashingApiView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise Crash("boom")


urlpatterns = [
    path("api/__crash__/django", crashing_view),
    path("api/__crash__/drf", CrashingApiView.as_view()),
    path("auth/__crash__", CrashingApiView.as_view()),
    path("__crash__", crashing_view),
    *real_urls.urlpatterns,
]

handler400 = real_urls.handler400
handler404 = real_urls.handler404
handler500 = real_urls.handler500
