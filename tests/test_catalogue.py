"""The built-in sample catalogue: complete, well described, and honest about what it covers.

Running every case eagerly and as a graph is the check's job (``autoconv check``); these tests
read the declarations statically, load the sample files once, and convert each sample.
"""
from __future__ import annotations

import re

import pytest

import autoconv
from autoconv.catalogue import read_all
from autoconv.model.conversion import Conversion
from autoconv.model.gallery import TOPIC_ORDER, TOPICS_LAST, Gallery, GalleryFile, GallerySample
from autoconv.model.verdicts import Verdict
from autoconv.render.gallery import topics
from autoconv.targets import load_samples

# The catalogue's topics are the gallery's, in the lesson's order: declared once, in the data layer.
TOPICS = (*TOPIC_ORDER, *TOPICS_LAST)

# Each lint rule points at a pitfall sample and its fixed twin.
CONTRACT_PAIRS = (
    ("print_only_while_tracing", "tf_print_every_call"),
    ("numpy_random_frozen", "tf_random_every_call"),
    ("python_time_frozen", "tf_timestamp_every_call"),
    ("variable_created_inside", "variable_created_outside"),
    ("outer_list_mutated", "outer_list_returned"),
    ("list_append_in_tensor_loop", "tensor_array_in_tensor_loop"),
    ("return_inside_tensor_loop", "return_after_tensor_loop"),
    ("defined_in_one_branch", "defined_in_both_branches"),
    ("for_else_unconverted", "for_else_rewritten"),
    ("while_else_unconverted", "while_else_rewritten"),
    ("while_true_tensor_break", "while_tensor_condition"),
    ("generator_unconverted", "generator_rewritten"),
    ("walrus_unconverted", "walrus_rewritten"),
    ("match_unconverted", "match_rewritten"),
)
LESSON_SAMPLES = ("myadd", "outer_variable_input_signature", "module_counter")


def count_sentences(text: str) -> int:
    """Sentence ends: . ! or ? (perhaps closing a quote) before whitespace or the end."""
    return len(re.findall(r"[.!?]['\")]*(?=\s|$)", text.strip()))


@pytest.fixture(scope="module")
def declarations():
    return read_all(None)


@pytest.fixture(scope="module")
def samples():
    return load_samples(None)


@pytest.fixture(scope="module")
def by_name(samples):
    return {s.name: s for s in samples}


@pytest.fixture(scope="module")
def conversions(samples):
    return {s.name: autoconv.convert(s.obj) for s in samples}


def test_at_least_forty_samples_with_unique_names_statically(declarations):
    names = [d.name for d in declarations]
    assert len(names) >= 40
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"duplicate sample names: {duplicates}"


def test_loaded_samples_are_the_declared_ones(samples, declarations):
    assert len(samples) >= 40
    assert len({s.name for s in samples}) == len(samples)
    assert [s.name for s in samples] == [d.name for d in declarations]


def test_static_declarations_agree_with_the_loaded_samples(samples, declarations):
    """autoconv list reads title, tags and expect from the AST: they must be literals."""
    static = {d.name: d for d in declarations}
    for loaded in samples:
        declared = static[loaded.name]
        assert declared.title == loaded.title, loaded.name
        assert declared.tags == loaded.tags, loaded.name
        assert declared.note == loaded.note, loaded.name
        cases = loaded.cases()
        expected = tuple(loaded.expected(i) for i in range(len(cases)))
        if declared.cases is not None:  # a literal list of inputs, not a factory
            assert declared.cases == len(cases), loaded.name
            assert declared.expected == expected, loaded.name
        else:
            assert set(declared.expected) == set(expected), loaded.name


@pytest.mark.parametrize("field", ["title", "note"])
def test_every_sample_has_a_title_and_a_note(samples, field):
    missing = [s.name for s in samples if not getattr(s, field).strip()]
    assert not missing, f"samples without a {field}: {missing}"


def test_titles_are_written_not_defaulted(samples):
    defaulted = [s.name for s in samples if s.title == s.name.replace("_", " ")]
    assert not defaulted, f"samples whose title is just their name: {defaulted}"


def test_notes_are_two_to_six_sentences(samples):
    wrong = {s.name: count_sentences(s.note) for s in samples if not 2 <= count_sentences(s.note) <= 6}
    assert not wrong, f"notes must be 2-6 sentences: {wrong}"


