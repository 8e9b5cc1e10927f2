"""Which rows of a countermeasures-for-problem query an answer may quote as evidence."""

from iei_kg.query.ask import MIN_RELEVANCE, SIMILARITY_MIN_RELEVANCE, _relevant


def row(relevance, method="scheme", quote="Schools should sign cooperation agreements."):
    return {"quote": quote, "relevance": relevance, "method": method}


def test_a_quote_must_speak_to_the_asked_problem():
    assert _relevant(row(MIN_RELEVANCE + 0.01))
    assert not _relevant(row(MIN_RELEVANCE - 0.01))


def test_links_found_by_similarity_alone_need_closer_quotes():
    between = (MIN_RELEVANCE + SIMILARITY_MIN_RELEVANCE) / 2
    assert _relevant(row(between, "explicit"))
    assert not _relevant(row(between, "similarity"))
    assert _relevant(row(SIMILARITY_MIN_RELEVANCE, "similarity"))


def test_mirrored_sections_are_the_author_s_own_pairing():
    assert _relevant(row(0.1, "section"))


def test_rows_of_other_queries_are_kept():
    assert _relevant({"quote": "Enterprises lack motivation.", "confidence": 0.2})
    assert _relevant({"quote": None, "relevance": 0.0})
