"""The certifications admin, one module a section:

career              the career form with its certification roadmap (how the roadmap gets
                    there without `careers` importing `certifications`: its docstring)
learner_rows        a page that learners track cannot be deleted
providers           the provider list and form
certification_form  the certification form's checks (loops, exam codes)
certification       the certification list and form
roadmap_steps       a roadmap step on its own page, and the list of them
learners            learners' rows, read-only for staff
accounts            the user admin

Django's admin autodiscovery imports this package: the imports below register the lists.
"""

from certifications.admin import (  # noqa: F401
    accounts,
    career,
    certification,
    learners,
    providers,
    roadmap_steps,
)
