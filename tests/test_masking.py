import pytest

from interactions.masking import mask_email, mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("02-123-4567", "02-***-4567"),
        ("", ""),
        ("1234", "****"),
    ],
)
def test_phone_keeps_first_and_last_groups(raw, masked):
    assert mask_phone(raw) == masked


def test_email_keeps_first_letter_and_domain():
    assert mask_email("kim@example.com") == "k***@example.com"
    assert mask_email("") == ""
