"""Hand-written SQL for each dashboard panel, against the raw tables (PostgreSQL).

`manage.py bench` times these beside the panels that answer the same question and
checks that both give the same numbers. Each entry: (SQL with {where} for the date
range and filters, a function turning the fetched rows into a comparable value, a
function turning the panel's result into the same shape).
"""

from __future__ import annotations

import re

from interactions import dashboard
from interactions.models import Skill

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
            # The whole panel: the complaints past their target now (counts by status,
            # the oldest listed with their customer and agent) and those of the date
            # range resolved after it.
            "WITH overdue AS (SELECT i.id, i.occurred_at, i.complaint_status, i.customer_id,"
            f" i.agent_id FROM {I} i JOIN interactions_channel c ON c.id = i.channel_id"
            " WHERE i.is_complaint AND i.complaint_status IN ('open', 'in_progress')"
            " AND i.occurred_at < {now} - c.response_target_hours * interval '1 hour'"
            " AND {scope})"
            " SELECT (SELECT COUNT(*) FROM overdue),"
            " (SELECT COUNT(*) FROM overdue WHERE complaint_status = 'open'),"
            " (SELECT COUNT(*) FROM overdue WHERE complaint_status = 'in_progress'),"
            f" (SELECT COUNT(*) FROM {I} i JOIN interactions_channel c ON c.id = i.channel_id"
            " WHERE i.is_complaint AND i.complaint_status = 'resolved'"
            " AND i.resolved_at > i.occurred_at + c.response_target_hours * interval '1 hour'"
            " AND {where}),"
            " ARRAY(SELECT o.id FROM overdue o"
            " JOIN interactions_customer cu ON cu.id = o.customer_id"
            " JOIN auth_user u ON u.id = o.agent_id"
            f" ORDER BY o.occurred_at, o.id LIMIT {dashboard.OVERDUE_SHOWN})",
            lambda rows: tuple(rows[0]),
            lambda page: (
                page["total"],
                page["open"],
                page["in_progress"],
                page["resolved_late"],
                [row.pk for row in page["rows"]],
            ),
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
            # Overall and per period (ROLLUP's total row has no period): reviews, the
            # interactions reviewed, and each skill's average.
            f"SELECT date_trunc({{period}}, i.occurred_at AT TIME ZONE '{tz}')::date,"
            " COUNT(*), COUNT(DISTINCT r.interaction_id),"
            + ", ".join(f"AVG(r.{skill})" for skill in Skill.values)
            + " FROM interactions_skillreview r"
            f" JOIN {I} i ON i.id = r.interaction_id WHERE {{where}} GROUP BY ROLLUP (1)",
            lambda rows: {
                row[0]: (row[1], row[2], *(round(float(v), 6) for v in row[3:]))
                for row in rows
                if row[1]
            },
            lambda page: (
                {
                    None: (
                        page["reviews"],
                        page["interactions"],
                        *(round(float(skill["average"]), 6) for skill in page["skills"]),
                    ),
                    **{
                        item["start"]: (
                            item["reviews"],
                            item["interactions"],
                            *(round(float(v), 6) for v in item["averages"]),
                        )
                        for item in page["periods"]
                    },
                }
                if page["reviews"]
                else {}
            ),
        ),
        (
            "archetype board",
            lambda p: dashboard.archetype_board(p, ref),
            # The whole board: customers per group now, the changes in the date range
            # (entered, left), the most recently contacted customers and the valences
            # of their last contacts.
            "WITH shown AS (SELECT a.code, c.id FROM unnest(ARRAY['loyal_annoyed',"
            " 'loyal_enthusiast', 'extreme_critic', 'active_hater']) AS a(code)"
            " CROSS JOIN LATERAL (SELECT c.id FROM interactions_customer c"
            " WHERE c.archetype = a.code AND c.last_contact_at IS NOT NULL"
            f" ORDER BY c.last_contact_at DESC, c.id DESC LIMIT {dashboard.BOARD_CUSTOMERS}) c),"
            " changes AS (SELECT h.archetype, h.previous, COUNT(*) AS n"
            " FROM interactions_archetypechange h WHERE h.changed_at >= {start}"
            " AND h.changed_at < {end} GROUP BY 1, 2)"
            " SELECT a.code, (SELECT COUNT(*) FROM interactions_customer c"
            " WHERE c.archetype = a.code),"
            " (SELECT COALESCE(SUM(n), 0) FROM changes WHERE archetype = a.code"
            " AND previous IS DISTINCT FROM a.code),"
            " (SELECT COALESCE(SUM(n), 0) FROM changes WHERE previous = a.code"
            " AND archetype IS DISTINCT FROM a.code),"
            " ARRAY(SELECT s.id FROM shown s WHERE s.code = a.code),"
            " ARRAY(SELECT t.v FROM shown s CROSS JOIN LATERAL"
            " (SELECT COALESCE(NULLIF(i.end_valence, ''), i.start_valence) AS v"
            f" FROM {I} i WHERE i.customer_id = s.id ORDER BY i.occurred_at DESC, i.id DESC"
            f" LIMIT {dashboard.TREND_CONTACTS}) t WHERE s.code = a.code)"
            " FROM unnest(ARRAY['loyal_annoyed', 'loyal_enthusiast', 'extreme_critic',"
            " 'active_hater']) AS a(code)"
            # and the customers not classified yet, which the board counts too
            " UNION ALL SELECT NULL, (SELECT COUNT(*) FROM interactions_customer c"
            " WHERE c.archetype IS NULL), 0, 0, ARRAY[]::bigint[], ARRAY[]::text[]",
            lambda rows: {
                code: (n, entered, left, sorted(ids), sorted(trend))
                for code, n, entered, left, ids, trend in rows
            },
            lambda page: (
                {
                    g["code"]: (
                        g["count"],
                        g["entered"],
                        g["left"],
                        sorted(c["id"] for c in g["customers"]),
                        sorted(v for c in g["customers"] for v in c["trend"]),
                    )
                    for g in page["groups"]
                }
                | {None: (page["unclassified"], 0, 0, [], [])}
            ),
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


PLACEHOLDER = re.compile(r"\{(where|scope|period|now|start|end)\}")


def render(sql: str, params) -> tuple[str, list]:
    """Fill a panel's SQL for `params`: {where} the date range and filters, {scope} the
    filters alone (the overdue panel's list has no dates), {period}, {now}, and {start}
    and {end} (the range's first and last instants)."""
    values: list = []

    def fill(match) -> str:
        name = match.group(1)
        if name in ("now", "period", "start", "end"):
            values.append(getattr(params, name))
            return "%s"
        clause, clause_values = scope_clause(params) if name == "scope" else where(params)
        values.extend(clause_values)
        return clause

    return PLACEHOLDER.sub(fill, sql), values
