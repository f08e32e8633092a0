"""What a new user reads on the sign-up and menu pages is true (issue 14, items 7 and 8)."""

from __future__ import annotations

import re

from recruit.validation import is_valid_credit_code


def test_example_credit_code_passes_its_own_check(client):
    page = client.get("/register/employer").get_data(as_text=True)
    examples = re.findall(r"\b[0-9A-HJ-NPQRTUWXY]{18}\b", page)
    assert examples, "the page shows no example code"
    assert all(is_valid_credit_code(code) for code in examples), examples


def test_saved_items_are_in_the_graduates_menu(client, auth, make_user):
    auth.login(make_user("graduate"))
    page = client.get("/dashboard").get_data(as_text=True)
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/graduates/me/saved"' in nav and "我的收藏" in nav
