"""Evidence and export files encrypted at rest, so a copied disk or backup does not expose them.

Fernet (the `cryptography` package: AES-128-CBC with an HMAC-SHA256) encrypts each file as a whole
when it is saved and decrypts it when it is opened; the keys come from the environment, never the
disk the files sit on. Several keys may be given (newest first): files are written with the first
and read with any, so a key can be rotated without rewriting every file at once.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


class FileCannotBeDecrypted(Exception):
    """The file was written with a key the portal no longer holds, or was changed on disk."""


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._keys = keys

    @property
    def fernet(self):
        from cryptography.fernet import Fernet, MultiFernet

        keys = self._keys if self._keys is not None else settings.FILE_ENCRYPTION_KEYS
        if not keys:
            raise ImproperlyConfigured(
                "FILE_ENCRYPTION_KEYS is empty: set FILE_ENCRYPTION_KEY in the environment."
            )
        return MultiFernet([Fernet(k) for k in keys])

    def _save(self, name, content):
        content.seek(0)
        sealed = self.fernet.encrypt(content.read())
        return super()._save(name, ContentFile(sealed))

    def _open(self, name, mode="rb"):
        from cryptography.fernet import InvalidToken

        with super()._open(name, "rb") as stored:
            data = stored.read()
        try:
            plain = self.fernet.decrypt(data)
        except InvalidToken as error:
            raise FileCannotBeDecrypted(
                f"{name} cannot be decrypted with the keys this portal holds."
            ) from error
        return ContentFile(plain, name=name)

    def size(self, name):
        return len(self._open(name).read())
