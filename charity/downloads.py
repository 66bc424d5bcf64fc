"""Private files (documents, complaint attachments, exports) sent to the one who may have them.

One way for every download view: the file is opened first, so a file gone from the disk (or
destroyed by the retention policy) is a 404 and is not logged as downloaded; then the access
is logged (RT-6, CP-8, PDPL) and the file streamed as an attachment that browsers and proxies
neither cache nor sniff into another type."""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, Http404


def private_download(field_file, *, filename: str, content_type: str,
                     log: Callable[[], object] | None = None) -> FileResponse:
    """Stream `field_file` (a FieldFile) as `filename`; call `log()` once it is known to exist."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if log is not None:
        log()
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
