# paperless-ngx paperless/views.py, a django-ratelimit view and a slowapi app
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle
from slowapi import Limiter


class PaperlessObtainAuthTokenView(ObtainAuthToken):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


@method_decorator(ratelimit(key="ip", rate="5/m"), name="dispatch")
class LoginView:
    pass


limiter = Limiter(key_func=lambda request: "x")


@limiter.limit("5/minute")
def homepage(request):
    return None
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
