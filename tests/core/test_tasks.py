"""tila.core.tasks.DatabaseBackend writes the row django-tasks' own backend writes, with a compiled INSERT."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend as LibraryBackend
from django_tasks_db.models import DBTaskResult

from tila.core.tasks import DatabaseBackend
from tila.notifications.tasks import send_email

pytestmark = pytest.mark.django_db

VARYING = {"id", "enqueued_at"}


def _row(pk):
    obj = DBTaskResult.objects.get(pk=pk)
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("later", [False, True])
def test_the_row_is_the_one_the_library_writes(later):
    task = send_email.using(run_after=timezone.now() + dt.timedelta(minutes=5)) if later else send_email
    ours = task_backends["default"]
    assert isinstance(ours, DatabaseBackend)
    library = LibraryBackend(alias="default", params={"QUEUES": ["default"]})

    mine = ours.enqueue(task, (42,), {})
    theirs = library.enqueue(task, (42,), {})

    a, b = _row(mine.id), _row(theirs.id)
    assert {k: v for k, v in a.items() if k not in VARYING} == {k: v for k, v in b.items() if k not in VARYING}
    assert a["args_kwargs"] == {"args": [42], "kwargs": {}} and a["status"] == "READY"
    assert abs(a["enqueued_at"] - b["enqueued_at"]) < dt.timedelta(seconds=5)
    assert mine.status == theirs.status and mine.args == theirs.args == [42]
    assert DBTaskResult.objects.ready().filter(pk=mine.id).exists() is not later


def test_enqueue_is_one_statement():
    with CaptureQueriesContext(connection) as queries:
        result = send_email.enqueue(7)
    assert len(queries) == 1 and "INSERT" in queries[0]["sql"].upper()
    assert DBTaskResult.objects.get(pk=result.id).task_path == "tila.notifications.tasks.send_email"


def test_enqueue_returns_what_the_library_returns_and_signals_it_once():
    library = LibraryBackend(alias="default", params={"QUEUES": ["default"]})
    seen = []

    def receiver(sender, task_result, **kwargs):
        seen.append((sender, task_result))

    task_enqueued.connect(receiver)
    try:
        mine = task_backends["default"].enqueue(send_email, (9,), {})
        theirs = library.enqueue(send_email, (9,), {})
    finally:
        task_enqueued.disconnect(receiver)
    assert [s for s, _ in seen] == [DatabaseBackend, LibraryBackend]
    assert seen[0][1].id == mine.id
    for name in ("status", "args", "kwargs", "backend", "started_at", "finished_at", "worker_ids"):
        assert getattr(mine, name) == getattr(theirs, name), name
    assert mine.task.module_path == theirs.task.module_path == "tila.notifications.tasks.send_email"
    assert mine.task.priority == theirs.task.priority and mine.task.queue_name == theirs.task.queue_name
    assert send_email.get_result(mine.id).id == mine.id
