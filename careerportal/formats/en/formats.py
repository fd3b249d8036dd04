"""How pages, the admin included, print dates and times: as the site writes them ("30 November
2026", "30 November 2026, 21:49"), not as Django's English formats do ("Nov. 30, 2026, 9:49
p.m.", and "11/30/2026", which most of the world reads as a day that does not exist).

Django reads these (FORMAT_MODULE_PATH) before its own English ones, even with USE_I18N off:
LANGUAGE_CODE picks the module, and settings.DATE_FORMAT alone is never reached. The input
formats are not set here, so what a form accepts stays as it was (careerportal/dates.py).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
