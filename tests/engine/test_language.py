"""Language detection: English, Malay and Urdu in; every other language out with a message naming it.

Every sentence here was written for these tests in the style of statutes and policies.
"""

from __future__ import annotations

import pytest

from concord.engine.errors import LanguageError, NoLanguageError, UnsupportedLanguageError
from concord.engine.language import detect_language, detect_language_scores

ENGLISH = [
    "The Minister may, by order published in the Gazette, appoint a Commissioner for the purposes of "
    "this Act.",
    "A data controller shall not process personal data unless the data subject has given his consent.",
    "Any person who contravenes this section commits an offence and shall, on conviction, be liable "
    "to a fine.",
    "The Government will invest in digital skills so that every citizen can use online public services.",
    "Critical information infrastructure operators shall report cyber security incidents to the Agency.",
    "Artificial intelligence systems used in hiring must be tested for bias before they are deployed.",
]
MALAY = [
    "Menteri boleh, melalui perintah yang disiarkan dalam Warta, melantik seorang Pesuruhjaya bagi "
    "maksud Akta ini.",
    "Pengguna data tidak boleh memproses data peribadi melainkan jika subjek data telah memberikan "
    "persetujuannya.",
    "Mana-mana orang yang melanggar seksyen ini melakukan suatu kesalahan dan hendaklah, apabila "
    "disabitkan, didenda.",
    "Kerajaan akan melabur dalam kemahiran digital supaya setiap rakyat dapat menggunakan "
    "perkhidmatan awam dalam talian.",
    "Pengendali infrastruktur maklumat kritikal hendaklah melaporkan insiden keselamatan siber "
    "kepada Agensi.",
    "Sistem kecerdasan buatan yang digunakan dalam pengambilan pekerja mesti diuji bagi berat sebelah.",
]
URDU = [
    "وزیر سرکاری گزٹ میں اعلان کے ذریعے اس ایکٹ کے مقاصد کے لیے ایک کمشنر مقرر کر سکتا ہے۔",
    "کوئی ڈیٹا کنٹرولر ڈیٹا سبجیکٹ کی رضامندی کے بغیر ذاتی ڈیٹا پر کارروائی نہیں کرے گا۔",
    "حکومت ڈیجیٹل مہارتوں میں سرمایہ کاری کرے گی تاکہ ہر شہری آن لائن سرکاری خدمات استعمال کر سکے۔",
    "اہم معلوماتی ڈھانچے کے آپریٹر سائبر سیکیورٹی کے واقعات کی اطلاع اتھارٹی کو دیں گے۔",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_it_detects_english_provisions(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", MALAY)
def test_it_detects_malay_provisions(text):
    assert detect_language(text) == "ms"


@pytest.mark.parametrize("text", URDU)
def test_it_detects_urdu_provisions(text):
    assert detect_language(text) == "ur"


@pytest.mark.parametrize(
    ("heading", "language"),
    [
        ("Interpretation", "en"),
        ("Tafsiran", "ms"),
        ("Short title and commencement", "en"),
        ("Tajuk ringkas dan permulaan kuat kuasa", "ms"),
        ("Penalties", "en"),
        ("Penalti", "ms"),
        ("Exemption", "en"),
        ("Pengecualian", "ms"),
        ("Application", "en"),
        ("Pemakaian", "ms"),
        ("Powers of the Commissioner", "en"),
        ("Kuasa Pesuruhjaya", "ms"),
        ("Appeals", "en"),
        ("Rayuan", "ms"),
        ("Regulations", "en"),
        ("Peraturan-peraturan", "ms"),
        ("Complaints", "en"),
        ("Aduan", "ms"),
        ("Savings and transitional", "en"),
        ("Kecualian dan peralihan", "ms"),
    ],
)
def test_it_gets_one_to_five_word_headings_right(heading, language):
    assert detect_language(heading) == language


def test_a_heading_with_no_evidence_takes_the_default():
    assert detect_language("Data", default="ms") == "ms"
    assert detect_language("Internet", default="en") == "en"
    assert detect_language("D.R. 12/2024", default="ms") == "ms"


def test_clear_text_overrules_the_default():
    assert detect_language(ENGLISH[0], default="ms") == "en"
    assert detect_language(MALAY[0], default="en") == "ms"


def test_without_a_default_an_empty_guess_is_english():
    assert detect_language("Internet") == "en"


def test_a_default_must_be_supported():
    with pytest.raises(LanguageError) as err:
        detect_language("Data", default="fr")
    assert err.value.code == "E303"


def test_indonesian_counts_as_malay():
    text = "Undang-undang ini mengatur pelindungan data pribadi karena hal tersebut penting bagi masyarakat."
    assert detect_language(text) == "ms"


def test_malay_written_without_spaces_is_still_malay():
    assert detect_language("Tiadaapapundalamperenggan ini bolehmenjadikannyawajib bagi seseorang") == "ms"


def test_a_malay_amendment_quoting_english_text_is_malay():
    text = (
        'Seksyen 4 Akta ibu dipinda dengan menggantikan takrif "service provider" dengan takrif yang '
        'berikut: \'"service provider" means any person who provides a communications service to the '
        "public, and includes a licensee under the principal Act;'."
    )
    assert detect_language(text) == "ms"
    curly = (
        "Seksyen 4 Akta ibu dipinda dengan memasukkan takrif yang berikut: ‘“platform” means any online "
        "service that enables users to share content with the public;’."
    )
    assert detect_language(curly) == "ms"


def test_an_english_provision_with_apostrophes_is_english():
    assert detect_language("The Minister's decision on the licensee's appeal shall be final.") == "en"


def test_urdu_with_english_acronyms_is_urdu():
    assert detect_language("پی ٹی اے (PTA) اور این ٹی سی (NTC) کو ہدایات جاری کی جائیں گی۔") == "ur"


def test_urdu_digits_do_not_count_as_letters():
    assert detect_language("دفعہ ۱۲ کے تحت جرمانہ ۵۰۰۰۰ روپے ہوگا۔") == "ur"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("本法适用于在中国境内处理个人信息的活动。", "Chinese (Han script)"),
        ("この法律は個人情報の保護に関する法律です。", "Japanese"),
        ("이 법은 개인정보의 처리에 관하여 적용한다.", "Korean"),
        ("Настоящий закон регулирует обработку персональных данных.", "Cyrillic"),
        ("यह अधिनियम व्यक्तिगत डेटा के संरक्षण के लिए है।", "Devanagari"),
        ("พระราชบัญญัตินี้ใช้บังคับกับการคุ้มครองข้อมูลส่วนบุคคล", "Thai"),
        ("Ο παρών νόμος εφαρμόζεται στην επεξεργασία δεδομένων.", "Greek"),
    ],
)
def test_other_scripts_are_refused_by_name(text, named):
    with pytest.raises(UnsupportedLanguageError) as err:
        detect_language(text)
    assert err.value.code == "E302"
    assert named in err.value.message and "English, Malay and Urdu" in err.value.message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "La présente loi s'applique au traitement des données à caractère personnel "
            "dans les services publics.",
            "French",
        ),
        (
            "Dieses Gesetz gilt für die Verarbeitung personenbezogener Daten durch die öffentlichen Stellen.",
            "German",
        ),
        (
            "La presente ley se aplica al tratamiento de los datos personales "
            "en el sector público y privado.",
            "Spanish",
        ),
        ("Deze wet is van toepassing op de verwerking van persoonsgegevens door een overheid.", "Dutch"),
    ],
)
def test_other_latin_script_languages_are_refused_by_name(text, named):
    with pytest.raises(UnsupportedLanguageError) as err:
        detect_language(text)
    assert named in err.value.message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("يطبق هذا القانون على معالجة البيانات الشخصية في الدولة التي تقوم بها الجهات العامة.", "Arabic"),
        ("این قانون برای حفاظت از داده های شخصی در سازمان های دولتی است.", "Persian"),
    ],
)
def test_arabic_script_languages_other_than_urdu_are_refused(text, named):
    with pytest.raises(UnsupportedLanguageError) as err:
        detect_language(text)
    assert named in err.value.message and "Urdu" in err.value.message


def test_a_short_arabic_script_word_counts_as_urdu():
    assert detect_language("تعریفات") == "ur"


@pytest.mark.parametrize("text", ["", "   ", "12 (3) 45.", "—", "۱۲۳"])
def test_text_without_letters_is_refused(text):
    with pytest.raises(NoLanguageError) as err:
        detect_language(text)
    assert err.value.code == "E301"
    assert isinstance(err.value, LanguageError)


def test_scores_sum_to_one_and_always_name_the_supported_languages():
    for text in ENGLISH[:1] + MALAY[:1] + URDU[:1] + ["", "本法"]:
        scores = detect_language_scores(text)
        assert {"en", "ms", "ur"} <= set(scores)
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-4)


def test_scores_put_the_detected_language_first():
    assert next(iter(detect_language_scores(MALAY[1]))) == "ms"
    assert next(iter(detect_language_scores(ENGLISH[1]))) == "en"
    assert next(iter(detect_language_scores(URDU[0]))) == "ur"


def test_detection_is_deterministic():
    assert [detect_language(t) for t in ENGLISH + MALAY] == [detect_language(t) for t in ENGLISH + MALAY]
