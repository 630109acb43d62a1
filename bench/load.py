"""Bulk writes of generated rows into the tables of Django models, through a Django connection.

PostgreSQL gets one streamed COPY per table: rows are turned into COPY text while the server
inserts what it already received, so Python and PostgreSQL work on the two cores at once.
Other databases (SQLite in the tests) get executemany in batches, with every value prepared
by its model field, so the same generator runs everywhere.

Rows are tuples in the order of the given columns. Datetimes are whole seconds since the Unix
epoch (UTC) and dates are proleptic ordinals (`date.toordinal()`): integers are much cheaper to
draw and sort by the million than datetime objects.
"""

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.management.color import no_style
from django.db import models, transaction

COPY_CHUNK = 1 << 18  # characters handed to psycopg per read; large enough to keep the socket busy
BATCH = 2000  # rows per executemany on databases without COPY
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_DAY_TEXT: dict[int, str] = {}


def _day_text(day: int) -> str:
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = date.fromordinal(day + 719163).isoformat()  # 719163: ordinal of 1970-01-01
    return text


def timestamp_text(seconds: int) -> str:
    """COPY text of a UTC instant given in epoch seconds (about twice as fast as datetime.isoformat)."""
    day, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{_day_text(day)} {hours:02d}:{minutes:02d}:{secs:02d}+00"


def _copy_converter(field: models.Field) -> Callable[[object], str]:
    """How a generated value of this field is written in COPY's text format."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return lambda v: "\\N" if v is None else timestamp_text(v)
    if kind == "DateField":
        return lambda v: "\\N" if v is None else date.fromordinal(v).isoformat()
    if kind in ("BooleanField", "NullBooleanField"):
        return lambda v: "\\N" if v is None else ("t" if v else "f")
    if kind == "JSONField":
        return lambda v: "\\N" if v is None else json.dumps(v).translate(_ESCAPES)
    return lambda v: "\\N" if v is None else str(v).translate(_ESCAPES)


def _python_converter(field: models.Field, connection) -> Callable[[object], object]:
    """How a generated value of this field is passed to executemany: prepared by the field itself."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return lambda v: None if v is None else field.get_db_prep_save(datetime.fromtimestamp(v, UTC), connection)
    if kind == "DateField":
        return lambda v: None if v is None else field.get_db_prep_save(date.fromordinal(v), connection)
    return lambda v: field.get_db_prep_save(v, connection)


