"""A person's rights over their account, from Python through the real library and a real
tandem-server: recovering it onto a new device with the recovery code shown when they joined,
and erasing it, after which their other devices are told and the practitioner's copy goes."""

import asyncio

import pytest

import tandem_ffi as tandem


def run(coroutine):
    return asyncio.run(coroutine)


def test_sam_recovers_his_account_then_erases_it(server, open_store, tmp_path):
    alex = open_store("alex")
    run(alex.enrol(server.url, server.enrol_code("practitioner")))
    sam = open_store("sam")
    sam.add_value(tandem.ValueInput(text="Mornings in the garden", life_area=tandem.LifeArea.HEALTH, importance=7))
    joined = run(sam.join(server.url, run(alex.invite(tandem.InvitationKind.CLIENT)).code))
    code = joined.recovery_code
    assert code, "joining as a new person gives a recovery code"
    run(sam.sync_now())
    run(alex.sync_now())
    journey = sam.identity().journey_id
    assert alex.links()[0].journey_id == journey

    # Every device lost: the code brings the account back onto a new store.
    recovered = run(tandem.recover(str(tmp_path / "new.db"), server.url, code))
    phone = recovered.store
    assert recovered.joined.person_id == sam.identity().person_id
    assert recovered.joined.recovery_code and recovered.joined.recovery_code != code
    run(phone.sync_now())
    assert [v.text for v in phone.journey().values] == ["Mornings in the garden"]
    with pytest.raises(tandem.TandemError.Refused) as lost:
        run(sam.sync_now())
    assert lost.value.reason == tandem.RefusalReason.DEVICE_REMOVED
    with pytest.raises(tandem.TandemError.Refused) as used:
        run(tandem.recover(str(tmp_path / "other.db"), server.url, code))
    assert used.value.reason == tandem.RefusalReason.UNKNOWN_CODE

    # Erasing: the account goes; Alex's device drops Sam's journey on its next sync.
    run(phone.erase_account())
    with pytest.raises(tandem.TandemError.Refused) as erased:
        run(phone.sync_now())
    assert erased.value.reason == tandem.RefusalReason.ACCOUNT_ERASED
    run(alex.sync_now())
    assert alex.links() == []
    with pytest.raises(tandem.TandemError):
        alex.linked_journey(journey).journey()
