# Not a settings module: the names appear only inside a function and as strings.
def show(settings):
    INSTALLED_APPS = ["django.contrib.admin"]
    return "INSTALLED_APPS", INSTALLED_APPS, settings.REST_FRAMEWORK
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
