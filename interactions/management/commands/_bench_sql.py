"""Hand-written SQL for each dashboard panel, against the raw tables (PostgreSQL).

`manage.py bench` times these beside the panels that answer the same question and
checks that both give the same numbers. Each entry: (SQL with {where} for the date
range and filters, a function turning the fetched rows into a comparable value, a
function turning the panel's result into the same shape).
"""

from __future__ import annotations

from interactions import dashboard

I = "interactions_interaction"  # noqa: E741


def where(params, alias: str = "i") -> tuple[str, list]:
    clauses = [f"{alias}.occurred_at >= %s", f"{alias}.occurred_at < %s"]
    values: list = [params.start, params.end]
    if params.agent_id:
        clauses.append(f"{alias}.agent_id = %s")
        values.append(params.agent_id)
    if params.channel is not None:
        clauses.append(f"{alias}.channel_id = %s")
        values.append(params.channel.pk)
    if params.touchpoint is not None:
        clauses.append(f"{alias}.touchpoint_id = %s")
        values.append(params.touchpoint.pk)
    return " AND ".join(clauses), values


IMPROVED = (
    "((i.start_valence = 'negative' AND i.end_valence IN ('neutral', 'positive'))"
    " OR (i.start_valence = 'neutral' AND i.end_valence = 'positive'))"
)
ATTEMPT = "(i.start_valence = 'negative' AND i.recovered IS NOT NULL)"
COUNTS = (
    "COUNT(*), COUNT(*) FILTER (WHERE i.start_valence = 'positive'),"
    " COUNT(*) FILTER (WHERE i.start_valence = 'neutral'),"
    " COUNT(*) FILTER (WHERE i.start_valence = 'negative'),"
    " COUNT(*) FILTER (WHERE i.emotion_end_id IS NOT NULL),"
    f" COUNT(*) FILTER (WHERE {IMPROVED}),"
    f" COUNT(*) FILTER (WHERE {ATTEMPT}),"
    " COUNT(*) FILTER (WHERE i.recovered)"
)
COUNT_KEYS = ("total", "positive", "neutral", "negative", "ended", "improved", "attempts")
COUNT_KEYS = (*COUNT_KEYS, "recovered")


def _pairs(rows):
    return {row[0]: tuple(row[1:]) for row in rows}


def _recovery(rows_page, key="key"):
    return {row[key]: (row["attempts"], row["recovered"]) for row in rows_page}


