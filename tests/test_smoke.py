def test_health_endpoint_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_published_career_page_shows_its_roadmap(client, career_with_roadmap):
    response = client.get(career_with_roadmap.get_absolute_url())
    assert response.status_code == 200
    step = career_with_roadmap.roadmap_steps.first()
    assert step.certification.name in response.content.decode()
