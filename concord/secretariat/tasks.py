"""The names under which jobs queued before the reporting moved to ``concord.reporting`` find their tasks.

A queued task is stored by its dotted path (``Job.task_path``, for a retry, and the queue's own row):
``concord.secretariat.tasks.build_dossier`` must still lead to the task, wherever its code now lives.
"""

from concord.reporting.tasks import build_dossier, send_reminders_task

__all__ = ["build_dossier", "send_reminders_task"]
