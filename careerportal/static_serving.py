"""whitenoise, also serving a static file collectstatic wrote after the process started."""

import os

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise lists STATIC_ROOT once, at start-up, and answered 404 for any file written
    later. In a rolling upgrade a page from a server already on the new release links the new
    hashed CSS and JavaScript, and the balancer sent half of those requests to a server still on
    the old code, whose collectstatic had written them (measured behind nginx with two app
    servers on one STATIC_ROOT: 5 of 10 requests for the new site.css were 404, an unstyled
    page). A path missing from the list is now looked for on disk once and kept when found; a
    404 costs a few stat() calls. Only STATIC_ROOT is searched, with whitenoise's own checks
    (no path out of it, no compressed copy asked for by name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.looks_on_disk = not self.autorefresh and bool(self.static_root)
        if self.looks_on_disk:
            # find_file() searches self.directories, which whitenoise fills in autorefresh only.
            root = os.path.abspath(self.static_root).rstrip(os.path.sep) + os.path.sep
            self.directories = [(root, self.static_prefix)]

    def __call__(self, request):
        path = request.path_info
        if (
            self.looks_on_disk
            and path not in self.files
            and path.startswith(self.static_prefix)
            and (static_file := self.find_file(path)) is not None
        ):
            self.files[path] = static_file
        return super().__call__(request)
