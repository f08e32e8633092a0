"""Every fair page and list offers 订阅 (webcal + https) and 下载 .ics."""

from __future__ import annotations


def test_fair_page_has_subscribe_and_download(client, make_fair):
    fair = make_fair(status="scheduled")
    page = client.get(f"/fairs/{fair.id}").get_data(as_text=True)
    assert f"/feeds/fair/{fair.id}.ics" in page
    assert f"webcal://recruit.test/feeds/u/{fair.university.code}/special.ics" in page
    assert (
        f"https://recruit.test/feeds/u/{fair.university.code}/special.ics" in page
        or f"http://recruit.test/feeds/u/{fair.university.code}/special.ics" in page
    )
    assert "订阅" in page


def test_fair_list_subscribes_to_the_filtered_feed(client, make_fair):
    fair = make_fair(status="scheduled")
    code = fair.university.code
    page = client.get("/fairs/").get_data(as_text=True)
    assert "webcal://recruit.test/feeds/fairs.ics" in page
    page = client.get(f"/fairs/?university={code}").get_data(as_text=True)
    assert f"webcal://recruit.test/feeds/u/{code}.ics" in page
    page = client.get(f"/fairs/?university={code}&kind=large").get_data(as_text=True)
    assert f"webcal://recruit.test/feeds/u/{code}/large.ics" in page
