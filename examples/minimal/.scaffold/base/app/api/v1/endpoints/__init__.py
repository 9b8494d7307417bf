"""One router module per resource, included by ``app.api.v1.router``."""
