"""`python -m hims.dbcheck`: does the PostgreSQL server of DATABASE_URL answer?

Used by `make test` before the suite runs, so that a missing server gets a clear message
instead of a page of tracebacks. Creates the named database when the server answers but the
database does not exist yet (`manage.py makemigrations --check` connects to it).
"""

import os
import sys

import environ
import psycopg
from psycopg import sql


def main() -> int:
    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    params = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
    }
    conninfo = psycopg.conninfo.make_conninfo(
        dbname="postgres", connect_timeout=5, **{k: v for k, v in params.items() if v}
    )
    try:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            name = config["NAME"]
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
