"""The page frame (menu, language list, shortcuts) is drawn once per language, role and
page and reused: it must still follow each of those."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from interactions.templatetags import emotioncare

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_frames():
    emotioncare._FRAMES.clear()
    yield
    emotioncare._FRAMES.clear()


def nav_of(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="mainnav"')
    return html[start : html.index("</nav>", start)]


def test_an_agent_does_not_get_the_menu_drawn_for_a_lead(client, agent, lead):
    client.force_login(lead)
    assert "/dashboard/" in nav_of(client.get(reverse("interactions:home")))
    client.force_login(agent)
    nav = nav_of(client.get(reverse("interactions:home")))
    assert "/dashboard/" not in nav
    assert reverse("interactions:team-care") not in nav


def test_the_current_entry_follows_the_page(client, agent):
    client.force_login(agent)
    home = nav_of(client.get(reverse("interactions:home")))
    assert f'href="{reverse("interactions:home")}" aria-current="page"' in home
    listing = nav_of(client.get(reverse("interactions:list")))
    assert f'href="{reverse("interactions:list")}" aria-current="page"' in listing
    assert f'href="{reverse("interactions:home")}" aria-current' not in listing
    me = nav_of(client.get(reverse("interactions:me")))
    assert f'href="{reverse("interactions:me")}" aria-current="page"' in me


def test_the_frame_follows_the_language(client, agent):
    client.force_login(agent)
    english = client.get(reverse("interactions:home")).content.decode()
    assert ">Interactions <kbd>g i</kbd>" in english
    assert "Go to the log form" in english
    assert '<option value="en" selected>' in english
    client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    korean = client.get(reverse("interactions:home")).content.decode()
    assert "Go to the log form" not in korean
    assert ">Interactions <kbd>" not in korean
    assert '<option value="ko" selected>' in korean


def test_staff_see_the_admin_link_and_others_do_not(client, agent, admin_user):
    client.force_login(admin_user)
    assert reverse("admin:index") in nav_of(client.get(reverse("interactions:home")))
    client.force_login(agent)
    assert reverse("admin:index") not in nav_of(client.get(reverse("interactions:home")))


def test_a_frame_is_drawn_once_and_reused(client, agent):
    client.force_login(agent)
    client.get(reverse("interactions:home"))
    assert {key[0] for key in emotioncare._FRAMES} == {"nav", "languages", "shortcuts"}
    for key in emotioncare._FRAMES:
        emotioncare._FRAMES[key] = mark_safe(f"<i>kept {key[0]}</i>")
    html = client.get(reverse("interactions:home")).content.decode()
    assert "<i>kept nav</i>" in html and "<i>kept shortcuts</i>" in html


@override_settings(DEBUG=True)
def test_with_debug_on_the_frame_is_drawn_every_time(client, agent):
    client.force_login(agent)
    client.get(reverse("interactions:home"))
    for key in emotioncare._FRAMES:
        emotioncare._FRAMES[key] = mark_safe(f"<i>kept {key[0]}</i>")
    html = client.get(reverse("interactions:home")).content.decode()
    assert "<i>kept" not in html
    assert '<nav class="mainnav"' in html
