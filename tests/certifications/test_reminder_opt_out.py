"""A learner stops reminder e-mails: from the link in each one, from the mail client's own
"Unsubscribe" button (List-Unsubscribe, RFC 8058), or in account settings."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from certifications.models import LearnerProfile
from certifications.reminders import reminders_send
from tests.certifications.test_reminders import TODAY, booked, confirm
from tests.email_parts import read_html

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def learner(learner):
    confirm(learner)
    return learner


def reminder_for(learner, days_ahead=7):
    booked(learner, days_ahead)
    mail.outbox.clear()
    reminders_send(today=TODAY)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def stop_link(message) -> str:
    (line,) = [line for line in message.body.splitlines() if line.startswith("To stop reminder")]
    return LINK.search(line).group()


def path_of(url: str) -> str:
    assert url.startswith(settings.SITE_URL + "/"), url
    return url.removeprefix(settings.SITE_URL)


def test_a_reminder_says_how_to_stop_them_and_the_link_asks_before_it_stops(learner):
    message = reminder_for(learner)
    url = stop_link(message)
    visitor = Client()  # read on a phone, signed out

    page = visitor.get(path_of(url))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Stop reminder e-mails" in text and "l•••@example.com" in text
    # Opening the link (a link scanner, a preview) changes nothing: a reminder still comes.
    assert reminder_for(learner, days_ahead=6).to == ["learner@example.com"]

    done = visitor.post(path_of(url))

    assert done.status_code == 200
    assert "Reminder e-mails are off" in done.content.decode()
    booked(learner, 5)
    mail.outbox.clear()
    assert reminders_send(today=TODAY) == (0, 0)
    assert mail.outbox == []


def test_the_mail_clients_unsubscribe_button_stops_them_in_one_click(learner):
    message = reminder_for(learner)

    assert message.extra_headers["List-Unsubscribe"] == f"<{stop_link(message)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()
    # Gmail's one-click POST: no cookie, no CSRF token, the body RFC 8058 prescribes.
    mail_provider = Client(enforce_csrf_checks=True)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = mail_provider.post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert LearnerProfile.objects.get(user=learner).reminder_emails is False


def test_the_html_part_offers_the_same_stop_link_as_the_text_and_the_header(learner):
    message = reminder_for(learner)

    reader = read_html(message)

    assert stop_link(message) in reader.hrefs
    assert message.message()["List-Unsubscribe"] == f"<{stop_link(message)}>"
    assert "To stop reminder e-mails: stop them here" in " ".join("".join(reader.text).split())


def test_a_stop_link_stops_only_its_own_learners_reminders(learner, other_learner):
    confirm(other_learner)
    message = reminder_for(learner)
    booked(other_learner, 7)

    Client().post(path_of(stop_link(message)))
    mail.outbox.clear()
    reminders_send(today=TODAY)

    assert [m.to for m in mail.outbox] == [["other@example.com"]]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_damaged_stop_link_changes_nothing_and_says_what_to_do(learner, method):
    url = stop_link(reminder_for(learner))

    response = getattr(Client(), method)(path_of(url)[:-6] + "xx/")

    assert response.status_code == 400
    text = response.content.decode()
    assert "This link does not work" in text
    assert reverse("account-settings") in text
    assert not LearnerProfile.objects.filter(user=learner, reminder_emails=False).exists()


def test_the_learner_switches_reminders_off_and_on_in_account_settings(client_as_learner, learner):
    page = client_as_learner.get(reverse("account-settings")).content.decode()
    assert re.search(r'<input type="checkbox" name="reminder_emails"[^>]* checked', page)

    client_as_learner.post(reverse("account-settings"), {"time_zone": ""})
    booked(learner, 7)
    assert reminders_send(today=TODAY) == (0, 0)

    client_as_learner.post(reverse("account-settings"), {"reminder_emails": "on"})
    assert reminders_send(today=TODAY) == (1, 0)


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("learner@example.com", "l•••@example.com"),
        ("x@example.org", "x•••@example.org"),  # as many dots: the length is not told
        ("émilie.dupont+cp@exemple.fr", "é•••@exemple.fr"),
    ],
)
def test_whoever_holds_the_stop_link_sees_the_address_masked(learner, address, shown):
    learner.email = address
    learner.save(update_fields=["email"])
    learner.emailaddress_set.update(email=address)
    url = path_of(stop_link(reminder_for(learner)))
    hidden = address.partition("@")[0][1:]  # the name after its first letter

    for page in (Client().get(url), Client().post(url)):  # asking, then stopped
        text = page.content.decode()
        assert page.status_code == 200 and shown in text
        assert address not in text
        assert len(hidden) < 3 or hidden not in text


def test_the_stop_page_costs_one_query(learner, django_assert_num_queries):
    url = path_of(stop_link(reminder_for(learner)))
    client = Client()
    # 1: the user the signed link names (no session, no profile: nothing is read until POST).
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_every_link_in_a_reminder_is_on_site_url_and_opens(learner):
    message = reminder_for(learner)
    visitor = Client()

    links = LINK.findall(message.body)

    assert len(links) == 4  # the certification, the dashboard, stop, settings
    for url in links:
        response = visitor.get(path_of(url))
        # The dashboard and settings send a signed-out reader to sign in, then back.
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login") + "?next=")
        else:
            assert response.status_code == 200, url


def test_the_dashboard_stops_asking_to_confirm_for_reminders_once_they_are_off(client, learner):
    confirm(learner, verified=False)
    client.force_login(learner)
    assert "only to a confirmed address" in client.get(reverse("dashboard")).content.decode()

    LearnerProfile.objects.create(user=learner, reminder_emails=False)

    assert "only to a confirmed address" not in client.get(reverse("dashboard")).content.decode()


def test_the_stop_page_sends_no_referer_path_that_would_carry_its_link_to_proxy_logs(learner):
    # Its stylesheet and scripts are asked for from the site itself, whose policy sends the
    # whole address as the Referer: proxies write that to their access logs in full.
    url = stop_link(reminder_for(learner))
    forged = reverse("reminders-stop", kwargs={"token": "not-a-real-token"})
    for path, status in ((path_of(url), 200), (forged, 400)):
        response = Client().get(path)
        assert response.status_code == status
        assert response.headers["Referrer-Policy"] == "strict-origin"
    assert Client().get("/").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_one_click_unsubscribe_naming_another_character_set_still_stops_them(learner):
    # Its body is never read, so the character set it names cannot matter.
    message = reminder_for(learner)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded; charset=ISO-8859-1",
    )

    assert response.status_code == 200
    assert LearnerProfile.objects.get(user=learner).reminder_emails is False
