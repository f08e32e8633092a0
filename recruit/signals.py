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
- ``fair_day_checked``: sender is the local :class:`~datetime.date` of a fair being booked;
  each receiver returns a list of warnings (never refusals) about that day. The compliance
  domain answers (public holidays, service seasons), so fairs need not import compliance.
- ``account_mail``: sender is the recipient's e-mail address; keywords ``subject`` and ``body``.
  Account e-mails (password reset, registration links, activation codes) that are not
  notifications; the notifications domain queues them for after the commit, so auth and
  graduates need not import the mail transport.
"""

from blinker import Namespace

_signals = Namespace()

fair_changed = _signals.signal("fair-changed")
posting_changed = _signals.signal("posting-changed")
intention_changed = _signals.signal("intention-changed")
employer_changed = _signals.signal("employer-changed")
fair_day_checked = _signals.signal("fair-day-checked")
account_mail = _signals.signal("account-mail")
