"""Prometheus metrics: requests by route and status, latency, in-flight requests
and the database connection pool.

Each application has a registry of its own, so that several applications in one
process (as in the tests) never count into each other's metrics.
"""

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool


class HttpMetrics:
    """The request metrics of one application.

    Args:
        registry: The registry the metrics are registered with.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Seconds from receiving a request to its last response byte.",
            ["method", "route"],
            registry=registry,
        )
        self.in_flight = Gauge(
            "http_requests_in_flight",
            "HTTP requests being answered right now.",
            registry=registry,
        )


class PoolCollector(Collector):
    """Reports how many connections the engine's pool holds and lends out.

    Args:
        engine: The engine whose pool is reported.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Read the pool's counters at scrape time."""
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return
        gauges = {
            "db_pool_size": ("Connections the pool keeps open.", pool.size()),
            "db_pool_checked_out": (
                "Connections lent to sessions right now.",
                pool.checkedout(),
            ),
            "db_pool_checked_in": ("Idle connections in the pool.", pool.checkedin()),
            "db_pool_overflow": (
                "Connections open beyond the pool size (negative: room left).",
                pool.overflow(),
            ),
        }
        for name, (documentation, value) in gauges.items():
            yield GaugeMetricFamily(name, documentation, value=value)
