"""Background jobs: run by the arq worker (:mod:`app.jobs.worker`) from Redis."""
