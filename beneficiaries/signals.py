"""Signals other apps listen to, connected from their AppConfig.ready() (so beneficiaries never
imports them)."""

from django.dispatch import Signal

# A document was stored on a file (upload_document), inside the upload's transaction: a response
# to whatever waits for documents (an SC-6 freeze, eligibility's receiver). Arguments: file_id,
# document, by, now.
document_handed_in = Signal()
