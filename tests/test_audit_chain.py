"""The audit log is a hash chain (``sop_portal.audit``): each entry carries the hash of the one
before it, and ``manage.py verify_audit_chain`` reports the first changed or removed row."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from agencies.models import Agency
from sop_portal.audit import GENESIS, record, verify_chain
from sop_portal.models import AuditEntry
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list) -> None:
    """A change made behind the portal's back, as someone with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain(dishub, ani) -> list[AuditEntry]:
    return [
        record("agencies.agency.renamed", dishub, actor=ani, reason="Nama baru", after={"n": 1}),
        record(
            "agencies.agency.checked",
            dishub,
            after={"on": dt.date(2026, 12, 2), "fee": Decimal("150000.00"), "list": [1, "a"]},
        ),
        record("agencies.agency.closed", dishub, actor=ani, reason="Ditutup"),
    ]


def test_each_entry_carries_the_hash_of_the_one_before(chain):
    first, second, third = chain

    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    report = verify_chain()
    assert (report.entries, report.head, report.broken) == (3, third.hash, None)


def test_the_verifier_says_the_chain_is_intact(chain, capsys):
    call_command("verify_audit_chain")

    assert f"3 entries, head {chain[-1].hash}" in capsys.readouterr().out


def test_a_reason_changed_with_a_raw_update_is_reported(chain):
    _raw("UPDATE sop_portal_auditentry SET reason = %s WHERE id = %s", ["Salah ketik", chain[1].pk])

    with pytest.raises(CommandError) as refused:
        call_command("verify_audit_chain")

    assert f"entry #{chain[1].pk} " in str(refused.value)
    assert "changed" in str(refused.value)


def test_a_changed_json_value_is_reported(chain):
    _raw(
        "UPDATE sop_portal_auditentry SET after = %s::jsonb WHERE id = %s",
        ['{"n": 2}', chain[0].pk],
    )

    assert verify_chain().broken.entry_id == chain[0].pk


def test_a_removed_row_is_reported_at_the_row_after_it(chain):
    _raw("DELETE FROM sop_portal_auditentry WHERE id = %s", [chain[1].pk])

    broken = verify_chain().broken

    assert (broken.entry_id, broken.problem) == (chain[2].pk, "predecessor")


def test_a_row_rewritten_with_a_fresh_hash_still_breaks_the_next_link(chain):
    from sop_portal.audit import HASHED_FIELDS, entry_hash

    forged = AuditEntry.objects.values(*HASHED_FIELDS).get(pk=chain[0].pk)
    forged["reason"] = "Tidak pernah terjadi"
    _raw(
        "UPDATE sop_portal_auditentry SET reason = %s, hash = %s WHERE id = %s",
        [forged["reason"], entry_hash(forged, GENESIS), chain[0].pk],
    )

    broken = verify_chain().broken

    assert (broken.entry_id, broken.problem) == (chain[1].pk, "predecessor")


def test_another_actor_put_on_an_entry_is_reported(chain):
    mallory = UserFactory(email="mallory@contoh.id")
    _raw("UPDATE sop_portal_auditentry SET actor_id = %s WHERE id = %s", [mallory.pk, chain[0].pk])

    assert verify_chain().broken.problem == "actor"


def test_deleting_an_account_keeps_the_chain_and_who_acted(chain, ani):
    ani_id = ani.pk
    ani.delete()

    assert verify_chain().broken is None
    assert AuditEntry.objects.get(pk=chain[0].pk).actor_key == ani_id


def test_entries_removed_from_the_end_are_found_with_the_noted_head(chain):
    head = chain[-1].hash
    _raw("DELETE FROM sop_portal_auditentry WHERE id = %s", [chain[-1].pk])
    call_command("verify_audit_chain")  # the rest of the chain still holds

    with pytest.raises(CommandError, match="head hash"):
        call_command("verify_audit_chain", "--head", head)


def test_an_empty_log_is_an_intact_chain():
    assert verify_chain().broken is None
    assert verify_chain().head == GENESIS


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_chain_onto_the_same_entry():
    agency = AgencyFactory(code="UJI")
    start = threading.Barrier(4)
    errors = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                target = Agency.objects.get(pk=agency.pk)
                record("agencies.agency.touched", target, reason=f"{n}{i}")
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    previous = list(AuditEntry.objects.order_by("id").values_list("previous_hash", flat=True))
    assert len(previous) == 20
    assert len(set(previous)) == 20  # no two entries share a predecessor
    assert verify_chain().broken is None
