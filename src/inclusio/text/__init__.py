"""Language-level text utilities shared by analysis, adaptation and speech (no model, no I/O)."""
