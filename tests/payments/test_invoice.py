"""Invoices: the reference number (viitenumero) and its check digit, the due date, the PDF and the
Finnish virtual bank barcode."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.payments.conftest import make_group
from tila.booking.services import reservation_create
from tila.core.finnish import format_reference, is_valid_reference, reference_check_digit, rf_reference
from tila.payments.invoice_pdf import invoice_pdf, virtual_barcode
from tila.payments.models import CustomerGroup, Invoice, UnitProvider
from tila.payments.services import REFERENCE_BASE, InvoiceDetails, checkout_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(f, hall, slot, unit, settings):
    settings.TILA_SELLER_NAME = "Esimerkkikaupunki"
    settings.TILA_SELLER_BUSINESS_ID = "0112038-9"
    settings.TILA_SELLER_IBAN = "FI79 4405 2020 0360 82"
    settings.TILA_SELLER_BIC = "OKOYFIHH"
    UnitProvider.objects.create(unit=unit, provider="invoice")
    company = f.user(email="firma@example.org", preferred_language="en")
    make_group(company, CustomerGroup.COMPANY)
    reservation = reservation_create(actor=company, resource=hall, begin=slot[0], end=slot[1])
    details = InvoiceDetails(
        organisation_name="Firma Oy",
        billing_address="Mannerheimintie 1\n00100 Helsinki",
        business_id="0112038-9",
        contact_name="Maija Meikäläinen",
    )
    checkout_start(actor=company, order=reservation.order, provider_id="invoice", invoice=details)
    return Invoice.objects.get(order=reservation.order)


def test_the_order_reference_is_a_viitenumero_with_its_check_digit(invoice):
    order = invoice.order
    base = str(REFERENCE_BASE + order.pk)
    assert order.reference == f"{base}{reference_check_digit(base)}"
    assert is_valid_reference(order.reference)
    assert not is_valid_reference(order.reference[:-1] + str((int(order.reference[-1]) + 1) % 10))


def test_the_invoice_is_due_in_fourteen_days(invoice, settings):
    assert invoice.due_on - invoice.issued_on == dt.timedelta(days=14)
    assert invoice.number.endswith(f"{invoice.order.pk:06d}")


def test_the_pdf_shows_who_pays_what_by_when_with_which_reference(invoice):
    pdf = invoice_pdf(invoice)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf.decode("latin-1")
    for expected in (
        "INVOICE",
        "Firma Oy",
        "Mannerheimintie 1",
        format_reference(invoice.reference),
        rf_reference(invoice.reference),
        "120.00",  # company price, 2 hours × 60 €
        "Business ID 0112038-9",
        "OKOYFIHH",
        invoice.due_on.strftime("%m/%d/%Y"),
    ):
        assert expected in text, expected


def test_the_same_invoice_gives_the_same_pdf(invoice):
    assert invoice_pdf(invoice) == invoice_pdf(invoice)


def test_the_pdf_is_in_the_customers_language(invoice):
    invoice.order.language = "fi"
    text = invoice_pdf(invoice).decode("latin-1")
    assert f"{invoice.due_on.day}.{invoice.due_on.month}.{invoice.due_on.year}" in text  # Finnish dates
    assert "120,00" in text  # and a decimal comma


def test_the_pdf_carries_the_virtual_bank_barcode(invoice):
    code = virtual_barcode(
        iban="FI79 4405 2020 0360 82", amount=invoice.order.total, reference=invoice.reference, due=invoice.due_on
    )
    assert code.encode() in invoice_pdf(invoice)


def test_virtual_barcode_version_4_matches_the_bank_guide_example():
    code = virtual_barcode(
        iban="FI79 4405 2020 0360 82",
        amount=Decimal("4883.15"),
        reference="86851 62596 19897",
        due=dt.date(2010, 6, 12),
    )
    assert code == "479440520200360820048831500000000868516259619897100612"
    assert len(code) == 54


def test_virtual_barcode_without_due_date_or_with_a_huge_amount_uses_zeros():
    code = virtual_barcode(iban="FI7944052020036082", amount=Decimal("1000000.00"), reference="1232", due=None)
    assert code[17:25] == "00000000" and code.endswith("000000")


@pytest.mark.parametrize("iban", ["SE4550000000058398257466", "FI12", "FI79 4405 2020 0360 8X"])
def test_virtual_barcode_needs_a_finnish_iban(iban):
    with pytest.raises(ValueError, match="IBAN"):
        virtual_barcode(iban=iban, amount=Decimal("1"), reference="1232", due=None)


def test_the_pdf_without_an_iban_has_no_barcode(invoice, settings):
    settings.TILA_SELLER_IBAN = ""
    assert b"Virtual bank barcode" not in invoice_pdf(invoice)
