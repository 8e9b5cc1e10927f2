import pytest

from iei_kg.extract.linking import ConceptLinker, content_lemmas, stem, stems


@pytest.mark.parametrize("a, b", [
    ("evaluation", "evaluate"),
    ("supervision", "supervise"),
    ("implementation", "implement"),
    ("management", "manage"),
    ("participation", "participate"),
    ("motivation", "motivate"),
    ("cooperation", "cooperate"),
    ("adjustment", "adjust"),
    ("difference", "different"),
])
def test_derivational_variants_share_a_stem(a, b):
    assert stem(a) == stem(b)


def test_short_words_compounds_and_unrelated_words_keep_apart():
    assert stem("form") == "form"  # no stem under four letters
    assert stem("one-way") == "one-way"  # hyphenated compounds are left alone
    assert stem("implement") != stem("simple")
    assert stems({"evaluation", "platform"}) == frozenset({"evalu", "platform"})


@pytest.fixture(scope="module")
def linker():
    from iei_kg.extract.nlp import load_pipeline
    from iei_kg.ontology.scheme import load_scheme

    nlp = load_pipeline(None)
    return ConceptLinker(load_scheme(), nlp, None), nlp


def test_a_verb_matches_the_noun_of_a_label(linker):
    # "supervising the projects" names the label "strengthen supervision" although the lemmas differ
    linker, nlp = linker
    doc = nlp("The administrative department is responsible for supervising and evaluating the projects.")
    scores = dict(zip(linker.ids["countermeasure"], linker.lexical_scores(set(content_lemmas(doc)), "countermeasure")))
    assert max(scores, key=scores.get) == "C-evaluation-supervision"
    assert scores["C-evaluation-supervision"] >= 0.5


def test_a_hyphenated_word_with_a_dropped_part_stays_whole(linker):
    # "one-way cooperation" must not reduce to {"way", "cooperation"} and match "a connecting way ... cooperation"
    _, nlp = linker
    assert content_lemmas(nlp("one-way cooperation")) == {"one-way", "cooperation"}
    assert "way" in content_lemmas(nlp("an important connecting way of school enterprise cooperation"))
    assert content_lemmas(nlp("school-enterprise cooperation")) >= {"school", "enterprise", "cooperation"}


def test_words_for_a_deficit_are_interchangeable():
    assert stems({"inadequate", "mechanism"}) == stems({"imperfect", "mechanism"}) == stems({"lack", "mechanism"})
    assert stems({"inadequate"}) != stems({"low"})  # "low" says how much, not only "too little"


def test_the_deficit_word_a_heading_uses_does_not_pick_the_concept(linker):
    # "Inadequate ... Mechanism" must not match "inadequate understanding of integration" better than
    # "imperfect operation mechanism" only because both say "inadequate"
    linker, nlp = linker
    doc = nlp("Inadequate operation mechanism of industry-education integration")
    scores = dict(zip(linker.ids["problem"], linker.lexical_scores(set(content_lemmas(doc)), "problem")))
    assert scores["P-weak-cooperation-mechanism"] > scores["P-insufficient-awareness"]


def test_a_stakeholder_s_one_word_alt_labels_read_as_its_label(linker):
    # the scheme's S-enterprise lists "company" and "firm": a text that says so matches the labels saying "enterprise"
    linker, nlp = linker
    assert linker.canonical({"company", "firm", "reluctant"}) == {"enterprise", "reluctant"}
    by = {}
    for wording in ("Enterprises are reluctant to cooperate with colleges.", "Companies are reluctant to cooperate with colleges."):
        scores = linker.lexical_scores(set(content_lemmas(nlp(wording))), "problem")
        by[wording.split()[0]] = dict(zip(linker.ids["problem"], scores))
    assert by["Companies"]["P-enterprise-motivation"] == by["Enterprises"]["P-enterprise-motivation"] > 0.5


def test_an_alt_label_word_a_problem_label_uses_keeps_its_own_meaning(linker):
    # S-student lists "graduate", but P-graduate-skill-gap's label says "graduates": that word must not become
    # "student", or every sentence about students and enterprises would half-match the graduates' skill gap
    linker, _ = linker
    assert "graduate" not in linker.synonyms and linker.synonyms["apprentice"] == "student"


def test_the_shipped_scheme_keeps_its_one_word_stakeholder_synonyms(linker):
    # a problem or measure label that says "employers" or "trainees" would quietly stop these words from reading as
    # "enterprise" and "student" everywhere: the scheme's new labels must say "enterprises", "students" instead
    linker, _ = linker
    words = ("company", "firm", "employer", "apprentice", "trainee", "learner", "lecturer")
    assert {w: linker.synonyms.get(w) for w in words} == {
        "company": "enterprise", "firm": "enterprise", "employer": "enterprise", "apprentice": "student",
        "trainee": "student", "learner": "student", "lecturer": "teacher"}


def test_words_left_out_of_the_labels_count_neither_for_nor_against(linker):
    # "enterprises are not willing to participate" is a label of P-enterprise-motivation; a question asks for the
    # goal ("... willing to participate") and must match it fully when the deficit words are ignored
    linker, nlp = linker
    lemmas = set(content_lemmas(nlp("How can enterprises become willing to participate?")))
    ids = linker.ids["problem"]
    plain = dict(zip(ids, linker.lexical_scores(lemmas, "problem")))
    ignoring = dict(zip(ids, linker.lexical_scores(lemmas, "problem", ignore=stems({"not", "low", "lack"}))))
    assert ignoring["P-enterprise-motivation"] == pytest.approx(1.0)
    assert plain["P-enterprise-motivation"] < 0.9


@pytest.mark.parametrize("kind, sentence, concept", [
    ("problem", "Many interns are used as cheap labour on assembly lines.", "P-intern-exploitation"),
    ("problem", "Graduates often leave soon after training, or competitors poach them.", "P-graduate-retention"),
    ("problem", "Enterprise mentors lack time and teaching ability.", "P-weak-enterprise-mentors"),
    ("countermeasure", "Colleges should buy internship liability insurance for every student.", "C-internship-insurance"),
    ("countermeasure", "The government should delegate standard setting to industry associations.",
     "C-empower-industry-associations"),
    ("countermeasure", "Professional title evaluation should count enterprise practice.", "C-teacher-evaluation-reform"),
])
def test_the_scheme_names_internships_mentors_retention_and_associations(linker, kind, sentence, concept):
    # themes of the field that the starting scheme lacked (ontology/concepts.ttl extends it)
    linker, nlp = linker
    scores = dict(zip(linker.ids[kind], linker.lexical_scores(set(content_lemmas(nlp(sentence))), kind)))
    assert max(scores, key=scores.get) == concept
