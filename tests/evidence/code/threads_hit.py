# healthchecks hc/lib/emails.py and hc/lib/s3.py
from concurrent.futures import ThreadPoolExecutor
from threading import Thread


class EmailThread(Thread):
    def __init__(self, message):
        Thread.__init__(self)
        self.message = message

    def run(self):
        self.message.send()


def send(message, block=False):
    t = EmailThread(message)
    if block:
        t.run()
    else:
        t.start()


def remove_objects(code):
    t = Thread(target=print, args=(code,))
    t.start()


POOL = ThreadPoolExecutor(max_workers=4)
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
