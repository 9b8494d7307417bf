"""scaffold: generate FastAPI backends the way a careful engineer writes them."""

__all__ = ["__version__"]

#: The single source of the version: the build reads it from here.
__version__ = "0.2.0"
