"""Where story photos and signed consent forms live: a private folder under MEDIA_ROOT.

Nothing here has a public URL. Files are handed out only by the views in ``impact.views``
after checking the reader's scope, or publication and consent for the public.
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
