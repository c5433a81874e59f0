from django.urls import reverse

from training.models import Topic

TOPICS = reverse("training:topics")


def test_project_staff_extend_the_list_of_topics(client_for, project_staff):
    response = client_for(project_staff).post(
        TOPICS, {"name": "Digitalisierung der Ausländerbehörde"}, follow=True
    )

    assert Topic.objects.filter(name="Digitalisierung der Ausländerbehörde").exists()
    assert "Das Thema „Digitalisierung der Ausländerbehörde“ wurde hinzugefügt." in response.text


def test_project_staff_get_a_german_error_for_a_topic_that_exists(client_for, project_staff):
    Topic.objects.get_or_create(name="Aufenthaltsrecht")

    response = client_for(project_staff).post(TOPICS, {"name": "Aufenthaltsrecht"})

    assert response.status_code == 200
    assert "Dieses Thema gibt es bereits." in response.text
    assert Topic.objects.filter(name="Aufenthaltsrecht").count() == 1


def test_nobody_else_manages_topics(client_for, member, coordinator, funder):
    for user in (member, coordinator, funder):
        assert client_for(user).post(TOPICS, {"name": "Neu"}).status_code == 403
    assert not Topic.objects.filter(name="Neu").exists()
