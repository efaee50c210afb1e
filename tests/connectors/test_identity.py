import pytest
from stdnum.cn import ric

from connectors import IdentityHasher, InvalidIdentifier

VALID = "11010519491231002X"  # the standard's own example


def test_id_numbers_are_hashed_and_masked() -> None:
    protected = IdentityHasher("k" * 32).id_number(VALID)
    assert protected.masked == "110105********002X"
    assert len(protected.hash) == 64
    assert VALID not in protected.hash
    assert IdentityHasher("k" * 32).id_number(VALID.lower()).hash == protected.hash


def test_the_hash_depends_on_the_key() -> None:
    assert (
        IdentityHasher("a" * 32).id_number(VALID).hash
        != IdentityHasher("b" * 32).id_number(VALID).hash
    )


@pytest.mark.parametrize(
    "bad", ["110105194912310021", "11010519491231002", "1101051949123100XX", "110105194913310028"]
)
def test_a_wrong_id_number_is_bad_input_and_not_repeated(bad: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        IdentityHasher("k" * 32).id_number(bad)
    assert bad not in str(raised.value)
    assert not ric.is_valid(bad)


def test_phones_are_hashed_and_masked() -> None:
    hasher = IdentityHasher("k" * 32)
    protected = hasher.phone("+86 138-0013-5678")
    assert protected.masked == "138****5678"
    assert protected.hash == hasher.phone("13800135678").hash


@pytest.mark.parametrize("bad", ["12800135678", "1380013567", "x1380013567y"])
def test_a_wrong_phone_is_bad_input_and_not_repeated(bad: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        IdentityHasher("k" * 32).phone(bad)
    assert bad not in str(raised.value)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        IdentityHasher("short")
