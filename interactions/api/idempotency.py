"""``Idempotency-Key`` on API writes (docs/api.md, "Idempotency").

A phone system that did not hear back retries. With the same key (per user), the
retry gets the first response (status and body) and nothing is written twice.

How it holds across restarts, workers and concurrent retries:

1. The key row (``IdempotencyKey``, unique per user and key) is inserted *before* the
   write, in the same transaction. A concurrent request with the same key blocks on
   the unique index until the first commits (PostgreSQL), then fails to insert, reads
   the stored response and replays it; if the first rolled back instead, the second
   inserts and does the work itself. Never two writes.
2. The response is stored on the row before the transaction commits, so a committed
   key always carries its response. Only successful (2xx) responses are kept: a
   refused or failed request is rolled back with its key, and a retry is judged anew.
3. The same key with a different method, path or body is refused with 422.

Keys are kept at least ``EMOTIONCARE_IDEMPOTENCY_KEY_HOURS`` (48 h by default, never
less than 24 h); ``manage.py purge_idempotency_keys`` deletes older ones.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..models import IdempotencyKey

HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as a header can carry it
MIN_HOURS = 24
REPLAYED_HEADER = "Idempotent-Replayed"

ERR_KEY_FORMAT = _("Use 1 to 255 visible ASCII characters, e.g. a UUID.")
ERR_KEY_REUSED = _(
    "This Idempotency-Key was already used for a different request. Use a new key for "
    "a new request; resend exactly the same request to get its first response."
)
ERR_KEY_BUSY = _("A request with this Idempotency-Key is still being processed. Retry shortly.")


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = ERR_KEY_REUSED
    default_code = "idempotency_key_reused"


class KeyBusy(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = ERR_KEY_BUSY
    default_code = "idempotency_key_busy"


def retention() -> timedelta:
    return timedelta(hours=max(MIN_HOURS, settings.EMOTIONCARE_IDEMPOTENCY_KEY_HOURS))


def purge(*, now=None) -> int:
    """Delete keys older than the retention; returns how many."""
    cutoff = (now or timezone.now()) - retention()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def request_key(request) -> str | None:
    """The request's key, None without one; a malformed key is a 400 naming the header."""
    key = request.headers.get(HEADER)
    if key is None or key == "":
        return None
    if not KEY_RE.match(key):
        raise exceptions.ValidationError({HEADER: [ERR_KEY_FORMAT]})
    return key


def fingerprint(request) -> str:
    """A hash of what makes two requests "the same": the parsed body, canonically."""
    body = request.data
    if hasattr(body, "lists"):  # a QueryDict (no body): plain lists
        body = dict(body.lists())
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _replay(record: IdempotencyKey, request, digest: str) -> Response:
    if (record.method, record.path, record.request_hash) != (
        request.method,
        request.path[:500],
        digest,
    ):
        raise KeyReused()
    if not record.status_code:
        raise KeyBusy()
    return Response(
        record.response_body, status=record.status_code, headers={REPLAYED_HEADER: "true"}
    )


def _stored(record: IdempotencyKey, response: Response) -> None:
    record.status_code = response.status_code
    record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
    record.save(update_fields=["status_code", "response_body"])


def idempotent(request, handler) -> Response:
    """Run ``handler()`` (the write) at most once per user and key; replay otherwise."""
    key = request_key(request)
    if key is None:
        return handler()
    digest = fingerprint(request)
    lookup = {"user": request.user, "key": key}
    existing = IdempotencyKey.objects.filter(**lookup).first()
    if existing is not None:
        return _replay(existing, request, digest)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    **lookup, method=request.method, path=request.path[:500], request_hash=digest
                )
        except IntegrityError:
            # A concurrent request with this key committed first (we waited on the
            # unique index meanwhile): answer as it did.
            existing = IdempotencyKey.objects.filter(**lookup).first()
            if existing is None:
                raise KeyBusy() from None
            return _replay(existing, request, digest)
        response = handler()
        if 200 <= response.status_code < 300:
            _stored(record, response)
        else:
            transaction.set_rollback(True)  # keep neither the key nor anything written
        return response
