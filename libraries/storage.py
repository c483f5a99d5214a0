"""A private folder under MEDIA_ROOT for files that carry personal data.

Attendance sheets carry names and signatures; photos show people; agreements are signed. Nothing
here has a public URL: files are handed out only by views that first check the reader's scope
(for example ``reporting:evidence-file``).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        # Follows MEDIA_ROOT when it changes (tests), like the default storage does.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()
