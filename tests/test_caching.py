"""The shared page cache: fast for visitors, fresh after an edit, never shared between people."""

import os
import re
import uuid
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse, set_script_prefix

from careerportal import cache as page_cache
from tests.factories import CareerFactory, CertificationFactory

pytestmark = pytest.mark.django_db


def test_a_repeat_anonymous_visit_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    career = CareerFactory(title="Data Engineer")
    first = client.get(career.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(career.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content.count(b"Data Engineer") == first.content.count(b"Data Engineer") > 0
    assert "Cookie" in second["Vary"]


def test_a_page_served_from_the_cache_gets_a_fresh_nonce_matching_its_header(client):
    # The career page carries JSON-LD with a nonce; a stored copy must not replay the nonce.
    career = CareerFactory()
    first = client.get(career.get_absolute_url())
    second = client.get(career.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    nonces = []
    for response in (first, second):
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_an_editor_saving_a_career_shows_at_once(client):
    career = CareerFactory(title="Data Engineer")
    client.get(reverse("home"))
    client.get(career.get_absolute_url())

    career.title = "Analytics Engineer"
    career.save()

    for url in (reverse("home"), career.get_absolute_url()):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Analytics Engineer" in response.content.decode()


def test_a_deploy_never_replays_a_page_the_replaced_code_rendered(client, monkeypatch):
    """New templates or assets show on the first visit after a restart, not 10 minutes later."""
    career = CareerFactory()
    client.get(career.get_absolute_url())
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"

    monkeypatch.setattr(page_cache, "code_version", lambda: "the-next-release")

    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_code_version_follows_the_templates_content(settings, tmp_path):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    template = tmp_path / "page.html"

    def version_with(text):
        template.write_text(text)
        page_cache.code_version.cache_clear()
        return page_cache.code_version()

    try:
        assert version_with("<p>old</p>") == version_with("<p>old</p>")
        assert version_with("<p>old</p>") != version_with("<p>new</p>")
    finally:
        page_cache.code_version.cache_clear()


def test_unpublishing_a_career_hides_it_at_once(client):
    career = CareerFactory(title="Data Engineer")
    assert client.get(career.get_absolute_url()).status_code == 200
    career.status = career.Status.DRAFT
    career.save()
    assert client.get(career.get_absolute_url()).status_code == 404
    assert "Data Engineer" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("factory", "action", "shows"),
    [
        (CareerFactory, "unpublish", lambda response: response.status_code == 404),
        (CertificationFactory, "back_to_draft", lambda response: response.status_code == 404),
        (
            CertificationFactory,
            "retire",
            lambda response: b"This exam can no longer" in response.content,
        ),
        (  # the factories' date, 1 November 2026, gives way to today's
            CareerFactory,
            "mark_reviewed_today",
            lambda response: b'datetime="2026-11-01"' not in response.content,
        ),
        (  # never checked before
            CertificationFactory,
            "mark_reviewed_today",
            lambda response: b"We checked these facts" in response.content,
        ),
    ],
)
def test_an_editors_list_action_shows_at_once(client_as_staff, factory, action, shows):
    """Publish, unpublish, retire, back-to-draft and "Mark facts as checked today" change rows
    with one UPDATE, which sends no signal; the change must still reach visitors before the
    page lifetime runs out."""
    page = factory()
    visitor = Client()
    visitor.get(page.get_absolute_url())  # stored
    assert visitor.get(page.get_absolute_url())["X-Page-Cache"] == "hit"
    changelist = reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_changelist")
    response = client_as_staff.post(changelist, {"action": action, "_selected_action": [page.pk]})
    assert response.status_code == 302
    assert shows(visitor.get(page.get_absolute_url()))


def test_a_certification_published_from_the_list_joins_the_catalogue_at_once(client_as_staff):
    draft = CertificationFactory(name="Brand New Exam", status="draft")
    visitor = Client()
    catalogue = reverse("certifications:list")
    visitor.get(catalogue)
    assert visitor.get(catalogue)["X-Page-Cache"] == "hit"
    changelist = reverse("admin:certifications_certification_changelist")
    client_as_staff.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert "Brand New Exam" in visitor.get(catalogue).content.decode()


def test_only_changes_visitors_can_see_make_the_cached_pages_stale(learner):
    from careers.models import Career
    from certifications.models import CareerFollow, CertificationProgress

    version = page_cache.content_version().get()
    for model in (type(learner), CertificationProgress, CareerFollow):
        page_cache.content_changed(model)
        assert page_cache.content_version().get() == version, model
    page_cache.content_changed(Career)
    assert page_cache.content_version().get() != version


def test_deleting_a_career_removes_it_at_once(client):
    career = CareerFactory(title="Data Engineer")
    assert "Data Engineer" in client.get(reverse("home")).content.decode()
    career.delete()
    assert "Data Engineer" not in client.get(reverse("home")).content.decode()


def test_signed_in_pages_are_neither_served_from_nor_stored_in_the_shared_cache(client, learner):
    client.get(reverse("home"))  # stores the anonymous page
    client.force_login(learner)

    signed_in = client.get(reverse("home"))
    assert "X-Page-Cache" not in signed_in
    assert "Sign out" in signed_in.content.decode()
    assert "Cookie" in signed_in["Vary"]

    client.logout()
    client.cookies.clear()
    anonymous = client.get(reverse("home"))
    assert anonymous["X-Page-Cache"] == "hit"
    assert "Sign out" not in anonymous.content.decode()


def test_two_learners_never_see_each_others_dashboard(client, learner, other_learner):
    from certifications.models import CareerFollow

    mine, theirs = CareerFactory(title="Cloud Architect"), CareerFactory(title="Game Designer")
    CareerFollow.objects.create(user=learner, career=mine)
    CareerFollow.objects.create(user=other_learner, career=theirs)

    client.force_login(learner)
    first = client.get(reverse("dashboard")).content.decode()
    client.force_login(other_learner)
    second = client.get(reverse("dashboard")).content.decode()

    assert "Cloud Architect" in first and "Game Designer" not in first
    assert "Game Designer" in second and "Cloud Architect" not in second


def test_a_learners_pages_are_kept_by_no_cache_and_no_back_button(client, learner):
    career = CareerFactory()
    anonymous = client.get(career.get_absolute_url())
    assert "private" not in anonymous.get("Cache-Control", "")  # shared by visitors
    client.force_login(learner)
    for url in (reverse("dashboard"), career.get_absolute_url(), reverse("home")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, (url, cache_control)


def test_a_page_with_a_csrf_form_is_never_stored(client):
    # The sign-in page carries a CSRF token; even if it were listed as cacheable it must not
    # be stored, or every visitor would share one token.
    views = page_cache.CACHED_VIEWS | {"account_login"}
    with mock.patch.object(page_cache, "CACHED_VIEWS", views):
        client.get(reverse("account_login"))
        client.cookies.clear()
        response = client.get(reverse("account_login"))
    assert "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_every_html_response_varies_on_cookie(client, learner):
    assert "Cookie" in client.get(reverse("home"))["Vary"]
    assert "Cookie" in client.get(reverse("home"))["Vary"]  # from the cache
    assert "Cookie" in client.get(reverse("account_login"))["Vary"]
    client.force_login(learner)
    assert "Cookie" in client.get(reverse("home"))["Vary"]


def test_learner_progress_does_not_empty_the_page_cache(client, learner):
    from certifications.models import CareerFollow

    career = CareerFactory()
    client.get(career.get_absolute_url())
    CareerFollow.objects.create(user=learner, career=career)
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"


def test_an_edit_made_through_another_worker_shows_at_once(client, settings):
    # Each worker keeps its own copies of pages; a version bumped by another worker (here:
    # written straight to the shared store) must still make this worker render fresh.
    career = CareerFactory(title="Data Engineer")
    client.get(career.get_absolute_url())
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"

    # Another worker: its own version store (file, Redis client, cache), the same version.
    config = settings.CACHES["pages"]
    elsewhere = page_cache._version_for.__wrapped__(
        config["BACKEND"], config.get("LOCATION", ""), config.get("KEY_PREFIX", ""), ()
    )
    elsewhere.bump()

    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_workers_copies_stay_within_their_byte_budget_dropping_the_oldest():
    pages = page_cache.LocalPages(max_bytes=100)
    for n in range(5):
        pages.put(f"page-{n}", "v1", page_cache.StoredPage.from_stored(b"x" * 40, [], ""))
    assert pages.size <= 100
    assert pages.get("page-0", "v1") is None  # the least recently used went first
    assert pages.get("page-4", "v1") is not None
    pages.put("huge", "v1", page_cache.StoredPage.from_stored(b"x" * 101, [], ""))
    assert pages.get("huge", "v1") is None  # bigger than the whole budget: never kept


def test_a_workers_copy_is_not_served_past_the_page_lifetime():
    pages = page_cache.LocalPages(max_bytes=100)
    with mock.patch.object(page_cache.time, "monotonic", return_value=1000.0):
        pages.put("page", "v1", page_cache.StoredPage.from_stored(b"body", [], ""))
    later = 1000.0 + page_cache.PAGE_TTL + 1
    with mock.patch.object(page_cache.time, "monotonic", return_value=later):
        assert pages.get("page", "v1") is None
    assert pages.size == 0


@pytest.fixture
def file_page_cache(settings, tmp_path):
    """The pages cache as `make serve` has it without Redis: files shared by the workers."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "careerportal.cache_backends.ResilientFileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
            "KEY_PREFIX": "test",
        },
    }
    return tmp_path / "pages" / "test.version"


def test_with_the_file_cache_the_version_is_a_file_every_worker_reads(client, file_page_cache):
    career = CareerFactory(title="Data Engineer")
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"
    version = file_page_cache.read_text()
    assert len(version) == 32

    career.title = "Analytics Engineer"
    career.save()

    assert file_page_cache.read_text() != version
    response = client.get(career.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Analytics Engineer" in response.content.decode()


def test_a_bump_by_another_process_is_seen_by_the_next_request(client, file_page_cache):
    career = CareerFactory()
    client.get(career.get_absolute_url())
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "hit"

    # What `manage.py load_demo` or another worker does: its own FileVersion, the same file.
    page_cache.FileVersion(file_page_cache).bump()

    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_missing_or_damaged_version_file_is_replaced_with_a_fresh_version(file_page_cache):
    version = page_cache.FileVersion(file_page_cache)
    first = version.get()  # no file yet: one is made
    assert file_page_cache.read_text() == first
    file_page_cache.write_text("half-written")
    second = version.get()
    assert second != first and len(second) == 32
    assert version.get() == second


def test_a_page_from_the_cache_states_its_length_like_a_rendered_one(client):
    career = CareerFactory()
    first = client.get(career.get_absolute_url())
    second = client.get(career.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert int(second["Content-Length"]) == len(second.content) == len(first.content)
    assert int(first["Content-Length"]) == len(first.content)


def test_a_head_request_never_leaves_an_empty_page_for_the_next_visitor(client):
    url = reverse("careers:list")
    CareerFactory(title="Data Engineer")
    assert client.head(url)["X-Page-Cache"] == "miss"
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert b"Data Engineer" in page.content
    again = client.head(url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == b""
    assert int(again["Content-Length"]) == len(page.content)
    assert b"Data Engineer" in client.get(url).content


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        with redis.Redis.from_url(url, socket_connect_timeout=1) as client:
            client.ping()
    except Exception:
        return None
    return url


needs_redis = pytest.mark.skipif(_redis_url() is None, reason="Redis is not reachable")


def _own_redis_url(settings) -> str:
    """This test worker's own Redis database when the run has one (tests/conftest.py), which
    nothing empties while a test runs; else TEST_REDIS_URL's."""
    config = settings.CACHES["pages"]
    return config["LOCATION"] if config["BACKEND"].endswith("RedisCache") else _redis_url()


def _closed(*versions) -> None:
    """Close what these RedisVersions opened, now: a socket the garbage collector finds open
    later is a ResourceWarning, which fails whichever test is running then."""
    for version in versions:
        version._forget()
        version.client.close()


class SteppedClock:
    """A monotonic clock that moves only when the test says, for RedisVersion(clock=...)."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@needs_redis
def test_with_redis_the_version_is_one_string_every_server_reads(settings):
    key = f"test-{uuid.uuid4().hex}:pages:version"
    url = _own_redis_url(settings)
    here, elsewhere = (page_cache.RedisVersion(url, key, {}) for _ in range(2))
    try:
        first = here.get()  # no key yet: one is made
        assert elsewhere.get() == first
        bumped = elsewhere.bump()
        assert here.get() == bumped != first
        here.client.delete(key)  # evicted (allkeys-lru): a fresh version, never an error
        assert len(here.get()) == 32
    finally:
        here.client.delete(key)
        _closed(here, elsewhere)


@pytest.fixture
def redis_versions(settings):
    """Two servers' views of one version key (here, elsewhere), and GETs counted on `here`."""
    key = f"test-{uuid.uuid4().hex}:pages:version"
    url = _own_redis_url(settings)
    here, elsewhere = (page_cache.RedisVersion(url, key, {}) for _ in range(2))
    here.reads = 0
    read = here.client.get

    def counted(name):
        here.reads += 1
        return read(name)

    here.client.get = counted
    yield here, elsewhere
    del here.client.get  # the counter refers to the client: a cycle only the collector breaks
    here.client.delete(key)
    _closed(here, elsewhere)


@needs_redis
def test_with_redis_a_hit_does_not_ask_redis_for_the_version_until_it_changes(redis_versions):
    here, elsewhere = redis_versions
    # Trusted for a minute, not a second: a loaded machine may take that long for 50 hits.
    here.TRUST_FOR = 60.0
    here.get()  # makes the key, whose creation comes back as a notice
    _notice_arrives(here)
    first = here.get()
    reads = here.reads
    # Redis also notifies every tracking connection when any database is flushed, as the other
    # test worker's cache.clear() does at any moment: each notice may cost one GET, no more.
    notices = []
    receive = here.tracker.read_response
    here.tracker.read_response = lambda **kwargs: notices.append(receive(**kwargs))
    assert [here.get() for _ in range(50)] == [first] * 50
    # 50 hits, no GET but after a notice: the tracking connection was only polled.
    assert here.reads - reads <= len(notices) < 50

    reads = here.reads  # counted afresh: a notice in the 50 hits may have cost one GET above
    bumped = elsewhere.bump()  # an editor's save on another server
    _notice_arrives(here)
    assert here.get() == bumped
    assert here.reads == reads + 1


def _notice_arrives(version) -> None:
    """Wait for Redis's notice of a change to reach the tracking connection: Redis answers the
    write and sends the notice down another socket, which may arrive a moment later (the hit
    in between is served the version it knew, as on any server an instant before the save)."""
    assert version.tracker.can_read(timeout=30)  # a bound for a loaded machine, not a pause


@needs_redis
def test_with_redis_any_change_to_the_version_key_is_noticed(redis_versions):
    here, _elsewhere = redis_versions
    first = here.get()
    here.client.set(here.key, "f" * 32)  # written by hand, say
    assert here.get() == "f" * 32
    here.client.delete(here.key)  # evicted under memory pressure
    third = here.get()
    assert len(third) == 32 and third != "f" * 32 != first


@needs_redis
def test_with_redis_a_dropped_tracking_connection_costs_a_read_never_a_stale_page(
    redis_versions,
):
    here, elsewhere = redis_versions
    here.get()
    here.client.execute_command("CLIENT", "KILL", "ID", _client_id_of(here))
    bumped = elsewhere.bump()  # its notice had nowhere to go
    assert here.get() == bumped
    assert here.get() == bumped
    assert here.tracker is not None  # tracking again from the next read on


def _client_id_of(version) -> int:
    version.tracker.send_command("CLIENT", "ID")
    return version.tracker.read_response()


@needs_redis
def test_with_redis_a_notice_that_never_comes_costs_at_most_trust_for(redis_versions):
    here, elsewhere = redis_versions
    here.clock = clock = SteppedClock()  # a loaded machine's pauses cannot move it
    began = clock.now
    first = here.get()
    here.tracker.send_command("CLIENT", "TRACKING", "OFF")  # the server stops sending notices
    here.tracker.read_response()  # (a notice sent before is read first: none can come after)
    bumped = elsewhere.bump()

    clock.now = began + here.TRUST_FOR / 2
    assert here.get() == first  # the version it knew, trusted: no notice said otherwise
    reads = here.reads
    clock.now = began + here.TRUST_FOR
    assert here.get() == bumped  # no later than TRUST_FOR after it was read
    assert here.reads == reads + 1


@needs_redis
def test_with_redis_a_server_that_refuses_tracking_reads_the_version_on_every_hit(
    redis_versions, monkeypatch
):
    import redis

    here, elsewhere = redis_versions

    def refused(self):
        raise redis.ResponseError("ERR unknown command 'CLIENT'")

    monkeypatch.setattr(page_cache.RedisVersion, "_open_tracker", refused)
    first = here.get()
    reads = here.reads
    assert here.get() == here.get() == first
    assert here.reads == reads + 2
    bumped = elsewhere.bump()
    assert here.get() == bumped


@needs_redis
def test_with_redis_a_forked_worker_tracks_on_its_own_connection(redis_versions):
    # gunicorn forks its workers from a master; a connection inherited from it must not be
    # shared, and the worker must still see a change made after the fork.
    here, elsewhere = redis_versions
    here.get()
    master_tracker = here.tracker
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: reports what it saw, or what went wrong, down the pipe
        report, status = "the worker stopped before it reported", 1
        try:
            os.close(reader)
            seen = [here.get()]
            seen.append(str(here.tracker is not master_tracker))
            seen.append(elsewhere.bump())
            _notice_arrives(here)  # on the worker's own connection, a moment after the write
            seen.append(here.get())
            report, status = " ".join(seen), 0
        except BaseException as error:
            report = f"the worker failed: {error!r}"
        finally:
            os.write(writer, report.encode())
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        report = pipe.read().decode()  # to the end: the worker's write and exit close it
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, report
    before, own_connection, bumped, after = report.split()
    assert own_connection == "True"
    assert after == bumped != before
    _notice_arrives(here)
    assert here.get() == bumped  # the master's own connection still works and was told too
    assert here.tracker is master_tracker


def test_a_page_one_worker_rendered_is_served_by_the_others_without_queries(
    client, django_assert_num_queries
):
    career = CareerFactory(title="Data Engineer")
    assert client.get(career.get_absolute_url())["X-Page-Cache"] == "miss"
    page_cache.local_pages.pages.clear()  # another worker: nothing of its own yet
    page_cache.local_pages.size = 0
    with django_assert_num_queries(0):
        response = client.get(career.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert b"Data Engineer" in response.content
    assert page_cache.local_pages.pages  # and it keeps its own copy from now on


def test_a_request_mounting_the_site_elsewhere_never_replaces_a_page_for_everyone(client):
    """gunicorn takes SCRIPT_NAME from a header that a proxy (Caddy, a load balancer) may pass
    on from the client: /careers/ with `SCRIPT_NAME: /careers` is the home page with its links
    under /careers/careers/, and it was kept as the career list every visitor then got."""
    CareerFactory(title="Data Engineer")
    environ = RequestFactory().get("/", SCRIPT_NAME="/careers").environ  # as gunicorn makes it
    request_started.disconnect(close_old_connections)  # keep the test's database connection
    try:
        body = b"".join(WSGIHandler()(environ, lambda status, headers: None))
    finally:
        request_started.connect(close_old_connections)
        set_script_prefix("/")
    assert b'href="/careers/careers/"' in body  # the home page, mounted under /careers

    page = client.get(reverse("careers:list"))

    assert page.status_code == 200
    assert "<title>Careers · " in page.content.decode()
    assert b'href="/careers/careers/"' not in page.content
