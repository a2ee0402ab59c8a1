"""The task backend: django-tasks' database backend, writing its task rows with a compiled INSERT.

A priced booking queues the expiry of its payment hold (tila.payments.services), so a task row is on
that booking path (emails are not tasks: the outbox relay sends them); django-tasks writes the row
through `objects.create()`, whose INSERT Django compiles each time. This backend writes the same row
(the same values, the same signals) with `tila.core.db.CompiledInsert`. tests/core/test_tasks.py
compares the two rows column by column, so an upgrade of django-tasks that changes what the row
holds fails there, not in production."""

from __future__ import annotations

from typing import Any

from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json

from tila.core.db import CompiledInsert


class DatabaseBackend(LibraryDatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        """The library's `enqueue`, building the returned TaskResult once (the library builds it
        twice: for the `task_enqueued` signal and for the caller; each build imports the task)."""
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult

        row: Any = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        return CompiledInsert.of(DBTaskResult).insert(row)
