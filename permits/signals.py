"""Signals other apps listen to, so ``permits`` never imports them (``feedback`` invites the
applicant to the satisfaction survey when their application is finished)."""

from django.dispatch import Signal

#: Sent after the commit that closed an application at the end of its SOP (issued permit or
#: rejection letter handed over). ``sender``: the Application class; ``application``; ``by``.
application_finished = Signal()