def panels(tz: str, ref, language: str):
    """(name, page function, SQL, bare-rows -> value, page-result -> value)."""
    return [
        (
            "summary",
            lambda p: dashboard.summary(p),
            f"SELECT {COUNTS} FROM {I} i WHERE {{where}}",
            lambda rows: tuple(rows[0]),
            lambda page: tuple(page[k] for k in COUNT_KEYS),
        ),
        (
            "emotion trend",
            lambda p: dashboard.emotion_trend(p),
            f"SELECT date_trunc({{period}}, i.occurred_at AT TIME ZONE '{tz}')::date, {COUNTS}"
            f" FROM {I} i WHERE {{where}} GROUP BY 1",
            _pairs,
            lambda page: {
                row["start"]: tuple(row[k] for k in COUNT_KEYS) for row in page if row["total"]
            },
        ),
        (
            "emotion breakdown",
            lambda p: dashboard.emotion_breakdown(p, ref),
            "SELECT i.emotion_start_id, COUNT(*),"
            " COUNT(*) FILTER (WHERE i.emotion_end_id IS NOT NULL),"
            f" COUNT(*) FILTER (WHERE {IMPROVED}) FROM {I} i WHERE {{where}} GROUP BY 1",
            _pairs,
            lambda page: {
                row["emotion"].pk: (row["total"], row["ended"], row["improved"])
                for row in page
                if row["total"]
            },
        ),
        (
            "recovery by agent",
            lambda p: dashboard.recovery_by_agent(p),
            "SELECT i.agent_id, COUNT(*), COUNT(*) FILTER (WHERE i.recovered)"
            f" FROM {I} i WHERE {{where}} AND {ATTEMPT} GROUP BY 1",
            _pairs,
            _recovery,
        ),
        (
            "recovery by template",
            lambda p: dashboard.recovery_by_template(p),
            "SELECT i.response_template_id, COUNT(*), COUNT(*) FILTER (WHERE i.recovered)"
            f" FROM {I} i WHERE {{where}} AND {ATTEMPT} GROUP BY 1",
            _pairs,
            _recovery,
        ),
        (
            "recovery by channel",
            lambda p: dashboard.recovery_by_channel(p, ref),
            "SELECT c.code, COUNT(*), COUNT(*) FILTER (WHERE i.recovered)"
            f" FROM {I} i JOIN interactions_channel c ON c.id = i.channel_id"
            f" WHERE {{where}} AND {ATTEMPT} GROUP BY 1",
            _pairs,
            _recovery,
        ),
        (
            "recovery by archetype",
            lambda p: dashboard.recovery_by_archetype(p),
            "SELECT c.archetype, COUNT(*), COUNT(*) FILTER (WHERE i.recovered)"
            f" FROM {I} i JOIN interactions_customer c ON c.id = i.customer_id"
            f" WHERE {{where}} AND {ATTEMPT} GROUP BY 1",
            _pairs,
            _recovery,
        ),
        (
            "overdue complaints",
            lambda p: dashboard.overdue_complaints(p, ref),
            f"SELECT COUNT(*) FROM {I} i JOIN interactions_channel c ON c.id = i.channel_id"
            " WHERE i.is_complaint AND i.complaint_status IN ('open', 'in_progress')"
            " AND i.occurred_at < %s - c.response_target_hours * interval '1 hour'"
            " AND {scope}",
            lambda rows: rows[0][0],
            lambda page: page["total"],
        ),
        (
            "touchpoint outcomes",
            lambda p: dashboard.touchpoint_outcomes(p, ref),
            "SELECT i.touchpoint_id, COUNT(*),"
            " COUNT(*) FILTER (WHERE i.outcome = 'satisfied'),"
            " COUNT(*) FILTER (WHERE i.outcome = 'indifferent'),"
            " COUNT(*) FILTER (WHERE i.outcome = 'dissatisfied'),"
            f" COUNT(*) FILTER (WHERE i.outcome = '') FROM {I} i WHERE {{where}} GROUP BY 1",
            _pairs,
            lambda page: {
                (row["touchpoint"].pk if row["touchpoint"] else None): (
                    row["total"],
                    row["satisfied"],
                    row["indifferent"],
                    row["dissatisfied"],
                    row["none"],
                )
                for row in page
            },
        ),
        (
            "agent load",
            lambda p: dashboard.agent_load(p),
            "SELECT agent_id, SUM(n), SUM(neg), COUNT(*) FROM ("
            f" SELECT i.agent_id, (i.occurred_at AT TIME ZONE '{tz}')::date AS day,"
            " COUNT(*) AS n, COUNT(*) FILTER (WHERE i.start_valence = 'negative') AS neg"
            f" FROM {I} i WHERE {{where}} GROUP BY 1, 2) per_day GROUP BY 1",
            _pairs,
            lambda page: {
                row["agent_id"]: (row["total"], row["negative"], row["active_days"]) for row in page
            },
        ),
        (
            "phrase hits",
            lambda p: dashboard.phrase_hits(p, language),
            "SELECT hit ->> 'code', COUNT(*) FROM"
            f" {I} i CROSS JOIN LATERAL jsonb_array_elements(i.phrase_warnings) hit"
            " WHERE {where} AND jsonb_typeof(i.phrase_warnings) = 'array' GROUP BY 1",
            lambda rows: {code: n for code, n in rows if code},
            lambda page: {row["code"]: row["hits"] for row in page},
        ),
        (
            "skill averages",
            lambda p: dashboard.skill_averages(p),
            "SELECT COUNT(*), COUNT(DISTINCT r.interaction_id) FROM interactions_skillreview r"
            f" JOIN {I} i ON i.id = r.interaction_id WHERE {{where}}",
            lambda rows: tuple(rows[0]),
            lambda page: (page["reviews"], page["interactions"]),
        ),
        (
            "archetype board",
            lambda p: dashboard.archetype_board(p, ref),
            "SELECT a.code, (SELECT COUNT(*) FROM interactions_customer c"
            " WHERE c.archetype = a.code),"
            " ARRAY(SELECT c.id FROM interactions_customer c WHERE c.archetype = a.code"
            " AND c.last_contact_at IS NOT NULL ORDER BY c.last_contact_at DESC, c.id DESC"
            f" LIMIT {dashboard.BOARD_CUSTOMERS})"
            " FROM unnest(ARRAY['loyal_annoyed', 'loyal_enthusiast', 'extreme_critic',"
            " 'active_hater']) AS a(code)",
            lambda rows: {code: (n, sorted(ids)) for code, n, ids in rows},
            lambda page: {
                g["code"]: (g["count"], sorted(c["id"] for c in g["customers"]))
                for g in page["groups"]
            },
        ),
    ]


def scope_clause(params) -> tuple[str, list]:
    """The agent / channel / touchpoint filters alone (the overdue panel has no dates)."""
    clauses, values = ["TRUE"], []
    if params.agent_id:
        clauses.append("i.agent_id = %s")
        values.append(params.agent_id)
    if params.channel is not None:
        clauses.append("i.channel_id = %s")
        values.append(params.channel.pk)
    if params.touchpoint is not None:
        clauses.append("i.touchpoint_id = %s")
        values.append(params.touchpoint.pk)
    return " AND ".join(clauses), values


def render(sql: str, params) -> tuple[str, list]:
    """Fill {where} / {period} / {scope} of a panel's SQL for `params`."""
    values: list = []
    if "{scope}" in sql:
        scope, scope_values = scope_clause(params)
        return sql.replace("{scope}", scope), [params.now, *scope_values]
    if "{period}" in sql:
        sql = sql.replace("{period}", "%s", 1)
        values.append(params.period)
    if "{where}" in sql:
        clause, where_values = where(params)
        sql = sql.replace("{where}", clause)
        values.extend(where_values)
    return sql, values
