"""Storing extracted events: the events and event_sources tables, replaced per article in one
transaction from staged Arrow batches."""

from __future__ import annotations


_EVENT_COLUMNS = (
    ("id", "string"), ("company", "string"), ("company_name", "string"), ("tickers", "list"),
    ("event_type", "string"), ("event_date", "date"), ("date_precision", "string"), ("date_source", "string"),
    ("date_text", "string"), ("date_value", "string"), ("published", "date"), ("article", "string"),
    ("evidence", "string"), ("evidence_start", "int"), ("evidence_end", "int"), ("confidence", "float"),
    ("headline", "string"), ("status", "string"), ("background", "bool"), ("study_date", "date"),
    ("trigger_text", "string"), ("fiscal_period", "string"), ("company_mention", "string"),
    ("company_resolved_by", "string"),
)


def _arrow_type(kind: str):
    import pyarrow as pa

    return {"string": pa.string(), "list": pa.list_(pa.string()), "date": pa.date32(), "int": pa.int32(),
            "float": pa.float64(), "bool": pa.bool_()}[kind]


def _events_table(events: list):
    import pyarrow as pa

    return pa.table({name: pa.array([getattr(e, name) for e in events], type=_arrow_type(kind))
                     for name, kind in _EVENT_COLUMNS})


def _sources_table(events: list):
    import pyarrow as pa

    rows = [(e.id, s) for e in events for s in e.sources]
    return pa.table({
        "event_id": pa.array([i for i, _ in rows], pa.string()),
        "article": pa.array([s.article for _, s in rows], pa.string()),
        "published": pa.array([s.published for _, s in rows], pa.date32()),
        "evidence": pa.array([s.evidence for _, s in rows], pa.string()),
        "evidence_start": pa.array([s.evidence_start for _, s in rows], pa.int32()),
        "evidence_end": pa.array([s.evidence_end for _, s in rows], pa.int32()),
    })


def store_events(con, events: list) -> int:
    """Replace what the given articles report; idempotent.

    Sources from other articles are kept, so re-running on some articles never loses what the
    rest reported; an event left with no source at all is removed.
    """
    from tracker.db import read_sql

    articles = sorted({s.article for e in events for s in e.sources})
    ids = sorted({e.id for e in events})
    con.execute("BEGIN TRANSACTION")
    try:
        if articles:
            con.execute("DELETE FROM event_sources WHERE list_contains(?, article)", [articles])
        if ids:
            con.execute("DELETE FROM events WHERE list_contains(?, id)", [ids])
        # one staged batch per table: a statement per row costs DuckDB milliseconds each
        # (DuckDB reads the Arrow tables through these local names: a replacement scan, which unlike
        # register() works while the caller still holds an unfinished result on the connection)
        if events:
            staged_events = _events_table(events)  # noqa: F841 - read by the SQL below
            staged_event_sources = _sources_table(events)  # noqa: F841
            con.execute(read_sql("queries/extract_events_insert_staged.sql"))
            con.execute(read_sql("queries/extract_event_sources_insert_staged.sql"))
        con.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(events)
