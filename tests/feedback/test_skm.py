"""The SKM arithmetic of Permenpan RB 14/2017, checked against hand-computed cases."""

from decimal import Decimal

import pytest

from feedback import skm


def spread(total: int) -> list[int]:
    """Nine element sums adding up to ``total`` (IKM depends only on the total: equal
    weights)."""
    base, extra = divmod(total, 9)
    return [base + (1 if i < extra else 0) for i in range(9)]


@pytest.mark.parametrize(
    "score, letter, label",
    [
        ("100", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.305", "A", "Sangat Baik"),  # rounds half up to 88.31
        ("88.30", "B", "Baik"),
        ("88.304", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.995", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_it_grades_the_converted_score_rounded_to_two_decimals(score, letter, label):
    grade = skm.grade_for(Decimal(score))
    assert (grade.letter, grade.label) == (letter, label)


def test_it_computes_nrr_ikm_and_conversion_of_a_small_survey():
    # Three respondents; U1 answers 4, 3, 2 -> NRR 3; every other element 3, 3, 3 -> NRR 3.
    answers = [[4] + [3] * 8, [3] * 9, [2] + [3] * 8]
    result = skm.result_of_answers(answers)
    assert result.respondents == 3
    assert result.nrr[0] == Decimal(3)
    # Official: 9 x 3 x 0.111 = 2.997 -> x25 = 74.925 -> 74.93 (C Kurang Baik)
    assert result.ikm == Decimal("2.997")
    assert result.converted == Decimal("74.93")
    assert (result.grade, result.grade_label) == ("C", "Kurang Baik")
    # Exact 1/9: IKM 3 -> 75.00, same grade.
    assert result.exact.converted == Decimal("75.00")
    assert result.weights_differ


def test_all_fours_give_99_90_official_and_100_exact():
    result = skm.result_of_answers([[4] * 9] * 2)
    assert result.converted == Decimal("99.90")
    assert result.exact.converted == Decimal("100.00")
    assert result.grade == result.exact.grade.letter == "A"


def test_the_two_weights_can_give_different_grades():
    # 5 respondents, total 159 -> sum of NRR 31.8: 0.111 -> 88.245 -> 88.25 B; 1/9 -> 88.33 A.
    result = skm.result(5, spread(159))
    assert result.converted == Decimal("88.25") and result.grade == "B"
    assert result.exact.converted == Decimal("88.33") and result.exact.grade.letter == "A"
    # 5 respondents, total 117 -> 23.4: 0.111 -> 64.935 -> 64.94 D; 1/9 -> 65.00 C.
    result = skm.result(5, spread(117))
    assert (result.converted, result.grade) == (Decimal("64.94"), "D")
    assert (result.exact.converted, result.exact.grade.letter) == (Decimal("65.00"), "C")


@pytest.mark.parametrize(
    "respondents, total, converted, letter",
    [
        (1000, 31822, "88.31", "A"),  # 2.775 x 31.822 = 88.306 -> 88.31
        (1000, 31821, "88.30", "B"),  # 88.303 -> 88.30
        (1000, 27607, "76.61", "B"),  # 76.609 -> 76.61
        (1000, 27605, "76.60", "C"),  # 76.604 -> 76.60
        (1000, 23424, "65.00", "C"),  # 65.0016
        (1000, 23420, "64.99", "D"),  # 64.9905
    ],
)
def test_official_grade_boundaries_from_answers(respondents, total, converted, letter):
    result = skm.result(respondents, spread(total))
    assert result.converted == Decimal(converted)
    assert result.grade == letter


@pytest.mark.parametrize(
    "respondents, total, converted, letter",
    [
        (250, 7947, "88.30", "B"),  # 25 x 7947 / 2250 = 88.3000
        (250, 7948, "88.31", "A"),  # 88.3111
        (125, 3447, "76.60", "C"),  # 76.6000
        (100, 2758, "76.61", "B"),  # 76.6111
        (5, 117, "65.00", "C"),
        (1000, 23396, "64.99", "D"),  # 64.9889
    ],
)
def test_exact_weight_boundaries(respondents, total, converted, letter):
    result = skm.result(respondents, spread(total))
    assert result.exact.converted == Decimal(converted)
    assert result.exact.grade.letter == letter


def test_no_respondents_has_no_index():
    result = skm.result(0, [0] * 9)
    assert not result.has_data and result.ikm is None and result.grade is None


@pytest.mark.parametrize(
    "population, sample",
    [
        (0, 0),
        (7, 7),
        (10, 10),
        (100, 80),
        (101, 86),
        (1000, 278),
        (1001, 285),
        (5000, 357),
        (100000, 384),
        (2_000_000, 384),
    ],
)
def test_required_sample_follows_krejcie_and_morgan(population, sample):
    assert skm.required_sample(population) == sample


@pytest.mark.parametrize("answers", [[4] * 8, [0] + [3] * 8, [5] + [3] * 8, ["3"] * 9])
def test_bad_answers_are_refused(answers):
    with pytest.raises(ValueError):
        skm.validate_answers(answers)


def test_elements_are_the_regulations_nine_in_order():
    assert [e.code for e in skm.ELEMENTS] == [f"U{i}" for i in range(1, 10)]
    assert skm.ELEMENTS[0].question.startswith(
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan"
    )
    assert skm.ELEMENTS[0].labels == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
