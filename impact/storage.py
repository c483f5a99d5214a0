"""Where story photos and signed consent forms live: the private storage of ``libraries.storage``.

Nothing here has a public URL. Files are handed out only by the views of ``impact`` (through
``impact.consent_pages`` for signed forms) after checking the reader's scope, or publication
and consent for the public.
"""

from libraries import storage


class PrivateStorage(storage.PrivateStorage):
    """The shared private storage, under the name impact's migrations refer to."""


private_storage = PrivateStorage()
