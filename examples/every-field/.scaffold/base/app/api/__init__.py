"""HTTP layer: dependencies, operational endpoints and the versioned API."""
