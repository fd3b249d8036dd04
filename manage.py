#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerportal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reads the variables: a bad one says so here)
    except ImproperlyConfigured as error:
        # The settings name the variable and what it wants; a 50-line traceback before that
        # one line only buried it.
        sys.exit(f"CareerPortal cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
