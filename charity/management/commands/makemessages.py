"""makemessages that also extracts `_t(...)`: modules that translate at run time (the Excel
exports, written in the job's language) import `gettext as _t` beside `gettext_lazy as _`.
Without this their labels never reached the catalogue and stayed English in Arabic workbooks."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
