"""API endpoints (docs/api.md). Glue only: check the input with a serializer, call the
service or selector the pages call, answer with a serializer."""

import functools

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .. import roles, selectors, services, suggestions
from ..access import Action, record_access
from ..models import Channel, Emotion
from . import stats
from .fields import parse_id
from .filters import InteractionApiFilter
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import idempotent
from .pagination import InteractionCursorPagination, PagePagination
from .permissions import ERR_NO_ROLE, CanChangeInteraction, CanViewDashboard, RolePermission
from .serializers import (
    ChannelSerializer,
    CustomerSerializer,
    EmotionSerializer,
    ErrorSerializer,
    InteractionSerializer,
    PeriodQuerySerializer,
    ResponseTemplateSerializer,
    StatsSummarySerializer,
    SuggestionSerializer,
    SuggestQuerySerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .throttling import TokenThrottle

SEARCH_MAX = 200
ERR_BAD_CREDENTIALS = _("Unable to log in with this user name and password.")
ERR_LOCKED_OUT = _("Too many failed log-ins for this user name from your address. Try again later.")
ERR_SEARCH = _("Search for at most 200 characters, without control characters.")

# --- Schema helpers -----------------------------------------------------------------

FIELD_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="Bad input: the messages by field or parameter name "
    "(`non_field_errors` for the request as a whole).",
)
ERROR_DESCRIPTIONS = {
    401: "No or bad credentials.",
    403: "Your role does not allow this.",
    404: "No such object.",
    409: "A concurrent request changed the same data; send the request again.",
    413: "The request body is too large.",
    422: "The Idempotency-Key was used for a different request.",
    429: "Too many requests: wait the seconds in Retry-After.",
    503: "The database is unavailable: retry after the seconds in Retry-After.",
}


def responses(ok, *codes, ok_status: int = 200) -> dict:
    """The success response and the errors an operation can give (401, 403, 429 and 503
    always)."""
    result = {ok_status: ok}
    for code in sorted({401, 403, 429, 503, *codes}):
        if code == 400:
            result[400] = FIELD_ERRORS
        else:
            result[code] = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
    return result


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID), 1-255 visible ASCII characters. A retry "
    "with the same key and body returns the first response and writes nothing; the same "
    "key with another body is refused with 422. Kept at least 24 hours, per user.",
)
WRITE_ERRORS = (400, 409, 413, 422)


def audited(request):
    """Name the caller as the actor of the audit entries a write makes. django-auditlog's
    middleware reads the user before DRF has authenticated a token, so without this,
    changes made with a token would have no actor in the trail."""
    return set_actor(request.user, remote_addr=request.META.get("REMOTE_ADDR"))


def require_id(raw) -> int:
    """The id of a detail URL; anything no row can have is a 404."""
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return pk


class IdempotentWritesMixin:
    """POST and PATCH honour the Idempotency-Key header (idempotency.py)."""

    def create(self, request, *args, **kwargs):
        return idempotent(request, functools.partial(super().create, request, *args, **kwargs))

    def partial_update(self, request, *args, **kwargs):
        handler = functools.partial(super().partial_update, request, *args, **kwargs)
        return idempotent(request, handler)


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions: dict[str, str | None] = {}

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        obj = get_object_or_404(queryset, pk=require_id(self.kwargs.get("pk")))
        self.check_object_permissions(self.request, obj)
        return obj


