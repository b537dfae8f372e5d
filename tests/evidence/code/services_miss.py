# Mentions an app factory without calling one
APP_FACTORY = "FastAPI"


def describe():
    return "Flask( is not called here"
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
