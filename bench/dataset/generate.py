"""Run the generator steps in dependency order on one connection; return the rows per table."""

import random

from sqlalchemy.engine import Engine

from bench.dataset import Sizes
from bench.dataset.actors import insert_actors
from bench.dataset.applications import insert_applications
from bench.dataset.bulk import reset_sequences, tune_for_loading
from bench.dataset.events import insert_events
from bench.dataset.registry import insert_registry
from bench.dataset.work import insert_work
from bench.dataset.world import Reference, World
from certtrack.extensions import db

STEPS = (insert_actors, insert_applications, insert_work, insert_registry, insert_events)


def generate(engine: Engine, sizes: Sizes, seed: int) -> dict[str, int]:
    """Fill a migrated database holding only the reference data; return the rows per table."""
    with engine.connect() as conn:
        tune_for_loading(conn)
        world = World(conn, sizes, random.Random(seed), Reference.load(conn))
        for step in STEPS:
            step(world)
        reset_sequences(conn, db.metadata.sorted_tables)
        conn.commit()
    gather_statistics(engine)
    return world.counts


def gather_statistics(engine: Engine) -> None:
    """The planner's statistics and, on PostgreSQL, the visibility map that index-only scans
    need (counts read only the index once a page is marked all-visible): what autovacuum leaves
    after a bulk load. VACUUM cannot run inside a transaction."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                             else "ANALYZE")
