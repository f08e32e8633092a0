"""Domain events. Services send them inside their transaction; other domains listen.

Every handler runs in the sender's transaction: it may add rows (notifications, cache
marks) but must not commit. Work that must wait for the commit (e-mail) is queued with
an ``after_commit`` hook by the listener.

- ``fair_changed``: sender is the :class:`~recruit.fairs.models.Fair`; keyword ``change``
  is one of ``created``, ``updated``, ``published``, ``rescheduled``, ``moved`` (venue or
  link), ``cancelled``, ``held``, ``registration`` (a booth request changed; the booth request itself
  as ``registration=`` when the sender knows it). Listeners accept ``**extra``.
- ``posting_changed``: sender is the :class:`~recruit.employers.models.Posting`; ``change`` is
  ``created``, ``updated``, ``closed``.
- ``intention_changed``: sender is the :class:`~recruit.graduates.models.Intention`.
- ``employer_changed``: sender is the :class:`~recruit.employers.models.Employer` (approval).
"""
from blinker import Namespace

_signals = Namespace()

fair_changed = _signals.signal("fair-changed")
posting_changed = _signals.signal("posting-changed")
intention_changed = _signals.signal("intention-changed")
employer_changed = _signals.signal("employer-changed")
