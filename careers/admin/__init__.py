"""The careers admin, one module a section:

shared         field overrides, names and long texts as pages show them, review dates, slugs,
               and the list columns' helpers (the certifications admin uses them too)
organisations  logos and names: employers, and the certifications app's providers
formsets       how a career's inline rows save (gone rows, typed positions, swaps, repeats)
inlines        the career form's ordered parts: responsibilities, day, FAQs, employers hiring
sections       what a complete career page needs, and what a delete or a move leaves empty
parts          a career's part (a salary figure, a roadmap step) on its own page
salary_forms   a salary figure's form, the career form's inline of them, warnings after a save
career         the career list and form (CareerAdmin)
salaries       the salary figure list: a figure's page, CSV export and import, currency action
employers      the employer list and form
former_slugs   old addresses that redirect

Django's admin autodiscovery imports this package: the imports below register the lists.
"""

from django.contrib import admin

from careers.admin import career, employers, former_slugs, salaries  # noqa: F401

admin.site.site_header = "CareerPortal editing"
admin.site.site_title = "CareerPortal admin"
admin.site.index_title = "Content"
