"""Each entity is declared once: read objects, copy functions and file columns derive from the models."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime

import pytest

from amtui import models
from amtui.models.base import table_of
from amtui.services import schemas

# Read object -> (its model, the fields the service adds that are not columns of the model).
READS: dict[type, tuple[type, set[str]]] = {
    schemas.ClientRead: (models.Client, {"cadence_is_default"}),
    schemas.ContactRead: (models.Contact, {"client_name", "phones", "emails"}),
    schemas.ContactMethodRead: (models.ContactMethod, set()),
    schemas.InteractionRead: (models.Interaction, {"client_name", "contact_ids", "contact_names", "has_report"}),
    schemas.NextStepRead: (models.NextStep, set()),
    schemas.TaskRead: (models.Task, {"client_name"}),
    schemas.ContractRead: (models.Contract, {"client_name"}),
    schemas.InvoiceRead: (models.Invoice, {"client_name"}),
    schemas.DealRead: (models.Deal, {"client_name"}),
    schemas.NoteRead: (models.Note, set()),
    schemas.TargetRead: (models.SalesTarget, set()),
    schemas.ComplaintRead: (
        models.complaint.Complaint,
        {"client_name", "contact_name", "contract_number", "invoice_number"},
    ),
}


@pytest.mark.parametrize("read_class", list(READS), ids=lambda cls: cls.__name__)
def test_read_fields_are_the_model_columns(read_class: type) -> None:
    model, added = READS[read_class]
    columns = {column.name for column in table_of(model).columns}
    names = {f.name for f in fields(read_class)}
    assert names - columns == added, "a read field that is neither a column nor added by the service"
    assert added.isdisjoint(columns)


def test_read_of_copies_every_column_and_takes_the_added_ones() -> None:
    made = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    deal = models.Deal(
        id=7, client_id=3, title="Поставка «Север»", kind="upsell", stage="proposal", amount_minor=12_345_00,
        currency="RUB", probability=40, expected_close=date(2026, 12, 20), created_at=made, updated_at=made,
    )  # fmt: skip
    read = schemas.read_of(schemas.DealRead, deal, client_name="ООО «Ромашка»")
    assert read == schemas.DealRead(
        id=7, client_id=3, client_name="ООО «Ромашка»", title="Поставка «Север»", kind="upsell", stage="proposal",
        amount_minor=12_345_00, currency="RUB", probability=40, expected_close=date(2026, 12, 20), closed_on=None,
    )  # fmt: skip
    with pytest.raises(AttributeError):
        schemas.read_of(schemas.DealRead, deal)  # client_name is not a column: the service must add it


def test_file_fields_are_declared_once_per_kind() -> None:
    from sqlmodel import SQLModel

    from amtui.formats import exporters, importer
    from amtui.formats.mapping import ENTITIES, FIELDS
    from amtui.vocabulary import RECORD_KINDS

    assert tuple(ENTITIES) == RECORD_KINDS
    for kind, entity in ENTITIES.items():
        columns = set(SQLModel.metadata.tables[entity.table].columns.keys())
        for entry in entity.fields:
            assert entry.column is None or entry.column in columns, (kind, entry.name)
        names = [entry.name for entry in entity.fields]
        assert set(entity.required) <= set(names) and (entity.match_on is None or entity.match_on in columns)
        # The import's parsers, header keys and date fields and the export's columns all come from it.
        assert list(FIELDS[kind]) == names
        assert set(importer.SPECS[kind]) | set(importer.DATE_FIELDS[kind]) <= set(names)
        assert kind in exporters.ROWS
    assert importer.SPECS["clients"]["credit_limit"][0] == "credit_limit_minor"
    assert importer.DATE_FIELDS["invoices"] == {"issued_on": "issued_on", "due_on": "due_on", "paid_on": "paid_on"}


def test_an_export_writes_the_declared_fields_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv
    from zoneinfo import ZoneInfo

    from sqlmodel import Session

    from amtui.db import make_engine, upgrade
    from amtui.formats.exporters import export
    from amtui.formats.mapping import ENTITIES
    from amtui.services import clients, records

    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    upgrade(engine)
    zone = ZoneInfo("Europe/Moscow")
    now = datetime(2026, 12, 1, 16, 40, tzinfo=UTC)
    with Session(engine) as session:
        client = clients.create_client(session=session, name="ООО «Ромашка»", tax_id="7707083893")
        records.create_deal(session=session, client_id=client.id, title="Поставка", amount_minor=150_000_50)
        session.commit()
        out = tmp_path / "deals.csv"
        assert export(session=session, kind="deals", file_format="csv", output=out, zone=zone, now=now) == 1
    header, row = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert header == [entry.name for entry in ENTITIES["deals"].fields if entry.value.export]
    written = dict(zip(header, row, strict=True))
    assert written["client"] == "ООО «Ромашка»" and written["client_tax_id"] == "7707083893"
    assert written["amount"] == "150000.50" and written["stage"] == "lead"
