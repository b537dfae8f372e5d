# ORM and SQLAlchemy Core calls that are not raw SQL
from sqlalchemy import Column, DateTime, select, text


class Model:
    created_at = Column(DateTime, server_default=text("now()"))


def run(session, User, executor, job):
    session.execute(select(User).where(User.id == 1))
    executor.execute(job)
    return User.objects.filter(active=True)
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
