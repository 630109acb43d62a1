"""Documents attached to an order (contract, invoice, delivery note), checked before they are kept."""

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError

from ..models import AttachmentKind, Order, OrderAttachment
from ..permissions import can_edit_order

# Extension → the content type the file must really have (read from its first bytes, not
# from what the browser claims). Office formats: OOXML, OpenDocument and legacy OLE.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
# filetype names the sniffed kind by its usual extension; these are the same format.
_SAME_FORMAT = {"jpeg": "jpg"}
_OLE = {"doc", "xls", "ppt"}  # one container format: the first bytes cannot tell them apart


def allowed_extensions() -> list[str]:
    return sorted(ALLOWED_TYPES)


def _sniff(uploaded: UploadedFile) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    return kind.extension if kind else None


def check_upload(uploaded: UploadedFile) -> str:
    """The content type to store for an allowed file; ApplicationError for a too big or disallowed one."""
    limit = settings.ORDER_ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ApplicationError(
            _("The file is too big (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            field="file",
        )
    if uploaded.size == 0:
        raise ApplicationError(_("The file is empty."), field="file")
    extension = PurePath(uploaded.name or "").suffix.lower().lstrip(".")
    extension = _SAME_FORMAT.get(extension, extension)
    sniffed = _sniff(uploaded)
    sniffed = _SAME_FORMAT.get(sniffed, sniffed)
    same = sniffed == extension or (extension in _OLE and sniffed in _OLE)
    if extension not in ALLOWED_TYPES or not same:
        raise ApplicationError(
            _("This kind of file cannot be attached. Allowed: PDF, images and office documents (%(types)s).")
            % {"types": ", ".join(allowed_extensions())},
            field="file",
        )
    return ALLOWED_TYPES[extension]


@transaction.atomic
def add_attachment(
    *, actor: User, order: Order, uploaded: UploadedFile, kind: str = AttachmentKind.OTHER
) -> OrderAttachment:
    """Keep a checked document on the order; only those who may edit the order attach files."""
    if not can_edit_order(actor, order):
        raise ApplicationError(_("You can view this order but not change it."))
    if kind not in AttachmentKind.values:
        raise ApplicationError(_("Choose what kind of document this is."), field="kind")
    content_type = check_upload(uploaded)
    name = PurePath(uploaded.name).name[:255]
    attachment = OrderAttachment(
        order=order,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, uploaded, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no row, no file
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, actor: User, attachment: OrderAttachment) -> None:
    """Remove a document from the order and its file from storage (after the commit)."""
    if not can_edit_order(actor, attachment.order):
        raise ApplicationError(_("You can view this order but not change it."))
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
