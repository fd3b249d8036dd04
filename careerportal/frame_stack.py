"""Each request's Python frames in one stack chunk, instead of a chunk mapped and unmapped
hundreds of times a request.

CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks, each mapped with mmap when a call
does not fit the current one and unmapped as soon as the call at its base returns. A call
depth that keeps crossing the same boundary maps and unmaps a chunk every time: a template's
loops and includes cross one hundreds of times a page. The fix (CPython gh-142183: keep
one spare chunk) is in 3.13 and 3.14 releases from March 2026, not in 3.11 or 3.12.

Measured under gunicorn (one worker, one connection, the benchmark's data), page faults a
request before and after (nearly all of the first figures a chunk mapped and unmapped):
career page 399 -> 6 (its system time 2.7 -> 0.2 ms of about 9 ms of CPU; the worker served
1.4-1.8x the requests a second), a learner's career page 428 -> 6, search 334 -> 6,
dashboard 160 -> 5, the admin's career form 1,121 -> 273 and its career list 1,532 -> 111.
"""

# A frame of more slots than a 16 KiB chunk holds (2,048 pointers) never fits the chunk in
# use, so CPython maps it a chunk of its own: 16 KiB doubled until it holds the frame and
# 1,000 slots more, 128 KiB for this one. Its stack slots are never written, so the frame
# costs no memory. The 72 KiB left above it hold a page's frames, so the request maps one
# chunk and unmaps it when it returns. (The admin's career form keeps 273 faults: malloc maps
# its 200 KB page's buffers on each request. A 256 KiB chunk left it at 272.)
RESERVED_SLOTS = 7_200


def in_a_chunk_of_its_own(app):
    """Wrap the WSGI `app` so that each request runs above one stack chunk of its own (or any
    callable, each call: the benchmark renders its in-process pages so, as gunicorn does)."""

    def application(*args, **kwargs):
        return app(*args, **kwargs)

    # The interpreter sizes a frame by the code's declared stack, which may exceed the most
    # the code uses; no other Python changes with it.
    application.__code__ = application.__code__.replace(co_stacksize=RESERVED_SLOTS)
    application.__wrapped__ = app
    return application
