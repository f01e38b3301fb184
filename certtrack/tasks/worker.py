"""`flask worker`: the queue's consumer, running jobs in threads of this application."""

from datetime import timedelta

import click
from flask.cli import with_appcontext

from certtrack.services.transaction import end_session
from certtrack.tasks import huey
from certtrack.tasks.jobs import rescue_certificates


def make_consumer(workers: int = 2, periodic: bool = True):
    """A huey consumer of the configured queue with `workers` threads."""
    return huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                initial_delay=0.1, max_delay=2.0, check_worker_health=True)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
@click.option("--no-periodic", is_flag=True, help="Leave the scheduled jobs to another worker.")
@with_appcontext
def worker_command(workers, no_periodic):
    """Run the task queue's worker: Ctrl+C lets running jobs finish, SIGTERM interrupts them
    (they are queued again). Certificates whose PDF is still missing are queued on start."""
    if huey.immediate:
        raise click.ClickException("TASK_QUEUE_IMMEDIATE is on: jobs run in the web process.")
    queued = rescue_certificates(older_than=timedelta(0))
    # The jobs run in threads with sessions of their own: this one's connection goes back to
    # the pool now, rather than sitting in an open transaction for the worker's life (which a
    # database restart cuts, failing the worker's exit).
    end_session()
    click.echo(f"Worker: {workers} threads; certificates queued again on start: {queued}.")
    make_consumer(workers, periodic=not no_periodic).run()

