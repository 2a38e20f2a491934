"""Django's database sessions, their row read by a prepared statement.

Every request reads its session (django.contrib.sessions.backends.db), and Django builds
and compiles that query each time; here it is compiled once per connection
(prepared.Prepared, docs/architecture.md "Queries compiled once"). Rows, expiry and
everything else are Django's.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from .prepared import Prepared, first

SESSION_ROW = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    key="text",
    now="datetime",
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        session = None
        if self.session_key:  # a key that is not valid is None already
            session = first(SESSION_ROW(key=self.session_key, now=timezone.now()))
        if session is None:
            self._session_key = None
        return session
