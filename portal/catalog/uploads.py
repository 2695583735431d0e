"""Uploads streamed to a temporary file, hashed on the way and refused past the size limit.

The limit is checked twice: against the request's Content-Length before reading anything, and
against the bytes actually received, so a lying client cannot store more than allowed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils.translation import gettext as _

TOO_LARGE = "portal_upload_too_large"


class HashingUploadHandler(TemporaryFileUploadHandler):
    too_large = False

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int,  # noqa: N803
                         boundary: Any, encoding: str | None = None) -> None:
        # Only remember the verdict here: refusing now would drop the form's other fields, the
        # CSRF token first, and Django's parser does not expect StopUpload at this point (it
        # would become a 500). `new_file` refuses before the first byte of a file is kept.
        self.too_large = content_length > settings.MAX_UPLOAD_SIZE + 64 * 1024

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.too_large:
            self._refuse()
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_SIZE:
            self.file.close()  # deletes the temporary file
            self._refuse()
        self.digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> TemporaryUploadedFile:
        uploaded = super().file_complete(file_size)
        assert isinstance(uploaded, TemporaryUploadedFile)
        uploaded.sha256 = self.digest.hexdigest()  # type: ignore[attr-defined]
        return uploaded

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE, True)
        # Drain the rest without storing it, so that the browser receives our error page.
        raise StopUpload(connection_reset=False)


def upload_was_too_large(request: Any) -> bool:
    return bool(getattr(request, TOO_LARGE, False))


def unreadable_form_message() -> str:
    """Why Django's parser refused a multipart form, said so that an editor can act: it
    refuses a part whose headers pass 1,024 bytes, which a file name of a few hundred
    characters does (a Vietnamese letter takes up to 3 bytes). Every door says the same."""
    return _("The form could not be read. Most often the file name is too long: the headers of "
             "each part of a form may hold at most 1,024 bytes (about 300 letters of a "
             "Vietnamese file name). Shorten the file name and send the file again.")
