# throttle_classes = [] switches throttling off; the word in a string or comment is nothing
from rest_framework.views import APIView


class StatusView(APIView):
    throttle_classes = []
    permission_classes = []
    help_text = "no throttle_classes here; ratelimit is a word"
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
