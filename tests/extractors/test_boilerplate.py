import pytest

from marsad.extractors.boilerplate import is_boilerplate_line, is_policy_paragraph, paragraphs


@pytest.mark.parametrize(
    "line",
    [
        "ADVERTISEMENT",
        "Advertisement",
        "  إعلان ",
        "اقرأ أيضاً:",
        "اقرأ أيضا",
        "Read more »",
        "شارك",
    ],
)
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        'مطالب بوتين: عدم تفعيل "ستارلينك" فوق تايوان',  # a subheading of the seed
        "إعلان نتائج الانتخابات البلدية",  # starts with the word, is not the word
        "Advertisement revenue fell by a third",
    ],
)
def test_real_lines_are_kept(line):
    assert not is_boilerplate_line(line)


# The two paragraphs under CNN Arabic's article (tests/fixtures/pages/cnn_arabic_2013.html).
CNN_POLICY = [
    "ترحب شبكة CNN بالنقاش الحيوي والمفيد، وكي لا نضطر في موقع CNN بالعربية إلى مراجعة "
    "التعليقات قبل نشرها. ننصحك بمراجعة إرشادات الاستخدام للتعرف إليها جيداً. وللعلم فان جميع "
    "مشاركاتك يمكن استخدامها، مع اسمك وصورتك، استنادا إلى سياسة الخصوصية بما يتوافق مع شروط "
    "استخدام الموقع.",
    "الآراء الواردة أدناه لا تعبر عن رأي موقع CNN بالعربية، بل تعكس وجهات نظر أصحابها فقط.",
]


@pytest.mark.parametrize("paragraph", CNN_POLICY)
def test_comment_policy_paragraphs(paragraph):
    assert is_policy_paragraph(paragraph)


def test_article_sentence_about_the_site_is_not_policy():
    # Last paragraph of ANT's CN-middleEast-1-20180218: editorial, part of the article.
    sentence = (
        "ويشار على أن موقع CNN بالعربية لا يمكنه التأكد بشكل مستقل من الأنباء والمعلومات التي "
        "يتم تناقلها عبر وسائل التواصل الاجتماعي."
    )
    assert not is_policy_paragraph(sentence)


def test_long_paragraph_quoting_the_words_is_kept():
    long = "قال المتحدث إن الآراء الواردة في البيان لا تعبر عن رأي الحكومة. " * 20
    assert not is_policy_paragraph(long)


def test_paragraphs_drops_blank_and_boilerplate_lines():
    text = "عنوان\n\n  ADVERTISEMENT \nفقرة أولى\n   \nاقرأ أيضا:\nفقرة ثانية\n"
    assert paragraphs(text) == ["عنوان", "فقرة أولى", "فقرة ثانية"]
