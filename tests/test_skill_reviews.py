"""Skill reviews: a lead scores an interaction on the skills of domain.md section 6;
the agent sees their own reviews; nobody else's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from interactions import selectors, services
from interactions.models import Skill, SkillReview


def url(item):
    return reverse("interactions:skill-review", args=[item.pk])


def test_lead_reviews_an_interaction(client, lead, interaction):
    client.force_login(lead)
    response = client.post(
        url(interaction), {"empathy": "4", "listening": "5", "comment": "Good summary at the end"}
    )
    assert response.status_code == 302
    review = SkillReview.objects.get()
    assert (review.empathy, review.listening, review.patience) == (4, 5, None)
    assert review.agent == interaction.agent and review.reviewer == lead


def test_saving_again_updates_the_same_review(lead, interaction):
    services.skill_review_save(interaction=interaction, reviewer=lead, data={"respect": 3})
    services.skill_review_save(interaction=interaction, reviewer=lead, data={"respect": 5})
    assert SkillReview.objects.get().respect == 5


def test_out_of_range_score_is_a_form_error_not_a_500(client, lead, interaction):
    client.force_login(lead)
    response = client.post(url(interaction), {"empathy": "9"})
    assert response.status_code == 200
    assert "Scores are from 1 to 5." in response.content.decode()
    assert not SkillReview.objects.exists()


def test_an_empty_review_is_refused(client, lead, interaction):
    client.force_login(lead)
    response = client.post(url(interaction), {"comment": "  "})
    assert response.status_code == 200
    assert "Score at least one skill" in response.content.decode()
    with pytest.raises(ValidationError):
        services.skill_review_save(interaction=interaction, reviewer=lead, data={})


@pytest.mark.parametrize("who, status", [("agent", 403), ("lead", 200), ("admin_user", 200)])
def test_only_leads_and_admins_review(client, request, interaction, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(interaction)).status_code == status


def test_an_agent_cannot_review_through_the_service(agent, interaction):
    with pytest.raises(PermissionDenied):
        services.skill_review_save(interaction=interaction, reviewer=agent, data={"respect": 5})


def test_review_of_a_missing_interaction_is_404(client, lead):
    client.force_login(lead)
    assert client.get(reverse("interactions:skill-review", args=[999999])).status_code == 404


def test_the_agent_sees_their_own_reviews_and_other_agents_do_not(
    agent, other_agent, lead, interaction
):
    services.skill_review_save(interaction=interaction, reviewer=lead, data={"patience": 4})
    assert len(selectors.reviews_for(interaction=interaction, user=agent)) == 1
    assert len(selectors.reviews_for(interaction=interaction, user=lead)) == 1
    assert selectors.reviews_for(interaction=interaction, user=other_agent) == []
    assert len(selectors.reviews_of_agent(agent=agent)) == 1
    assert selectors.reviews_of_agent(agent=other_agent) == []


def test_every_skill_of_the_guide_is_scored():
    assert len(Skill.values) == 10
    assert {"empathy", "patience", "listening", "positive_language"} <= set(Skill.values)


def test_reviews_show_on_the_interaction_and_my_page_to_the_agent_only(
    client, agent, other_agent, lead, interaction
):
    services.skill_review_save(
        interaction=interaction, reviewer=lead, data={"empathy": 5, "comment": "Warm and clear"}
    )
    client.force_login(agent)
    assert "Warm and clear" in client.get(interaction.get_absolute_url()).content.decode()
    assert "Warm and clear" in client.get(reverse("interactions:me")).content.decode()
    client.force_login(other_agent)
    assert "Warm and clear" not in client.get(interaction.get_absolute_url()).content.decode()
    client.force_login(lead)
    page = client.get(interaction.get_absolute_url()).content.decode()
    assert "Warm and clear" in page and "Review this interaction" in page
