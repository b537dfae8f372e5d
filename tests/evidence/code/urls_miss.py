# netbox netbox/urls.py: the admin is gone
from django.urls import include, path

urlpatterns = [
    path("", include("dcim.urls")),
    path("api/", include("netbox.api.urls")),
]
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
