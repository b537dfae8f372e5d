"""A generated Django project tree for the evidence benchmark: N Python files, deterministic.

Apps look like real Django apps (models, views, serializers, forms, admin, urls, services, tests and
migrations); a handful of files hold what the evidence stage looks for (settings, URLconfs, a thread,
raw SQL), most hold none, as in real projects.
"""

from __future__ import annotations

import random
from pathlib import Path

__all__ = ["django_tree"]

_APP_FILES = (
    "models.py",
    "views.py",
    "serializers.py",
    "forms.py",
    "admin.py",
    "apps.py",
    "services.py",
    "selectors.py",
    "signals.py",
    "utils.py",
    "permissions.py",
    "filters.py",
    "urls.py",
    "__init__.py",
    "tests/__init__.py",
    "tests/test_models.py",
    "tests/test_views.py",
    "migrations/__init__.py",
    "migrations/0001_initial.py",
    "migrations/0002_auto.py",
)
_SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure")
DEBUG = os.environ.get("DEBUG") == "1"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
{apps}
]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
REST_FRAMEWORK = {{
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {{"user": "1000/day"}},
}}
DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": "site"}}}}
"""


def _model(rng: random.Random, app: str, n: int) -> str:
    kinds = ["CharField(max_length=100)", "IntegerField(default=0)", "DateTimeField(auto_now=True)"]
    fields = "\n".join(f"    field_{i} = models.{rng.choice(kinds)}" for i in range(rng.randint(4, 12)))
    return (
        f'"""Models of {app}."""\nfrom django.db import models\n\n\n'
        f"class {app.title()}{n}(models.Model):\n{fields}\n\n"
        f"    class Meta:\n        ordering = ['-field_0']\n\n"
        f"    def __str__(self):\n        return str(self.field_0)\n"
    )


def _view(rng: random.Random, app: str) -> str:
    body = "\n".join(
        f"class Item{i}ViewSet(viewsets.ModelViewSet):\n"
        f"    queryset = models.{app.title()}0.objects.filter(field_1__gt={i})\n"
        f"    serializer_class = serializers.ItemSerializer\n\n"
        f"    def get_queryset(self):\n        qs = super().get_queryset()\n"
        f"        return qs.select_related().order_by('-pk')[: {rng.randint(10, 99)}]\n\n"
        for i in range(rng.randint(2, 6))
    )
    return f"from rest_framework import viewsets\n\nfrom . import models, serializers\n\n\n{body}"


def _plain(rng: random.Random, app: str, kind: str) -> str:
    functions = "\n".join(
        f"def {kind}_{i}(value, *, strict=False):\n"
        f"    result = []\n    for item in value or []:\n        if strict and not item:\n            continue\n"
        f"        result.append(str(item).strip().lower())\n    return sorted(set(result))\n\n"
        for i in range(rng.randint(3, 10))
    )
    return f'"""{kind} helpers of {app}."""\nfrom __future__ import annotations\n\n\n{functions}'


def _urls(app: str) -> str:
    return (
        "from django.urls import include, path\nfrom rest_framework.routers import DefaultRouter\n\n"
        "from . import views\n\nrouter = DefaultRouter()\n"
        f"router.register('items', views.Item0ViewSet)\n\nurlpatterns = [path('{app}/', include(router.urls))]\n"
    )


def django_tree(root: Path, files: int, seed: int = 17) -> int:
    """Write a Django project of about ``files`` Python files under ``root``; returns the count written."""
    rng = random.Random(seed)
    apps = [f"app{i:04d}" for i in range(max(1, files // len(_APP_FILES)))]
    written = 0

    def write(relative: str, text: str) -> None:
        nonlocal written
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1

    app_lines = "\n".join(f'    "{app}",' for app in apps)
    write("site/settings.py", _SETTINGS.format(apps=app_lines))
    write("site/__init__.py", "")
    write("site/wsgi.py", "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
    includes = ",\n".join(f"    path('', include('{app}.urls'))" for app in apps)
    write(
        "site/urls.py",
        f"from django.contrib import admin\nfrom django.urls import include, path\n\n"
        f"urlpatterns = [\n    path('admin/', admin.site.urls),\n{includes},\n]\n",
    )
    write("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n")
    for number, app in enumerate(apps):
        for name in _APP_FILES:
            kind = name.removesuffix(".py").split("/")[-1]
            if name == "models.py":
                text = _model(rng, app, number)
            elif name == "views.py":
                text = _view(rng, app)
            elif name == "urls.py":
                text = _urls(app)
            elif name.endswith("__init__.py"):
                text = ""
            else:
                text = _plain(rng, app, kind)
            if name == "services.py" and number % 50 == 0:
                text += "\n\ndef count(connection):\n    with connection.cursor() as cursor:\n"
                text += "        cursor.execute('SELECT count(*) FROM auth_user')\n        return cursor.fetchone()\n"
            if name == "signals.py" and number % 97 == 0:
                text += "\n\nimport threading\n\n\ndef notify(user):\n"
                text += "    threading.Thread(target=print, args=(user,)).start()\n"
            write(f"{app}/{name}", text)
            if written >= files:
                return written
    return written
