"""Attribution: sieve ``named_nearby`` (invented passages in, speakers out)."""

from attrkit import speakers


def test_an_aside_in_brackets_after_a_quote_does_not_name_the_speaker():
    text = ("Down the long road went the cart. There was nothing else to do, so Nell began "
            "talking again. “Pepper will miss me very much to-night!” (Pepper was the dog.) "
            "“I hope they remember his supper.”\n")
    assert speakers(text) == ["Nell", "Nell"]
