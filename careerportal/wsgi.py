import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from careerportal.frame_stack import in_a_chunk_of_its_own

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerportal.settings")

try:
    application = in_a_chunk_of_its_own(get_wsgi_application())
except ImproperlyConfigured as error:
    # A variable the site cannot use: the settings name it and what it wants, which a 60-line
    # traceback in gunicorn's log only buried (manage.py says it the same way).
    sys.exit(f"CareerPortal cannot start: {error}")
