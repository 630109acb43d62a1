"""Order documents: only real PDFs, images and office files within the size limit are kept, and removed cleanly."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from core.exceptions import ApplicationError
from orders.models import AttachmentKind, OrderAttachment
from orders.services.attachments import add_attachment, delete_attachment
from tests.factories.orders import make_order

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# The 8-byte signature and the IHDR chunk of a 1×1 PNG.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
TEXT = b"Just some plain text, not a PDF at all.\n"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFUSED = (
    "This kind of file cannot be attached. Allowed: PDF, images and office documents "
    "(doc, docx, gif, jpeg, jpg, ods, odt, pdf, png, ppt, pptx, webp, xls, xlsx)."
)


def zipped(*members: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


# filetype 1.2.0 knows an OOXML file by "[Content_Types].xml" as the first ZIP member and a
# "word/" member among the next ones; this is the smallest .docx it recognises.
DOCX = zipped(
    (
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    (
        "word/document.xml",
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    ),
)
PLAIN_ZIP = zipped(("notes.txt", "hello"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def upload(name: str, content: bytes, claimed: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=claimed)


@pytest.fixture
def order(org):
    return make_order(actor=org.manager, client=org.client)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("contract.pdf", PDF, "application/pdf"),
        ("SCAN.PDF", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("terms.docx", DOCX, DOCX_TYPE),
    ],
)
def test_real_document_is_kept_with_its_sniffed_content_type(org, order, media, name, content, content_type):
    attachment = add_attachment(
        actor=org.manager,
        order=order,
        uploaded=upload(name, content, claimed="text/plain"),  # what the browser claims is not trusted
        kind=AttachmentKind.CONTRACT,
    )

    attachment = OrderAttachment.objects.get(pk=attachment.pk)
    assert (attachment.order, attachment.kind, attachment.original_name) == (order, "contract", name)
    assert (attachment.content_type, attachment.size, attachment.uploaded_by) == (
        content_type,
        len(content),
        org.manager,
    )
    assert attachment.file.name.startswith("orders/")
    assert name not in attachment.file.name  # a random name on disk
    assert stored_files(media) == [media / attachment.file.name]
    assert (media / attachment.file.name).read_bytes() == content


def test_directories_in_the_uploaded_name_are_dropped(org, order, media):
    attachment = add_attachment(actor=org.manager, order=order, uploaded=upload("../../etc/invoice.pdf", PDF))

    assert attachment.original_name == "invoice.pdf"
    assert stored_files(media) == [media / attachment.file.name]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("page.html", HTML),
        ("picture.png", PDF),  # a PDF renamed .png
        ("invoice.pdf", TEXT),  # a text file renamed .pdf
        ("invoice.pdf", EXE),  # a program renamed .pdf
        ("terms.docx", PLAIN_ZIP),  # any ZIP renamed .docx
        ("notes.txt", TEXT),
        ("no-extension", PDF),
    ],
)
def test_disallowed_or_disguised_file_is_refused_and_nothing_is_stored(org, order, media, name, content):
    with pytest.raises(ApplicationError) as error:
        add_attachment(actor=org.manager, order=order, uploaded=upload(name, content))

    assert (error.value.message, error.value.field) == (REFUSED, "file")
    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


def test_file_over_the_limit_is_refused_naming_the_limit(org, order, media, settings):
    settings.ORDER_ATTACHMENT_MAX_BYTES = 100
    content = PDF + b"%" * (101 - len(PDF))

    with pytest.raises(ApplicationError) as error:
        add_attachment(actor=org.manager, order=order, uploaded=upload("big.pdf", content))

    assert (error.value.message, error.value.field) == (
        "The file is too big (101\xa0bytes). The limit is 100\xa0bytes.",
        "file",
    )
    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


def test_file_exactly_at_the_limit_is_kept(org, order, settings):
    settings.ORDER_ATTACHMENT_MAX_BYTES = 100
    content = PDF + b"%" * (100 - len(PDF))

    attachment = add_attachment(actor=org.manager, order=order, uploaded=upload("edge.pdf", content))

    assert attachment.size == 100


def test_empty_file_is_refused(org, order, media):
    with pytest.raises(ApplicationError) as error:
        add_attachment(actor=org.manager, order=order, uploaded=upload("empty.pdf", b""))

    assert (error.value.message, error.value.field) == ("The file is empty.", "file")
    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


def test_unknown_kind_is_refused(org, order, media):
    with pytest.raises(ApplicationError) as error:
        add_attachment(actor=org.manager, order=order, uploaded=upload("a.pdf", PDF), kind="receipt")

    assert (error.value.message, error.value.field) == ("Choose what kind of document this is.", "kind")
    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_user_who_may_not_edit_the_order_cannot_attach(org, order, media, who):
    with pytest.raises(ApplicationError) as error:
        add_attachment(actor=getattr(org, who), order=order, uploaded=upload("a.pdf", PDF))

    assert error.value.message == "You can view this order but not change it."
    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


def test_file_is_removed_again_when_its_row_cannot_be_saved(org, order, media):
    with (
        mock.patch.object(OrderAttachment, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        add_attachment(actor=org.manager, order=order, uploaded=upload("a.pdf", PDF))

    assert not OrderAttachment.objects.exists()
    assert stored_files(media) == []


def test_deleting_removes_the_row_and_then_the_file_after_commit(org, order, media, django_capture_on_commit_callbacks):
    attachment = add_attachment(actor=org.manager, order=order, uploaded=upload("a.pdf", PDF))
    path = media / attachment.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_attachment(actor=org.manager, attachment=attachment)
    assert not OrderAttachment.objects.exists()
    assert path.exists()  # a rollback would still find its file

    for callback in callbacks:
        callback()
    assert stored_files(media) == []


def test_user_who_may_not_edit_the_order_cannot_delete_its_documents(
    org, order, media, django_capture_on_commit_callbacks
):
    attachment = add_attachment(actor=org.manager, order=order, uploaded=upload("a.pdf", PDF))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError) as error:
        delete_attachment(actor=org.teammate, attachment=attachment)

    assert error.value.message == "You can view this order but not change it."
    assert OrderAttachment.objects.get() == attachment
    assert stored_files(media) == [media / attachment.file.name]
