"""Where uploaded files and stored PDFs live: MEDIA_ROOT, readable by the portal's user and its group
only. Every file is created with mode 0640 and every folder with 0750, whatever the umask of the process
that writes it (gunicorn for uploads, the Celery worker for PDFs); the systemd units add `UMask=0027` for
everything else they write."""

from django.core.files.storage import FileSystemStorage

FILE_MODE = 0o640
DIRECTORY_MODE = 0o750


class PrivateFileStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", DIRECTORY_MODE)
        super().__init__(**kwargs)
