"""City check-up results: validate the data, assess them and build the public site."""

__version__ = "0.1.0"
