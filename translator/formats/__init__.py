"""File format adapters, one module per format."""
