def test_home_page_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "招聘会" in response.get_data(as_text=True)
