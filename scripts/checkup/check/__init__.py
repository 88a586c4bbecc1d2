"""Check: JSON Schemas, references, meaning and frozen published editions."""
