"""Site: render the public results site into generated/ and build it with mkdocs-material."""
