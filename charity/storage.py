"""Where uploads, certificates and exports are written: whole, or not at all.

Django's FileSystemStorage leaves what it had written of a file behind when the write fails
half-way (a full disk): a partial case document that no row names. This storage removes it,
and turns a full disk or quota into StorageFullError, which the error page explains
(charity.views.server_error: «the file could not be saved», status 507), so the member of staff
or the complainant knows that nothing was kept, and the administrators get the error mail.
"""

import contextlib
import errno
import os
import threading

from django.core.files.storage import FileSystemStorage

DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class StorageFullError(OSError):
    """The disk or the quota is full: the file was not kept."""


class UploadStorage(FileSystemStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writing = threading.local()  # the name being written, per thread (one storage serves all)

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length=max_length)
        self._writing.name = name  # _save asks again when the name was taken meanwhile
        return name

    def _save(self, name, content):
        self._writing.name = name
        try:
            return super()._save(name, content)
        except FileExistsError:  # a folder in the way: nothing was written
            raise
        except OSError as exc:
            # The file was created exclusively (O_EXCL) under this name before any byte was
            # written, so what stands there now is this write's partial file.
            self._remove_partial(self._writing.name)
            if exc.errno in DISK_FULL:
                raise StorageFullError(exc.errno, os.strerror(exc.errno)) from exc
            raise

    def _remove_partial(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path(name))