def test_first_tag_is_a_topic(samples):
    wrong = {s.name: s.tags[:1] for s in samples if not s.tags or s.tags[0] not in TOPICS}
    assert not wrong, f"first tag must be one of {TOPICS}: {wrong}"


def test_every_topic_has_samples(samples):
    topics = {s.tags[0] for s in samples}
    assert topics == set(TOPICS)


def test_the_gallery_lists_topics_in_the_lesson_order(samples):
    """Tracing first, limitations last, whatever the alphabet or the files' order say."""
    shuffled = sorted(samples, key=lambda s: s.name)
    gallery = Gallery([GalleryFile("x.py", [GallerySample(s.name, s.title, list(s.tags), "", "x.py:1", False,
                                                          Conversion("f", None, None))
                                            for s in shuffled])], False, "0")
    order = [topic for topic, _ in topics(gallery)]
    assert order == list(TOPICS) and order[0] == "tracing" and order[-1] == "limitations"


def test_every_sample_has_cases_with_valid_expectations(samples):
    for s in samples:
        cases = s.cases()
        assert cases, f"{s.name} has no inputs"
        for index in range(len(cases)):
            assert Verdict(s.expected(index)), (s.name, index)
        if not isinstance(s.expect, str):
            assert len(s.expect) == len(cases), s.name


def test_no_timeout_or_crash_expected_in_the_catalogue(samples):
    """Those demos belong in tests: the catalogue must never hang or kill a worker."""
    bad = [s.name for s in samples for i in range(len(s.cases())) if s.expected(i) in ("timeout", "crash")]
    assert not bad


def test_saved_model_is_not_used_yet(samples):
    assert not [s.name for s in samples if s.saved_model]


@pytest.mark.parametrize("pitfall,fixed", CONTRACT_PAIRS)
def test_contract_pairs_exist_and_tell_apart(by_name, pitfall, fixed):
    assert pitfall in by_name, f"missing pitfall sample {pitfall!r}"
    assert fixed in by_name, f"missing fixed sample {fixed!r}"
    pitfall_sample, fixed_sample = by_name[pitfall], by_name[fixed]
    pitfall_verdicts = [pitfall_sample.expected(i) for i in range(len(pitfall_sample.cases()))]
    fixed_verdicts = [fixed_sample.expected(i) for i in range(len(fixed_sample.cases()))]
    assert any(v != "match" for v in pitfall_verdicts), f"{pitfall} shows no problem"
    assert all(v == "match" for v in fixed_verdicts), f"{fixed} is not a fix"
    assert fixed in pitfall_sample.note, f"{pitfall}'s note should name its fixed twin {fixed}"


@pytest.mark.parametrize("name", LESSON_SAMPLES)
def test_lesson_samples_exist(by_name, name):
    assert name in by_name


def test_the_lesson_example_traces_once_and_retraces_on_strings(by_name):
    myadd = by_name["myadd"]
    kinds = [tuple(a.dtype.name for a in c.args) for c in myadd.cases()]
    assert kinds == [("int32", "int32"), ("string", "string")]
    assert myadd.expected(0) == myadd.expected(1) == "mismatch"


def test_catalogue_covers_the_main_verdicts(samples):
    verdicts = {s.expected(i) for s in samples for i in range(len(s.cases()))}
    assert {"match", "mismatch", "graph-error"} <= verdicts


def test_catalogue_shows_conversion_failures(conversions):
    failed = [name for name, conversion in conversions.items() if not conversion.ok]
    assert failed, "no sample shows a conversion failure"
    for name in failed:
        assert conversions[name].error, name


def test_conversion_fails_exactly_where_the_tags_say(samples, conversions):
    tagged = {s.name for s in samples if "conversion-failure" in s.tags}
    failed = {name for name, conversion in conversions.items() if not conversion.ok}
    assert tagged == failed
    assert {"walrus_unconverted", "match_unconverted", "generator_unconverted",
            "for_else_unconverted", "while_else_unconverted", "source_not_available"} <= failed


def test_the_whole_catalogue_checks_clean(run_autoconv):
    """The main job: on the TensorFlow CI installs, every verdict is what its sample says."""

    result = run_autoconv("check")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " 0 unexpected" in summary
    assert int(summary.split("(")[1].split(" samples")[0]) >= 40
