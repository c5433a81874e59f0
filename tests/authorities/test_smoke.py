def test_member_sees_own_authority(client_for, member, mainz):
    response = client_for(member).get(f"/behoerden/{mainz.pk}/")
    assert response.status_code == 200
    assert "Stadt Mainz" in response.text
