"""Tests of the resource endpoints, one module per resource."""
