"""The pages of activity reporting, one module per topic (see ``urls.py``)."""
