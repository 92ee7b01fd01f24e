"""The job pipeline: run_job composes converters, analysis, adaptation and writers."""