class _CopyStream:
    """A read-only file over an iterator of COPY lines, for psycopg2's copy_expert."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines

    def read(self, size: int = COPY_CHUNK) -> str:
        parts, length = [], 0
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if length >= size:
                break
        return "".join(parts)


@dataclass
class TableStat:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class Loader:
    """Writes rows into model tables; keeps what it wrote (rows, seconds) for the report."""

    def __init__(self, connection, *, progress: Callable[[str], None] | None = None):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.progress = progress or (lambda line: None)
        self.stats: list[TableStat] = []
        self.steps: list[tuple[str, float]] = []  # work that is not one table's rows: (what, seconds)

    # --- Writing rows -------------------------------------------------------------------------------------

    def write(self, model: type[models.Model], columns: str | Sequence[str], rows: Iterable[tuple]) -> int:
        """Insert the rows (tuples in `columns` order, see the module docstring); returns how many.

        `columns` are field attnames ("client_id"), as a sequence or one space-separated string.

        Concrete fields the generator does not know (a column added after it was written) get
        their model default, so a new NOT NULL field with a default does not break the bench.
        """
        if isinstance(columns, str):
            columns = columns.split()
        fields = [model._meta.get_field(name) for name in columns]
        given = {field.column for field in fields}
        extra = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
        extra_values = tuple(f.get_default() for f in extra)
        table = model._meta.db_table
        started = time.perf_counter()
        if self.postgres:
            count = self._copy(table, fields + extra, rows, extra_values)
        else:
            count = self._insert_many(table, fields + extra, rows, extra_values)
        self._done(table, count, started)
        return count

    def _copy(self, table, fields, rows, extra_values) -> int:
        quote = self.connection.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        converters = [_copy_converter(f) for f in fields]
        n_given = len(fields) - len(extra_values)
        suffix = "".join("\t" + c(v) for c, v in zip(converters[n_given:], extra_values, strict=True))
        converters = converters[:n_given]
        counter = [0]

        def lines() -> Iterator[str]:
            for row in rows:
                counter[0] += 1
                yield "\t".join([c(v) for c, v in zip(converters, row, strict=True)]) + suffix + "\n"

        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, _CopyStream(lines()), size=COPY_CHUNK)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    stream = _CopyStream(lines())
                    while chunk := stream.read():
                        copy.write(chunk)
        return counter[0]

    def _insert_many(self, table, fields, rows, extra_values) -> int:
        quote = self.connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 (names from model metadata)
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        converters = [_python_converter(f, self.connection) for f in fields]
        count, batch = 0, []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append([c(v) for c, v in zip(converters, row + extra_values, strict=True)])
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def _done(self, table: str, count: int, started: float) -> None:
        stat = TableStat(table, count, time.perf_counter() - started)
        self.stats.append(stat)
        self.progress(f"  {table:<36} {count:>10,} rows {stat.seconds:7.1f} s {stat.rows_per_second:>10,.0f} rows/s")

    def execute(self, sql: str, params: Sequence | None = None) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    # --- History ------------------------------------------------------------------------------------------

    def copy_history(self, model: type[models.Model], *, user_column: str | None) -> int:
        """One "created" record per row in the model's django-simple-history table, written by SQL.

        The client page reads these tables; in production every row has at least its creation record.
        """
        history = model.history.model
        base = {f.column for f in model._meta.concrete_fields}
        quote = self.connection.ops.quote_name
        special = {
            "history_date": quote("created_at"),
            "history_type": "'+'",
            "history_user_id": quote(user_column) if user_column else "NULL",
            "history_change_reason": "NULL",
        }
        targets, sources = [], []
        for field in history._meta.concrete_fields:
            if field.primary_key:
                continue
            if field.column in special:
                source = special[field.column]
            elif field.column in base:
                source = quote(field.column)
            else:
                continue  # a history-only column the historical model fills with its default (none today)
            targets.append(quote(field.column))
            sources.append(source)
        started = time.perf_counter()
        count = self.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608 (names from model metadata)
            f"SELECT {', '.join(sources)} FROM {quote(model._meta.db_table)} ORDER BY {quote('id')}"
        )
        self._done(history._meta.db_table, count, started)
        return count

    # --- Schema work around a bulk load (PostgreSQL) ------------------------------------------------------

    @contextmanager
    def deferred_indexes(self, tables: Sequence[str], *, enabled: bool = True):
        """Drop secondary indexes and foreign keys of the tables for the load, then rebuild them.

        Building an index once over a full table is several times faster than updating it row by
        row, and a foreign key added afterwards is checked by one join instead of a trigger per
        row (which would need superuser rights to switch off). Primary keys and unique constraints
        stay: they guard the generator's own ids and numbers. Only on PostgreSQL; elsewhere a no-op.
        Each half is one transaction: a hundred DDL statements, one commit.
        """
        if not (self.postgres and enabled):
            yield
            return
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
                [list(tables)],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [list(tables)],
            )
            indexes = cursor.fetchall()
            quote = self.connection.ops.quote_name
            for table, name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        try:
            yield
        finally:
            started = time.perf_counter()
            with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
                # More memory makes each sort of an index build one pass; the session setting only.
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for _name, definition in indexes:
                    cursor.execute(definition)
                for table, name, definition in foreign_keys:
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
                cursor.execute("RESET maintenance_work_mem")
            what = f"rebuilt {len(indexes)} indexes and {len(foreign_keys)} foreign keys"
            self.steps.append((what, time.perf_counter() - started))
            self.progress(f"  {what} in {self.steps[-1][1]:.1f} s")

    def reset_sequences(self, model_list: Sequence[type[models.Model]]) -> None:
        """Move each id sequence past the ids the generator chose (setval on PostgreSQL)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(model_list))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
