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
