"""The bench's own PostgreSQL database: created when missing, recreated when asked (or when it holds
another data set), and labelled with a comment saying which data set it holds, so that a second
`make bench` only measures again instead of spending minutes generating the same rows.
"""

import json
from dataclasses import dataclass

import environ
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://crm:crm@127.0.0.1:5432/crm_bench"


def default_url(scale: float) -> str:
    """The full-size data set lives in crm_bench; a quick run at another scale gets a database of
    its own (crm_bench_0_01), so it never throws away the minutes spent generating the full one."""
    return DEFAULT_URL if scale == 1 else DEFAULT_URL + "_" + f"{scale:g}".replace(".", "_")


@dataclass
class Target:
    url: str
    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def from_url(cls, url: str) -> "Target":
        config = environ.Env.db_url_config(url)
        if "postgresql" not in config["ENGINE"]:
            raise SystemExit(f"The bench runs on PostgreSQL only; DATABASE_URL is {config['ENGINE']}.")
        return cls(
            url,
            config["NAME"],
            config.get("USER") or "",
            config.get("PASSWORD") or "",
            config.get("HOST") or "",
            str(config.get("PORT") or ""),
        )

    def _server(self):
        """A connection to the server's maintenance database, where databases are created and dropped."""
        connection = psycopg2.connect(
            dbname="postgres", user=self.user, password=self.password, host=self.host, port=self.port
        )
        connection.autocommit = True
        return connection

    def _query(self, statement, params=()) -> list[tuple]:
        # Not `with connection:`, which opens a transaction even in autocommit (psycopg2 2.9),
        # and CREATE/DROP DATABASE refuse to run inside one.
        connection = self._server()
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def exists(self) -> bool:
        return bool(self._query("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def create(self) -> None:
        self._query(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        self._query(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))

    def read_label(self) -> dict | None:
        """What the database holds, as the last complete generation wrote it; None when unknown."""
        rows = self._query(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [self.name]
        )
        try:
            label = json.loads(rows[0][0]) if rows and rows[0][0] else None
        except ValueError:
            return None
        return label if isinstance(label, dict) and "bench" in label else None

    def write_label(self, label: dict) -> None:
        """Written only after a complete generation: an interrupted one leaves no label and is redone."""
        self._query(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(self.name), sql.Literal(json.dumps(label)))
        )

    def prepare(self, *, fresh: bool, wanted: dict, say) -> dict | None:
        """Make the database ready; returns the stored label when its data set can be measured as it is."""
        if self.exists():
            label = self.read_label()
            same = label is not None and all(label.get(key) == value for key, value in wanted.items())
            if same and not fresh:
                say(f"Reusing the data set in {self.name} (generated {label.get('generated_at', '?')}).")
                return label
            reason = "BENCH_FRESH" if fresh else ("another data set" if label else "no complete data set")
            say(f"Recreating {self.name} ({reason}).")
            self.drop()
        else:
            say(f"Creating {self.name}.")
        self.create()
        return None
