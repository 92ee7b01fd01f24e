"""Reports for the institution (issue #15): source accessibility, readability and service, by course and month.

* :mod:`.facts`: what the reports count, written when a job is recorded and when a file is downloaded;
* :mod:`.queries`: the aggregate SQL (SQLite and PostgreSQL alike);
* :mod:`.privacy`: the small-cell rule ("< 5", complementary cells, rounding);
* :mod:`.build`: a report's tables and charts (:mod:`.charts`, SVG) in the reader's language;
* :mod:`.export`: a table as CSV;
* :mod:`.access`: who sees which report, and the audit log of every view and export.

The pages are :mod:`inclusio.web.reports`, the API :mod:`inclusio.api.routes.reports`; docs/reports.md.
"""
