"""The invoice as a PDF (reportlab), rendered on demand from the stored invoice and order.

The same invoice always gives the same bytes (reportlab's invariant mode), so it need not be
stored. When the seller's IBAN is configured the PDF carries the Finnish virtual bank barcode
(pankkiviivakoodi, version 4: IBAN, amount, reference number, due date) in digits and as Code 128.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from tila.core.finnish import format_reference, rf_reference
from tila.payments.mail import seller
from tila.payments.models import Invoice
from tila.payments.money import cents, format_euros
from tila.payments.selectors import vat_breakdown

LEFT = 20 * mm
RIGHT = A4[0] - 20 * mm


def virtual_barcode(*, iban: str, amount: Decimal, reference: str, due: dt.date | None) -> str:
    """The 54-digit Finnish virtual bank barcode, version 4 (national reference number).

    Raises ValueError for a non-Finnish IBAN or a reference longer than 20 digits."""
    compact = iban.replace(" ", "").upper()
    if not compact.startswith("FI") or len(compact) != 18 or not compact[2:].isdigit():
        raise ValueError("A Finnish IBAN (FI + 16 digits) is needed for the bank barcode.")
    digits = reference.replace(" ", "")
    if not digits.isdigit() or len(digits) > 20:
        raise ValueError("The reference must be at most 20 digits.")
    value = cents(amount)
    euros, cents_part = (int(value), int((value * 100) % 100)) if value < Decimal("1000000") else (0, 0)
    due_text = due.strftime("%y%m%d") if due is not None else "000000"
    return f"4{compact[2:]}{euros:06d}{cents_part:02d}000{digits:0>20}{due_text}"


def _date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _header(pdf: canvas.Canvas, invoice: Invoice, seller_info: dict[str, str]) -> float:
    y = A4[1] - 25 * mm
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(LEFT, y, seller_info["name"])
    pdf.setFont("Helvetica", 9)
    rows = [seller_info["address"]]
    if seller_info["business_id"]:
        rows.append(_("Business ID %(id)s") % {"id": seller_info["business_id"]})
    for text in filter(None, rows):
        y -= 12
        pdf.drawString(LEFT, y, text)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawRightString(RIGHT, A4[1] - 25 * mm, _("INVOICE"))
    facts = [
        (_("Invoice number"), invoice.number),
        (_("Date of invoice"), _date(invoice.issued_on)),
        (_("Due date"), _date(invoice.due_on)),
        (_("Reference number"), format_reference(invoice.reference)),
        (_("RF reference"), rf_reference(invoice.reference)),
    ]
    pdf.setFont("Helvetica", 9)
    fy = A4[1] - 35 * mm
    for label, value in facts:
        pdf.drawString(RIGHT - 80 * mm, fy, label)
        pdf.drawRightString(RIGHT, fy, value)
        fy -= 12
    return min(y, fy) - 18


def _customer(pdf: canvas.Canvas, invoice: Invoice, y: float) -> float:
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(LEFT, y, invoice.organisation_name)
    pdf.setFont("Helvetica", 10)
    rows = invoice.billing_address.splitlines()
    if invoice.business_id:
        rows.append(_("Business ID %(id)s") % {"id": invoice.business_id})
    if invoice.contact_name:
        rows.append(invoice.contact_name)
    for row in rows:
        y -= 13
        pdf.drawString(LEFT, y, row[:90])
    return y - 24


NUMBERS = (LEFT + 105 * mm, LEFT + 125 * mm, LEFT + 140 * mm, LEFT + 155 * mm, RIGHT)  # right edges


def _lines(pdf: canvas.Canvas, invoice: Invoice, y: float, language: str) -> float:
    heads = (_("Description"), _("Quantity"), _("Unit price"), _("VAT %"), _("VAT"), _("Total"))
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(LEFT, y, heads[0])
    for x, text in zip(NUMBERS, heads[1:], strict=True):
        pdf.drawRightString(x, y, text)
    pdf.line(LEFT, y - 4, RIGHT, y - 4)
    pdf.setFont("Helvetica", 9)
    for line in invoice.order.lines.all():
        y -= 14
        values = (
            f"{line.quantity.normalize():f}",
            format_euros(line.unit_price, language),
            f"{line.vat_percentage.normalize():f}",
            format_euros(line.vat, language),
            format_euros(line.total, language),
        )
        pdf.drawString(LEFT, y, line.description[:48])
        for x, text in zip(NUMBERS, values, strict=True):
            pdf.drawRightString(x, y, text)
    return y - 24


def _totals(pdf: canvas.Canvas, invoice: Invoice, y: float, language: str) -> float:
    pdf.setFont("Helvetica", 9)
    for row in vat_breakdown(invoice.order.lines.all()):
        text = _("VAT %(rate)s %%: without VAT %(net)s, VAT %(vat)s") % {
            "rate": f"{row.percentage.normalize():f}",
            "net": format_euros(row.net, language),
            "vat": format_euros(row.vat, language),
        }
        pdf.drawRightString(RIGHT, y, text)
        y -= 12
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawRightString(
        RIGHT, y - 6, _("Total due %(amount)s") % {"amount": format_euros(invoice.order.total, language)}
    )
    return y - 40


def _payment_slip(pdf: canvas.Canvas, invoice: Invoice, y: float, seller_info: dict[str, str], language: str) -> None:
    pdf.setFont("Helvetica", 9)
    rows = [
        (_("Recipient"), seller_info["name"]),
        (_("Account (IBAN)"), seller_info["iban"]),
        (_("BIC"), seller_info["bic"]),
        (_("Reference number"), format_reference(invoice.reference)),
        (_("Due date"), _date(invoice.due_on)),
        (_("Amount"), format_euros(invoice.order.total, language)),
    ]
    for label, value in rows:
        if value:
            pdf.drawString(LEFT, y, label)
            pdf.drawString(LEFT + 45 * mm, y, value)
            y -= 12
    if not seller_info["iban"]:
        return
    code = virtual_barcode(
        iban=seller_info["iban"], amount=invoice.order.total, reference=invoice.reference, due=invoice.due_on
    )
    pdf.drawString(LEFT, y - 4, _("Virtual bank barcode"))
    pdf.drawString(LEFT + 45 * mm, y - 4, code)
    code128.Code128(code, barHeight=13 * mm, barWidth=0.24 * mm).drawOn(pdf, LEFT, y - 22 * mm)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice PDF in the order's language."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    language = invoice.order.language
    info = seller()
    with translation.override(language):
        pdf.setTitle(f"{_('Invoice')} {invoice.number}")
        pdf.setAuthor(info["name"])
        y = _header(pdf, invoice, info)
        y = _customer(pdf, invoice, y)
        y = _lines(pdf, invoice, y, language)
        y = _totals(pdf, invoice, y, language)
        _payment_slip(pdf, invoice, y, info, language)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
