"""A certification's exam code shows once beside its name, not again when the name holds it."""

import re

from django.urls import reverse

from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

CODE_TAG = r'<span class="(?:cp-code[^"]*|exam-code)">{}</span>'


def test_a_name_that_holds_its_exam_code_is_not_followed_by_it_again(client, db):
    cka = CertificationFactory(
        name="Certified Kubernetes Administrator (CKA)", exam_code="CKA", slug="cka"
    )
    terraform = CertificationFactory(name="Terraform Associate", exam_code="004", slug="tf")
    platform, cloud = CareerFactory(slug="platform"), CareerFactory(slug="cloud")
    for career in (platform, cloud):
        RoadmapStepFactory(career=career, certification=cka, position=1)
        RoadmapStepFactory(career=career, certification=terraform, position=2)
    pages = {
        "certification page": cka.get_absolute_url(),
        "career page": platform.get_absolute_url(),
        "search": reverse("search") + "?q=kubernetes",
        "certification comparison": reverse("certifications:compare")
        + "?certifications=cka&certifications=tf",
        "career comparison": reverse("careers:compare") + "?careers=platform&careers=cloud",
    }
    for page, url in pages.items():
        html = client.get(url).content.decode()
        assert "Certified Kubernetes Administrator (CKA)" in html, page
        assert not re.search(CODE_TAG.format("CKA"), html), page
        if page != "certification page" and page != "search":
            assert re.search(CODE_TAG.format("004"), html), page  # a code the name lacks
