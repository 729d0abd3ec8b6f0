"""The browser workspace and the REST API ``/api/v1``: routes parse, ask ``permissions``, call a service, render."""
