"""The API's routes, one module per resource.

The shared documents' routes (:mod:`.shares`, a source of jobs) are served with the jobs router, so
the app gets them wherever it includes :mod:`.jobs`; done here, whichever module is imported first.
"""

from inclusio.api.routes import jobs as _jobs
from inclusio.api.routes import shares as _shares

_jobs.router.include_router(_shares.router)
