"""Finnish reference numbers, RF creditor references and business IDs.

Every expected value below is worked out by hand in its comment, so the tests do not just
repeat the code's arithmetic.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tila.core.finnish import (
    business_id_check_digit,
    compact_reference,
    format_reference,
    format_rf_reference,
    is_valid_business_id,
    is_valid_reference,
    is_valid_rf_reference,
    reference_check_digit,
    reference_number,
    rf_reference,
)

# --- reference number (viitenumero) -------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        # 123: weights 7,3,1 from the right: 3*7 + 2*3 + 1*1 = 21 + 6 + 1 = 28; 30 - 28 = 2.
        ("123", "1232"),
        # 122: 2*7 + 2*3 + 1*1 = 14 + 6 + 1 = 21; 30 - 21 = 9.
        ("122", "1229"),
        # 124: 4*7 + 2*3 + 1*1 = 28 + 6 + 1 = 35; 40 - 35 = 5.
        ("124", "1245"),
        # 123456: 6*7 + 5*3 + 4*1 + 3*7 + 2*3 + 1*1 = 42 + 15 + 4 + 21 + 6 + 1 = 89; 90 - 89 = 1.
        ("123456", "12 34561"),
        # 100: 0*7 + 0*3 + 1*1 = 1; 10 - 1 = 9.
        ("100", "1009"),
        # 1000: 0 + 0 + 0 + 1*7 = 7; 10 - 7 = 3.
        ("1000", "10003"),
        # 370: 0*7 + 7*3 + 3*1 = 0 + 21 + 3 = 24; 30 - 24 = 6.
        ("370", "3706"),
        # 505: 5*7 + 0*3 + 5*1 = 40, a multiple of ten: check digit 0.
        ("505", "5050"),
    ],
)
def test_reference_number_appends_the_7_3_1_check_digit(base, expected):
    assert reference_number(base) == expected
    assert reference_number(base, grouped=False) == expected.replace(" ", "")
    assert is_valid_reference(expected)


def test_reference_number_of_nineteen_digits_prints_in_four_groups_of_five():
    # 1111111111111111111 (19 ones): weights from the right 7,3,1 repeat; 19 digits = 6 full
    # rounds (7+3+1 = 11 each, 66) plus one more 7 = 73; 80 - 73 = 7.
    assert reference_number("1" * 19) == "11111 11111 11111 11117"


@pytest.mark.parametrize("base", ["12", "1" * 20, "12a", "", "١٢٣"])
def test_reference_number_refuses_a_malformed_base(base):
    with pytest.raises(ValueError, match="3 to 19 digits"):
        reference_number(base)


def test_reference_input_may_be_grouped():
    assert reference_check_digit("12 3456") == 1
    assert is_valid_reference(" 12 34561 ")
    assert compact_reference("12 34561") == "1234561"


@pytest.mark.parametrize("value", ["1231", "1234560", "123", "1" * 21, "12a2", "", "   ", "1232-"])
def test_invalid_references_are_recognised(value):
    assert not is_valid_reference(value)


@pytest.mark.parametrize(
    ("value", "printed"),
    [("1232", "1232"), ("12345", "12345"), ("123456", "1 23456"), ("1234567890123", "123 45678 90123")],
)
def test_format_reference_groups_fives_from_the_right(value, printed):
    assert format_reference(value) == printed


@given(st.text(alphabet="0123456789", min_size=3, max_size=19))
def test_every_generated_reference_is_valid(base):
    reference = reference_number(base, grouped=False)

    assert reference.startswith(base)
    assert is_valid_reference(reference)
    assert is_valid_reference(reference_number(base))


@given(
    st.text(alphabet="0123456789", min_size=3, max_size=19),
    st.data(),
)
def test_any_single_digit_error_is_detected(base, data):
    # 7, 3 and 1 are all coprime with 10, so changing one digit always changes the sum mod 10.
    reference = reference_number(base, grouped=False)
    position = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != reference[position]]))

    assert not is_valid_reference(reference[:position] + wrong + reference[position + 1 :])


# --- RF creditor reference (ISO 11649) ----------------------------------------------------


def test_rf_reference_of_a_finnish_reference():
    # "1232" + "RF00" -> digits "1232" + R=27, F=15, "00" -> 1232271500.
    # 1232271500 mod 97: 97 * 12703830 = 1232271510 is too big; 97 * 12703829 = 1232271413;
    # 1232271500 - 1232271413 = 87. Check digits 98 - 87 = 11 -> "RF11 1232".
    assert rf_reference("1232") == "RF11 1232"
    assert rf_reference("1232", grouped=False) == "RF111232"


def test_rf_reference_of_the_iso_11649_example():
    # ISO 11649's own example is RF18 5390 0754 7034: moving "RF18" to the end gives
    # 539007547034271518, and a valid reference leaves remainder 1 modulo 97.
    assert rf_reference("539007547034") == "RF18 5390 0754 7034"
    assert is_valid_rf_reference("RF18 5390 0754 7034")
    assert is_valid_rf_reference("rf18539007547034")


@pytest.mark.parametrize(
    "value",
    [
        "RF19 5390 0754 7034",  # wrong check digits
        "RF18 5390 0754 7035",  # changed reference
        "RF18",  # no reference
        "RF18" + "1" * 22,  # longer than 25 characters
        "XX18 5390 0754 7034",
        "RF1A 5390",
        "RF18 5390-0754",
        "",
    ],
)
def test_invalid_rf_references_are_recognised(value):
    assert not is_valid_rf_reference(value)


def test_rf_check_digits_are_between_02_and_98():
    # A body whose remainder is 0 gets "98"; "01" is congruent to it modulo 97 but is not
    # an ISO 11649 check value, so it must not be accepted.
    body = next(str(n) for n in range(1000, 2000) if rf_reference(str(n), grouped=False)[2:4] == "98")

    assert is_valid_rf_reference(f"RF98{body}")
    assert not is_valid_rf_reference(f"RF01{body}")


@pytest.mark.parametrize("reference", ["", "1" * 22, "ÄÖ12", "12-34"])
def test_rf_reference_refuses_what_it_cannot_carry(reference):
    with pytest.raises(ValueError, match="1 to 21"):
        rf_reference(reference)


def test_format_rf_reference_groups_fours_from_the_left():
    assert format_rf_reference("rf18539007547034") == "RF18 5390 0754 7034"


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=21))
def test_every_generated_rf_reference_is_valid(body):
    value = rf_reference(body)

    assert is_valid_rf_reference(value)
    assert value.replace(" ", "").endswith(body)


# --- business ID (Y-tunnus) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        # Nokia Oyj. 0,1,1,2,0,3,8 x 7,9,10,5,8,4,2 = 0+9+10+10+0+12+16 = 57;
        # 57 mod 11 = 2; 11 - 2 = 9.
        "0112038-9",
        # Helsingin kaupunki (City of Helsinki). 0,2,0,1,2,5,6 x 7,9,10,5,8,4,2 =
        # 0+18+0+5+16+20+12 = 71; 71 mod 11 = 5; 11 - 5 = 6.
        "0201256-6",
        # Made up. 1,2,3,4,5,6,7 x weights = 7+18+30+20+40+24+14 = 153; 153 mod 11 = 10; 11 - 10 = 1.
        "1234567-1",
        # Made up, remainder 0. 2,3,4,5,6,7,8 x weights = 14+27+40+25+48+28+16 = 198 = 18 x 11 -> 0.
        "2345678-0",
    ],
)
def test_valid_business_ids(value):
    assert is_valid_business_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "0112038-8",  # Nokia's with a wrong check digit
        "0112039-9",  # a changed digit
        "112038-9",  # six digits: the old short form is written with a leading zero
        "01120389",  # no hyphen
        "0112038–9",  # en dash
        "FI01120389",  # a VAT number, not a business ID
        "０１１２０３８-９",  # full-width digits
        "",
    ],
)
def test_invalid_business_ids(value):
    assert not is_valid_business_id(value)


def test_business_id_with_remainder_one_is_never_valid():
    # 1,1,1,1,1,1,1 x weights = 7+9+10+5+8+4+2 = 45; 45 mod 11 = 1: no check digit exists.
    assert business_id_check_digit("1111111") is None
    assert not any(is_valid_business_id(f"1111111-{d}") for d in range(10))


def test_business_id_check_digit():
    assert business_id_check_digit("0112038") == 9
    assert business_id_check_digit("2345678") == 0
    with pytest.raises(ValueError, match="seven digits"):
        business_id_check_digit("123456")


def test_surrounding_whitespace_is_ignored():
    assert is_valid_business_id(" 0112038-9\n")


@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.data())
def test_business_id_detects_any_single_digit_error(base, data):
    # The weights are all non-zero modulo 11 (a prime), so one changed digit changes the sum.
    check = business_id_check_digit(base)
    if check is None:
        return
    value = f"{base}-{check}"
    assert is_valid_business_id(value)
    position = data.draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8]))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))

    assert not is_valid_business_id(value[:position] + wrong + value[position + 1 :])