# --- Customers ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Customers",
        description="Phone and e-mail masked. `q` searches name, phone (by digits, from "
        "three) and external reference (exact).",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Search term (max 200).")],
        responses=responses(CustomerSerializer(many=True), 400),
    ),
    retrieve=extend_schema(
        summary="One customer",
        description="Phone and e-mail in full; the view is recorded in the access log.",
        responses=responses(CustomerSerializer, 404),
    ),
    create=extend_schema(
        summary="Create a customer",
        parameters=[IDEMPOTENCY_PARAMETER],
        responses=responses(CustomerSerializer, *WRITE_ERRORS, ok_status=201),
    ),
    partial_update=extend_schema(
        summary="Change a customer's contact details or notes",
        description="The archetype is read-only here: leads set it on the customer page.",
        parameters=[IDEMPOTENCY_PARAMETER],
        responses=responses(CustomerSerializer, 404, *WRITE_ERRORS),
    ),
)
class CustomerViewSet(
    IdempotentWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    serializer_class = CustomerSerializer
    pagination_class = PagePagination
    required_permissions = {
        "GET": "interactions.view_customer",
        "POST": "interactions.add_customer",
        "PATCH": "interactions.change_customer",
    }

    def get_queryset(self):
        customers = selectors.customer_list(user=self.request.user)
        if self.action == "list":
            term = self.request.query_params.get("q", "")
            if len(term) > SEARCH_MAX or any(ord(ch) < 32 for ch in term):
                raise exceptions.ValidationError({"q": [ERR_SEARCH]})
            if term.strip():
                customers = customers.search(term)
        return customers

    def get_serializer_context(self):
        # Lists mask contact details (product.md, "Personal data"); one customer's
        # detail and the answer to a write show them in full to the roles that may see
        # them (roles.can_reveal_phone: every role today).
        masked = self.action == "list" or not roles.can_reveal_phone(self.request.user)
        return super().get_serializer_context() | {"mask_contact": masked}

    def retrieve(self, request, *args, **kwargs):
        customer = self.get_object()
        record_access(request, Action.VIEW_CUSTOMER, customer=customer)
        return Response(self.get_serializer(customer).data)

    def perform_create(self, serializer):
        with audited(self.request):
            serializer.instance = services.customer_create(
                created_by=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with audited(self.request):
            serializer.instance = services.customer_update(
                customer=serializer.instance,
                user=self.request.user,
                data=serializer.validated_data,
            )


# --- Interactions -------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Interactions, newest first",
        description="Cursor pagination over (occurred_at, id): follow `next`.",
        responses=responses(InteractionSerializer(many=True), 400),
    ),
    retrieve=extend_schema(
        summary="One interaction",
        description="The view is recorded in the access log.",
        responses=responses(InteractionSerializer, 404),
    ),
    create=extend_schema(
        summary="Log an interaction",
        description="Logged for the caller. The response is checked against the phrase "
        "guide (warnings in `phrase_warnings`, never blocking); the customer's archetype "
        "suggestion is refreshed.",
        parameters=[IDEMPOTENCY_PARAMETER],
        responses=responses(InteractionSerializer, *WRITE_ERRORS, ok_status=201),
        examples=[
            OpenApiExample(
                "A call",
                request_only=True,
                value={
                    "customer": 42,
                    "occurred_at": "2025-03-01T14:30:00+09:00",
                    "channel": "phone",
                    "touchpoint": "delivery",
                    "emotion_start": "anger",
                    "emotion_end": "neutral",
                    "intensity": 4,
                    "cues": ["words", "tone"],
                    "summary": "Parcel two days late",
                    "is_complaint": True,
                    "complaint_status": "resolved",
                    "response_template": None,
                    "response_text": "I am sorry; we are sending it by express today.",
                    "outcome": "satisfied",
                    "follow_up_on": None,
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Correct an interaction",
        description="Agents only their own (403 otherwise); leads and admins any.",
        parameters=[IDEMPOTENCY_PARAMETER],
        responses=responses(InteractionSerializer, 404, *WRITE_ERRORS),
    ),
)
class InteractionViewSet(
    IdempotentWritesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    serializer_class = InteractionSerializer
    pagination_class = InteractionCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = InteractionApiFilter
    permission_classes = [RolePermission, CanChangeInteraction]
    required_permissions = {
        "GET": "interactions.view_interaction",
        "POST": "interactions.add_interaction",
        "PATCH": "interactions.change_interaction",
    }

    def get_queryset(self):
        interactions = selectors.interaction_list(user=self.request.user)
        if self.action == "list":
            # The list shows ids only for customer and agent: no join, just the small
            # reference tables prefetched (one query each per page).
            return interactions.select_related(None)
        return interactions

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def retrieve(self, request, *args, **kwargs):
        interaction = self.get_object()
        record_access(
            request, Action.VIEW_INTERACTION, customer=interaction.customer, obj=interaction
        )
        return Response(self.get_serializer(interaction).data)

    def perform_create(self, serializer):
        with audited(self.request):
            serializer.instance = services.interaction_log(
                agent=self.request.user, data=serializer.validated_data
            )

    def perform_update(self, serializer):
        with audited(self.request):
            serializer.instance = services.interaction_update(
                interaction=serializer.instance,
                user=self.request.user,
                data=serializer.validated_data,
            )


# --- Reference data and templates ---------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Emotions", responses=responses(EmotionSerializer(many=True), 400))
)
class EmotionViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = EmotionSerializer
    pagination_class = PagePagination
    queryset = Emotion.objects.order_by("order", "code")
    required_permissions = {"GET": "interactions.view_emotion"}


@extend_schema_view(
    list=extend_schema(summary="Channels", responses=responses(ChannelSerializer(many=True), 400))
)
class ChannelViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = ChannelSerializer
    pagination_class = PagePagination
    queryset = Channel.objects.order_by("order", "code")
    required_permissions = {"GET": "interactions.view_channel"}


@extend_schema_view(
    list=extend_schema(
        summary="Response templates",
        description="The team's templates and the caller's own personal ones, active or not.",
        responses=responses(ResponseTemplateSerializer(many=True), 400),
    )
)
class ResponseTemplateViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = ResponseTemplateSerializer
    pagination_class = PagePagination
    required_permissions = {"GET": "interactions.view_responsetemplate"}

    def get_queryset(self):
        # The team's templates and the caller's own: what roles.can_view_template allows.
        return selectors.template_list(user=self.request.user)

    @extend_schema(
        summary="Suggested responses",
        description="The templates that suit the emotion at start, the customer's "
        "archetype and the channel, best first by recovery rate, with placeholders filled "
        "in (as beside the log form).",
        parameters=[SuggestQuerySerializer],
        responses=responses(SuggestionSerializer(many=True), 400),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def suggest(self, request):
        query = {key: value for key, value in request.query_params.items() if value != ""}
        params = SuggestQuerySerializer(data=query)
        params.is_valid(raise_exception=True)
        found = suggestions.suggest(
            user=request.user,
            emotion=params.validated_data["emotion"],
            customer=params.validated_data.get("customer"),
            channel=params.validated_data.get("channel"),
        )
        return Response(SuggestionSerializer(found, many=True).data)


# --- Statistics ---------------------------------------------------------------------


class StatsSummaryView(GenericAPIView):
    permission_classes = [CanViewDashboard]
    serializer_class = StatsSummarySerializer

    @extend_schema(
        summary="The team's numbers",
        description="Leads and admins. Interactions in [since, until) by valence at start "
        "and their recovery rate; customers per archetype as they are now.",
        parameters=[PeriodQuerySerializer],
        responses=responses(StatsSummarySerializer, 400),
    )
    def get(self, request):
        query = {key: value for key, value in request.query_params.items() if value != ""}
        params = PeriodQuerySerializer(data=query)
        params.is_valid(raise_exception=True)
        numbers = stats.summary(
            since=params.validated_data.get("since"), until=params.validated_data.get("until")
        )
        return Response(StatsSummarySerializer(numbers).data)


# --- Authentication -----------------------------------------------------------------


class ObtainTokenView(GenericAPIView):
    """Exchange a user name and password for the user's API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        summary="Get an API token",
        description="Send it on every request as `Authorization: Token <token>`. Wrong "
        "credentials: 400. Repeated wrong passwords lock the user name out from that "
        "address for a while (429 with Retry-After).",
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: FIELD_ERRORS,
            403: OpenApiResponse(ErrorSerializer, description="The account has no role yet."),
            429: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[429]),
            503: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[503]),
        },
    )
    def post(self, request):
        # Refusals are returned, not raised: a raised error rolls the request's
        # transaction back, and with it django-axes' record of the failed attempt.
        credentials = TokenRequestSerializer(data=request.data)
        if not credentials.is_valid():
            return Response(credentials.errors, status=status.HTTP_400_BAD_REQUEST)
        # Through django.contrib.auth, so django-axes counts failures and locks out.
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return locked_out_response()
            return Response(
                {"non_field_errors": [ERR_BAD_CREDENTIALS]}, status=status.HTTP_400_BAD_REQUEST
            )
        if not roles.has_role(user):
            return Response({"detail": ERR_NO_ROLE}, status=status.HTTP_403_FORBIDDEN)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


def locked_out_response() -> Response:
    """429 with Retry-After for a locked-out user name (django-axes' cool-off); django-axes'
    own middleware answers the same way for /api/ (emotioncare/security.py)."""
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    wait = int(cooloff.total_seconds()) if hasattr(cooloff, "total_seconds") else 900
    return Response(
        {"detail": ERR_LOCKED_OUT},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(wait)},
    )


# --- Schema and docs ----------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; JSON with ?format=json). Needs a login."""


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files (drf-spectacular-sidecar), its start-up
    script served as a separate file, so it runs under the Content-Security-Policy."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
