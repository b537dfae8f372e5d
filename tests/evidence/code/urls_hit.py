# healthchecks hc/urls.py
from django.contrib import admin
from django.urls import include, path

prefix = ""
urlpatterns = [
    path(f"{prefix}admin/", admin.site.urls),
    path("accounts/", include("hc.accounts.urls")),
]
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
