# Split settings as cookiecutter-django writes them: names bound to lists, then joined.
from .base import *  # noqa: F403

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = ["rest_framework", "allauth"]
LOCAL_APPS = ["shop.users"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
# INSTALLED_APPS += ["commented_out_app"]
if DEBUG:  # noqa: F405
    INSTALLED_APPS += ["debug_toolbar"]
try:
    import django_extensions  # noqa: F401
    INSTALLED_APPS.append("django_extensions")
except ImportError:
    pass
INSTALLED_APPS.extend(PLUGIN_APPS)  # noqa: F405
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.getenv("ANON_RATE", "100/day")},  # noqa: F405
}
REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "rest_framework.pagination.LimitOffsetPagination"
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env("REDIS_URL")}}  # noqa: F405
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": []}]
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
