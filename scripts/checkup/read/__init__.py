"""Read: YAML files into located documents, and editions from folders."""
