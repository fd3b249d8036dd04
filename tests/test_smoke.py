def test_health_endpoint_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_published_career_page_shows_its_roadmap(client, career_with_roadmap):
    response = client.get(career_with_roadmap.get_absolute_url())
    assert response.status_code == 200
    step = career_with_roadmap.roadmap_steps.first()
    assert step.certification.name in response.content.decode()


def test_no_template_has_a_comment_django_would_print():
    # {# ... #} is a one-line comment: an opening without its close on the same line is sent
    # to the browser as text. Longer notes go in {% comment %}.
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    printed = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*.*"))
        if path.suffix in {".html", ".txt", ".xml"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert printed == []
