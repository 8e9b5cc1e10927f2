from iei_kg.extract.relations import AddressLinks


def test_a_stronger_similarity_score_keeps_a_section_link_a_section_link():
    links = AddressLinks()
    links.add("C-joint-training", "P-enterprise-motivation", "section", 0.7)
    links.add("C-joint-training", "P-enterprise-motivation", "similarity", 0.8)
    assert links.links["C-joint-training"]["P-enterprise-motivation"] == ("section", 0.8)


def test_a_more_telling_method_replaces_a_weaker_one_whatever_the_order():
    links = AddressLinks()
    links.add("C-legislation", "P-legal-gap", "similarity", 0.6)
    links.add("C-legislation", "P-legal-gap", "scheme", 0.56)
    links.add("C-legislation", "P-legal-gap", "explicit", 0.5)
    assert links.links["C-legislation"]["P-legal-gap"] == ("explicit", 0.6)
    links.add("C-legislation", "P-unclear-rights-interests", "scheme", 0.57)
    assert links.links["C-legislation"]["P-unclear-rights-interests"] == ("scheme", 0.57)
