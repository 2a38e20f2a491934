"""The reference data EmotionCare ships with, as plain Python data.

`manage.py load_reference_data` writes these rows; nothing else reads this
module at runtime, so admins' edits in the database are what the app shows.

Codes are the stable identifiers of product.md ("Codes"); never rename one.
Wording comes from the seed documents (see /docs and domain.md): the Korean of
seeds 003 and 004 is machine translation, so the Korean here is rewritten to
read naturally while keeping the meaning.

Emotion colours: hues derived from the Okabe-Ito palette (readable with the
common colour-vision deficiencies) and darkened until white text on them
passes WCAG AA (contrast 4.5:1 or more; `tests/test_reference_data.py` checks
it). The hue family follows the valence: blue / green / violet for positive,
grey for neutral, amber / brown / orange / magenta / red for negative. Colour
is never the only signal: every chip also shows the emotion's name.

Response templates: `valences` and `archetypes` are lists of codes; an empty
list means "suits any". Emotions and channels are many-to-many by code; an
empty list means "suits any" as well.

Phrase rules: `variants` holds other forms of the phrase (conjugations,
politeness levels, spacing, contractions, typographic apostrophes), one per
line. Alternatives must not themselves trip any rule (tested).
"""

from .models import Archetype, Language, Valence

POSITIVE, NEUTRAL, NEGATIVE = Valence.POSITIVE.value, Valence.NEUTRAL.value, Valence.NEGATIVE.value
EN, KO = Language.EN.value, Language.KO.value

# --- Emotions ---------------------------------------------------------------

EMOTIONS = [
    {
        "code": "gratitude",
        "valence": POSITIVE,
        "name_en": "Gratitude",
        "name_ko": "감사",
        "color": "#0072B2",
    },
    {
        "code": "satisfaction",
        "valence": POSITIVE,
        "name_en": "Satisfaction",
        "name_ko": "만족",
        "color": "#007A5E",
    },
    {
        "code": "affection",
        "valence": POSITIVE,
        "name_en": "Affection",
        "name_ko": "애정",
        "color": "#6A4C9C",
    },
    {
        "code": "neutral",
        "valence": NEUTRAL,
        "name_en": "Neutral",
        "name_ko": "중립",
        "color": "#5F6670",
    },
    {
        "code": "anxiety",
        "valence": NEGATIVE,
        "name_en": "Anxiety",
        "name_ko": "불안",
        "color": "#846200",
    },
    {
        "code": "confusion",
        "valence": NEGATIVE,
        "name_en": "Confusion",
        "name_ko": "혼란",
        "color": "#7A5230",
    },
    {
        "code": "annoyance",
        "valence": NEGATIVE,
        "name_en": "Annoyance",
        "name_ko": "짜증",
        "color": "#B04A00",
    },
    {
        "code": "disappointment",
        "valence": NEGATIVE,
        "name_en": "Disappointment",
        "name_ko": "실망",
        "color": "#A3437A",
    },
    {
        "code": "anger",
        "valence": NEGATIVE,
        "name_en": "Anger",
        "name_ko": "분노",
        "color": "#B3261E",
    },
]
for _position, _row in enumerate(EMOTIONS, start=1):
    _row["order"] = _position * 10

# --- Channels -----------------------------------------------------------------
# domain.md section 3 (seed 003, "complaint handling tips"). Chat and SMS follow
# the phone / e-mail rule. Targets are calendar hours from logging a complaint
# to resolving it.

_LETTER_RULE_EN = (
    "Letters usually come from serious problems described in full detail. Do not "
    "answer with another letter or a phone call: it adds insult to the injury the "
    "customer has already suffered. Set up a face-to-face meeting to discuss the problem."
)
_LETTER_RULE_KO = (
    "편지로 들어오는 불만은 대개 심각한 문제를 자세히 적어 보낸 것입니다. 편지나 전화로 "
    "답하지 마세요. 이미 피해를 겪은 고객에게 상처를 더할 수 있습니다. 직접 만나 문제를 "
    "논의할 자리를 마련하세요."
)
_IN_PERSON_RULE_EN = (
    "Use an informal or a formal procedure depending on the nature and severity of the "
    "complaint. The customer is right in front of you and has only just had the problem: "
    "as soon as you have heard and understood it, act at once and put the service right "
    "on the spot."
)
_IN_PERSON_RULE_KO = (
    "불만의 성격과 정도에 따라 비공식 또는 공식 절차로 처리하세요. 고객이 바로 앞에 있고 "
    "방금 문제를 겪었습니다. 불만을 듣고 파악하는 즉시 조치해 그 자리에서 서비스를 "
    "회복하세요."
)
_REMOTE_RULE_EN = (
    "Usually less serious problems, but handle them faster than letters and never assume "
    "they can wait. People who complain this way want a quick, convenient fix: analyse the "
    "complaint and tell the customer straight away what you can do."
)
_REMOTE_RULE_KO = (
    "대개 덜 심각한 문제지만 편지보다 빨리 처리해야 합니다. 가벼운 불만이라고 미뤄도 "
    "된다고 생각하지 마세요. 이런 방법으로 불만을 말하는 고객은 빠르고 간편한 해결을 "
    "원합니다. 불만을 분석하고 지금 해 드릴 수 있는 일을 바로 알려 드리세요."
)

CHANNELS = [
    {
        "code": "phone",
        "name_en": "Phone",
        "name_ko": "전화",
        "response_target_hours": 24,
        "handling_rule_en": _REMOTE_RULE_EN,
        "handling_rule_ko": _REMOTE_RULE_KO,
    },
    {
        "code": "email",
        "name_en": "E-mail",
        "name_ko": "이메일",
        "response_target_hours": 24,
        "handling_rule_en": _REMOTE_RULE_EN,
        "handling_rule_ko": _REMOTE_RULE_KO,
    },
    {
        "code": "sms",
        "name_en": "SMS",
        "name_ko": "문자",
        "response_target_hours": 24,
        "handling_rule_en": _REMOTE_RULE_EN,
        "handling_rule_ko": _REMOTE_RULE_KO,
    },
    {
        "code": "chat",
        "name_en": "Chat",
        "name_ko": "채팅",
        "response_target_hours": 24,
        "handling_rule_en": _REMOTE_RULE_EN,
        "handling_rule_ko": _REMOTE_RULE_KO,
    },
    {
        "code": "in_person",
        "name_en": "In person",
        "name_ko": "대면",
        "response_target_hours": 4,
        "handling_rule_en": _IN_PERSON_RULE_EN,
        "handling_rule_ko": _IN_PERSON_RULE_KO,
    },
    {
        "code": "letter",
        "name_en": "Letter",
        "name_ko": "편지",
        "response_target_hours": 72,
        "handling_rule_en": _LETTER_RULE_EN,
        "handling_rule_ko": _LETTER_RULE_KO,
    },
]
for _position, _row in enumerate(CHANNELS, start=1):
    _row["order"] = _position * 10

# --- Touchpoints --------------------------------------------------------------

TOUCHPOINTS = [
    {"code": "website", "name_en": "Website", "name_ko": "웹사이트"},
    {"code": "mobile_app", "name_en": "Mobile app", "name_ko": "모바일 앱"},
    {"code": "store", "name_en": "Store", "name_ko": "매장"},
    {"code": "call_centre", "name_en": "Call centre", "name_ko": "콜센터"},
    {"code": "delivery", "name_en": "Delivery", "name_ko": "배송"},
    {"code": "billing", "name_en": "Billing", "name_ko": "요금 청구"},
    {"code": "after_sales", "name_en": "After-sales service", "name_ko": "A/S(사후 서비스)"},
]
for _position, _row in enumerate(TOUCHPOINTS, start=1):
    _row["order"] = _position * 10

# --- Response templates -------------------------------------------------------
# The two responses of the seed 000 table, one row per language.

THANKS_CODE = "special_thanks_benefit"
APOLOGY_CODE = "apology_and_reservice"

RESPONSE_TEMPLATES = [
    {
        "code": THANKS_CODE,
        "language": KO,
        "title": "특별 감사 혜택 제공",
        "category": "감사 표현",
        "text": (
            "{customer_name} 고객님, 늘 저희를 아껴 주셔서 진심으로 감사드립니다. "
            "감사한 마음을 담아 다음 이용 때 쓰실 수 있는 특별 혜택을 준비해 두었습니다. "
            "앞으로도 만족하실 수 있도록 더 세심하게 챙기겠습니다.\n"
            "{agent_name} 드림"
        ),
        "valences": [POSITIVE],
        "archetypes": [],
        "emotions": ["gratitude", "satisfaction", "affection"],
        "channels": [],
    },
    {
        "code": THANKS_CODE,
        "language": EN,
        "title": "Special thank-you benefit",
        "category": "Appreciation",
        "text": (
            "Dear {customer_name}, thank you for your kind words and for staying with us. "
            "As a small token of our thanks, we have set aside a special benefit for you to "
            "use on your next visit. We will keep working to make every visit as good as "
            "this one.\n"
            "Best regards, {agent_name}"
        ),
        "valences": [POSITIVE],
        "archetypes": [],
        "emotions": ["gratitude", "satisfaction", "affection"],
        "channels": [],
    },
    {
        "code": APOLOGY_CODE,
        "language": KO,
        "title": "상세한 사과와 재서비스 제공",
        "category": "사과 및 서비스 회복",
        "text": (
            "{customer_name} 고객님, 불편을 드려 진심으로 사과드립니다. 말씀해 주신 문제의 "
            "원인을 확인했고, 바로 다시 처리해 드리겠습니다. 무엇을 언제까지 해 드릴지는 제가 "
            "직접 연락드려 말씀드리고, 마무리될 때까지 끝까지 챙기겠습니다. 소중한 의견을 "
            "들려주셔서 감사합니다.\n"
            "{agent_name} 드림"
        ),
        "valences": [NEGATIVE],
        # domain.md section 2: the service-recovery procedure is the advice for
        # extreme critics (when the complaint is true), loyal customers who are
        # now annoyed, and enthusiasts; active haters are not won back this way.
        "archetypes": [
            Archetype.EXTREME_CRITIC.value,
            Archetype.LOYAL_ANNOYED.value,
            Archetype.LOYAL_ENTHUSIAST.value,
        ],
        "emotions": ["anxiety", "confusion", "annoyance", "disappointment", "anger"],
        "channels": [],
    },
    {
        "code": APOLOGY_CODE,
        "language": EN,
        "title": "Detailed apology and re-service",
        "category": "Apology and recovery",
        "text": (
            "Dear {customer_name}, I am truly sorry for the trouble this has caused you. "
            "We have found what went wrong and will put it right for you straight away. "
            "I will contact you myself to confirm what we will do and by when, and I will "
            "follow it through until it is done. Thank you for telling us.\n"
            "Kind regards, {agent_name}"
        ),
        "valences": [NEGATIVE],
        "archetypes": [
            Archetype.EXTREME_CRITIC.value,
            Archetype.LOYAL_ANNOYED.value,
            Archetype.LOYAL_ENTHUSIAST.value,
        ],
        "emotions": ["anxiety", "confusion", "annoyance", "disappointment", "anger"],
        "channels": [],
    },
]

# Further templates drawn from the guides (domain.md sections 1-7): the say-instead
# sentences, the channel rules, the archetype advice and "summarise what will be done,
# when and by whom". One entry per template, expanded to a Korean and an English row.


def _bilingual(
    code, *, title, category, text, emotions=(), valences=(), archetypes=(), channels=()
):
    return [
        {
            "code": code,
            "language": lang,
            "title": title[i],
            "category": category[i],
            "text": text[i],
            "valences": list(valences),
            "archetypes": list(archetypes),
            "emotions": list(emotions),
            "channels": list(channels),
        }
        for i, lang in enumerate((KO, EN))
    ]


_APOLOGY_CATEGORY = ("사과 및 서비스 회복", "Apology and recovery")
_THANKS_CATEGORY = ("감사 표현", "Appreciation")

RESPONSE_TEMPLATES += [
    *_bilingual(
        "empathy_open_question",
        title=("공감하고 열린 질문으로 듣기", "Acknowledge and ask an open question"),
        category=("공감", "Empathy"),
        text=(
            "{customer_name} 고객님, 많이 답답하셨겠어요. 말씀해 주셔서 감사합니다. 어떤 "
            "부분이 가장 불편하셨는지 조금 더 자세히 말씀해 주시겠어요? 끝까지 듣고 가장 좋은 "
            "방법을 함께 찾아보겠습니다.",
            "I understand, {customer_name}, that must have been frustrating, and thank you "
            "for telling us. Could you tell me a little more about what bothered you most? "
            "I'll listen to the end and we'll find the best way forward together.",
        ),
        emotions=("anxiety", "confusion", "disappointment"),
    ),
    *_bilingual(
        "find_out_and_follow_up",
        title=("확인 후 다시 안내", "Find out and come back"),
        category=("안내", "Information"),
        text=(
            "{customer_name} 고객님, 잠시만 기다려 주시겠어요? 정확한 내용을 최선을 다해 "
            "확인해 보겠습니다. 확인이 끝나는 대로 오늘 안에 제가 직접 다시 안내해 드리겠습니다.",
            "Could you wait one moment, {customer_name}? I'll do my best to find out exactly "
            "what happened, and I'll come back to you myself today as soon as I have the "
            "answer.",
        ),
        emotions=("confusion", "anxiety", "neutral"),
        channels=("phone", "chat", "email", "sms"),
    ),
    *_bilingual(
        "plan_what_when_who",
        title=("처리 계획 정리: 무엇을, 언제, 누가", "Summarise the plan: what, when, who"),
        category=_APOLOGY_CATEGORY,
        text=(
            "{customer_name} 고객님, 불편을 드려 죄송합니다. 정리해 드리면, 말씀하신 문제는 "
            "제가 맡아서 오늘 바로 다시 처리하고, 처리 결과는 내일까지 문자로 알려 드리겠습니다. "
            "혹시 제가 빠뜨린 부분이 있을까요?",
            "I'm sorry for the trouble, {customer_name}. To sum up: I'm taking this on myself, "
            "we will put it right today, and I will send you the result by tomorrow. Is there "
            "anything I have missed?",
        ),
        emotions=("annoyance", "anger", "disappointment"),
    ),
    *_bilingual(
        "what_we_can_do",
        title=("가능한 방법 안내", "Say what we can do"),
        category=("대안 제시", "Alternatives"),
        text=(
            "{customer_name} 고객님, 요청하신 방법 그대로는 어렵지만 대신 이렇게 해 드릴 수 "
            "있습니다. 교환과 수리 중에서 편하신 쪽을 골라 주시면 바로 진행하겠습니다.",
            "{customer_name}, it's hard for me to agree to that exact request, but here is "
            "what we can do: a replacement or a repair, whichever suits you best, and I can "
            "start it right away.",
        ),
        emotions=("disappointment", "annoyance"),
        archetypes=(
            Archetype.EXTREME_CRITIC.value,
            Archetype.LOYAL_ANNOYED.value,
            Archetype.LOYAL_ENTHUSIAST.value,
        ),
    ),
    *_bilingual(
        "letter_meeting",
        title=("대면 상담 제안 (서면 민원)", "Offer a face-to-face meeting (letter)"),
        category=_APOLOGY_CATEGORY,
        text=(
            "{customer_name} 고객님, 보내 주신 서신을 꼼꼼히 읽었습니다. 자세히 알려 주셔서 "
            "감사합니다. 직접 뵙고 말씀을 듣는 것이 옳다고 생각합니다. 편하신 날짜와 장소를 "
            "알려 주시면 제가 찾아뵙겠습니다.",
            "Dear {customer_name}, thank you for your detailed letter; I have read it "
            "carefully. This deserves a proper conversation in person. Please let me know a "
            "day and place that suit you, and I will come to meet you.",
        ),
        valences=(NEGATIVE,),
        channels=("letter",),
    ),
    *_bilingual(
        "on_the_spot_recovery",
        title=("현장에서 바로 해결", "Put it right on the spot"),
        category=_APOLOGY_CATEGORY,
        text=(
            "{customer_name} 고객님, 불편을 드려 정말 죄송합니다. 지금 바로 해결해 "
            "드리겠습니다. 잠시 앉아 계시면 처리 과정을 하나씩 말씀드리겠습니다.",
            "I'm so sorry about this, {customer_name}. Let's put it right now. Please take a "
            "seat, and I'll walk you through each step as I do it.",
        ),
        valences=(NEGATIVE,),
        channels=("in_person",),
    ),
    *_bilingual(
        "loyal_concrete_action",
        title=("단골 고객에게 구체적인 조치로 답하기", "Answer a loyal customer with action"),
        category=("충성 고객", "Loyal customers"),
        text=(
            "{customer_name} 고객님, 오랫동안 저희를 믿고 이용해 주셨는데 실망을 드려 "
            "죄송합니다. 주신 의견은 담당 부서에 바로 전달했고, 이번 건은 제가 끝까지 맡아 "
            "처리하겠습니다. 진행 상황은 제가 직접 연락드려 알려 드리겠습니다.",
            "{customer_name}, you have trusted us for a long time and we let you down; I'm "
            "sorry. I have passed your feedback straight to the team responsible, and I will "
            "see this case through myself. I'll call you personally at each step.",
        ),
        valences=(NEGATIVE,),
        archetypes=(Archetype.LOYAL_ENTHUSIAST.value, Archetype.LOYAL_ANNOYED.value),
    ),
    *_bilingual(
        "brief_factual",
        title=("간결하고 정중한 사실 안내", "Brief, polite and factual"),
        category=("불만 응대", "Complaint handling"),
        text=(
            "{customer_name} 고객님, 말씀 잘 들었습니다. 요청하신 건은 접수되었고 처리 기준에 "
            "따라 진행하겠습니다. 결과는 정해진 기한 안에 안내해 드리겠습니다.",
            "Thank you, {customer_name}, I have noted your request. It has been registered "
            "and will be handled under our standard procedure; you will hear the outcome "
            "within the usual time.",
        ),
        valences=(NEGATIVE,),
        archetypes=(Archetype.ACTIVE_HATER.value,),
    ),
    *_bilingual(
        "check_understanding",
        title=("안내 내용 확인", "Check everything is clear"),
        category=("안내", "Information"),
        text=(
            "{customer_name} 고객님, 안내해 드린 내용 중에 더 궁금하신 점은 없으실까요? "
            "언제든 편하게 다시 연락 주세요.",
            "Is everything clear, {customer_name}, or is there anything else I can help you "
            "with? You're welcome to contact us any time.",
        ),
        emotions=("neutral", "confusion"),
        valences=(NEUTRAL,),
    ),
    *_bilingual(
        "personal_thanks",
        title=("이름을 불러 드리는 감사 인사", "Personal thanks"),
        category=_THANKS_CATEGORY,
        text=(
            "{customer_name} 고객님, 따뜻한 말씀 정말 감사합니다. 덕분에 저희 팀 모두 힘이 "
            "납니다. 앞으로도 기대하시는 만큼 잘 챙기겠습니다.\n{agent_name} 드림",
            "Thank you so much for your kind words, {customer_name}. It means a lot to the "
            "whole team, and we'll keep looking after you just as well.\n{agent_name}",
        ),
        emotions=("gratitude", "satisfaction", "affection"),
        valences=(POSITIVE,),
    ),
]

# --- Phrase rules -----------------------------------------------------------
# domain.md section 5 (seed 003, "what to say and what not to say") plus
# "unfortunately" from seed 002.


def _lines(*forms: str) -> str:
    return "\n".join(forms)


PHRASE_RULES = [
    # I don't know...
    {
        "code": "dont_know",
        "language": EN,
        "phrase": "I don't know",
        "variants": _lines(
            "I dunno",
            "I have no idea",
        ),
        "reason": (
            "Saying you don't know shuts the door on the customer: it leaves a bad "
            "impression and you lose their trust."
        ),
        "alternative": "Could you wait one minute? I'll do my best to find out for you.",
    },
    {
        "code": "dont_know",
        "language": KO,
        "phrase": "모르겠어요",
        "variants": _lines(
            "모르겠~",
            "몰라요",
            "모릅니다",
            "re:몰라(?![가-힣])",
        ),
        "reason": "모른다고 말하면 고객에게 문을 닫는 셈입니다. 나쁜 인상을 주고 신뢰를 잃습니다.",
        "alternative": "잠시만 기다려 주시겠어요? 최선을 다해 확인해 드리겠습니다.",
    },
    # I don't care...
    {
        "code": "dont_care",
        "language": EN,
        "phrase": "I don't care",
        "variants": _lines(
            "I couldn't care less",
            "I could care less",
            "not my problem",
        ),
        "reason": (
            "To the customer you are the company. Never give the impression that they don't matter."
        ),
        "alternative": "Sorry to keep you waiting. How can I help you?",
    },
    {
        "code": "dont_care",
        "language": KO,
        "phrase": "상관없어요",
        "variants": _lines(
            "상관없~",
            "상관 안 해요",
            "상관 안 합니다",
            "알 바 아니",
            "알 바 아닙니다",
            "알 바 아냐",
            "신경 안 써",
            "신경 안 씁니다",
            "!상관없이",
            "!신경 안 써도",
        ),
        "reason": (
            "고객에게는 응대하는 직원이 곧 회사입니다. 고객이 중요하지 않다는 인상을 주지 마세요."
        ),
        "alternative": "기다리시게 해서 죄송합니다. 무엇을 도와드릴까요?",
    },
    # I can't be bothered...
    {
        "code": "cant_be_bothered",
        "language": EN,
        "phrase": "I can't be bothered",
        "variants": _lines(
            "can't be bothered",
            "don't bother me",
            "stop bothering me",
            "I haven't got time for this",
            "I don't have time for this",
        ),
        "reason": "Never make customers feel that they are disturbing you.",
        "alternative": (
            "Please give me two minutes to finish this task and I'll be right with you."
        ),
    },
    {
        "code": "cant_be_bothered",
        "language": KO,
        "phrase": "귀찮게 하지 마세요",
        "variants": _lines(
            "귀찮게 하지 마",
            "귀찮~",
            "번거롭게 하지 마",
            "그럴 시간 없~",
        ),
        "reason": "고객이 나를 방해하고 있다고 느끼게 하지 마세요.",
        "alternative": "하던 업무를 2분 안에 마무리하고 바로 도와드리겠습니다.",
    },
    # I don't like you / we don't like your kind here...
    {
        "code": "dont_like_you",
        "language": EN,
        "phrase": "I don't like you",
        "variants": _lines(
            "we don't like your kind",
            "your kind here",
            "people like you",
            "you people",
            "!more people like you",
            "!thank you people",
        ),
        "reason": (
            "Some customers can be irritating, but keep your composure: good service "
            "does not discriminate between customers."
        ),
        "alternative": (
            "It's difficult for me to agree to your request, but here is what we can do..."
        ),
    },
    {
        "code": "dont_like_you",
        "language": KO,
        "phrase": "당신 같은 사람은 싫어요",
        "variants": _lines(
            "당신 같은 사람",
            "당신 같은 손님",
            "그쪽 같은 사람",
            "당신이 싫~",
            "이런 손님은 안 받",
            "이런 손님 안 받",
        ),
        "reason": (
            "까다로운 고객이라도 침착함을 잃지 마세요. 좋은 서비스는 고객을 차별하지 않습니다."
        ),
        "alternative": (
            "고객님, 요청하신 대로 해 드리기는 어렵지만 대신 이렇게 도와드릴 수 있습니다..."
        ),
    },
    # I know everything... / you know nothing...
    {
        "code": "know_everything",
        "language": EN,
        "phrase": "I know everything",
        "variants": _lines(
            "you know nothing",
            "you don't know anything",
            "you have no idea what you're talking about",
            "I know better",
        ),
        "reason": (
            "Don't come on too strong or explain over the customer before they have "
            "finished, and never act as if they don't know what they are talking about."
        ),
        "alternative": (
            "I think there has been a misunderstanding: we offer a replacement, not a refund."
        ),
    },
    {
        "code": "know_everything",
        "language": KO,
        "phrase": "제가 다 알아요",
        "variants": _lines(
            "제가 다 압니다",
            "내가 다 알아",
            "다 알거든",
            "아무것도 모르시",
            "아무것도 모르면서",
            "잘 모르시나 본데",
            "뭘 모르시네요",
            "!다 알아보",
            "!다 알아봐",
        ),
        "reason": (
            "고객이 말을 마치기 전에 단정하거나 설명을 늘어놓지 마세요. 고객이 자기 말도 "
            "모르는 것처럼 대하는 것은 무례합니다."
        ),
        "alternative": (
            "고객님, 오해가 있었던 것 같습니다. 저희는 환불이 아니라 제품 교환으로 도와드리고 "
            "있습니다."
        ),
    },
    # Don't come back...
    {
        "code": "dont_come_back",
        "language": EN,
        "phrase": "Don't come back",
        "variants": _lines(
            "never come back",
            "don't call again",
            "take your business elsewhere",
            "go somewhere else",
            "!don't come back to the store",
        ),
        "reason": "Never give customers a reason to end their relationship with your company.",
        "alternative": ("I'm sorry you feel that way about our service. Please let me help you."),
    },
    {
        "code": "dont_come_back",
        "language": KO,
        "phrase": "다시 오지 마세요",
        "variants": _lines(
            "다시 오지 마",
            "다시는 오지 마",
            "다신 오지 마",
            "다시 연락하지 마",
            "다른 데 가세요",
            "다른 데 가십시오",
            "다른 데 알아보세요",
            "다른 데 알아봐",
            "다른 곳 이용하세요",
        ),
        "reason": "고객이 회사와의 관계를 끊을 이유를 주지 마세요.",
        "alternative": (
            "저희 서비스에 그렇게 느끼셨다니 죄송합니다. 제가 도와드릴 수 있게 해 주세요."
        ),
    },
    # I'm right and you're wrong...
    {
        "code": "im_right",
        "language": EN,
        "phrase": "I'm right and you're wrong",
        "variants": _lines(
            "you're wrong",
            "it's your fault",
            "that's your fault",
            "I know I'm right",
        ),
        "reason": (
            "Never argue with a customer: even when you are right, you lose by winning "
            "the argument."
        ),
        "alternative": (
            "I agree with what you said, but I can't approve the request for the "
            "following reasons..."
        ),
    },
    {
        "code": "im_right",
        "language": KO,
        "phrase": "제 말이 맞고 고객님이 틀리셨어요",
        "variants": _lines(
            "제 말이 맞~",
            "고객님이 틀리셨",
            "고객님이 틀렸",
            "고객님 잘못이에요",
            "고객님 잘못입니다",
            "네가 틀렸",
        ),
        "reason": ("내가 옳더라도 고객과 다투면 결국 지는 것입니다. 고객과 절대 논쟁하지 마세요."),
        "alternative": (
            "말씀하신 내용에 공감합니다. 다만 다음과 같은 이유로 요청을 승인해 드리기 어렵습니다..."
        ),
    },
    # Hurry up... / Wait...
    {
        "code": "hurry_wait",
        "language": EN,
        "phrase": "Hurry up",
        "variants": _lines(
            "hurry it up",
            "re:\\bhurry\\b",
            "be quick",
            "make it quick",
            "just wait",
            "you'll have to wait",
            "^wait",
            "^hold on",
            "!no hurry",
            "!in a hurry",
            "!not to hurry",
            "!don't hurry",
            "!could you wait",
            "!can you wait",
            "!would you wait",
            "!hold on to",
            "!re:(?:^|(?<=[.!?]))\\s*wait\\b[^.!?\\n]*\\bplease\\b",
        ),
        "reason": (
            "The customer is investing their time in telling you what they feel and what "
            "happened. Respect their time, and you will be respected too."
        ),
        "alternative": (
            "Sorry to rush you, but I need to help another customer. Could you wait two minutes?"
        ),
    },
    {
        "code": "hurry_wait",
        "language": KO,
        "phrase": "빨리 하세요",
        "variants": _lines(
            "빨리빨리",
            "빨리 하십시오",
            "빨리 해요",
            "re:빨리\\s*해(?![가-힣])",
            "빨리 말씀하세요",
            "서두르세요",
            "서두르십시오",
            "서둘러 주세요",
            "좀 서둘러",
            "기다리세요",
            "기다리십시오",
            "기다려요",
            "^기다려",
            "좀 기다려",
            "그냥 기다려",
            "!기다려 주",
            "!기다려 드",
            "!빨리 해 드",
        ),
        "reason": (
            "고객은 자신이 느끼고 겪은 일을 이야기하는 데 시간을 쓰고 있습니다. 고객의 시간을 "
            "존중하세요. 그래야 나도 존중받습니다."
        ),
        "alternative": (
            "재촉해 드려 죄송합니다. 다른 고객님을 도와드려야 해서요. 2분만 기다려 주시겠어요?"
        ),
    },
    # Unfortunately (seed 002)
    {
        "code": "unfortunately",
        "language": EN,
        "phrase": "Unfortunately",
        "variants": _lines(
            "regrettably",
            "sadly",
            "I'm afraid we can't",
            "I'm afraid I can't",
        ),
        "reason": (
            "Negative words that imply what you cannot offer lower satisfaction. Stress "
            "what you can offer instead."
        ),
        "alternative": (
            'Lead with what you can do: "What I can do for you right away is... and it '
            'will help you because..."'
        ),
    },
    {
        "code": "unfortunately",
        "language": KO,
        "phrase": "안타깝게도",
        "variants": _lines(
            "안타깝지만",
            "유감스럽게도",
            "유감이지만",
            "아쉽게도",
        ),
        "reason": (
            "해 드릴 수 없는 것을 떠올리게 하는 부정적인 말은 만족도를 떨어뜨립니다. 대신 해 "
            "드릴 수 있는 것을 강조하세요."
        ),
        "alternative": (
            '해 드릴 수 있는 것부터 말씀드리세요. 예: "지금 바로 ...을 해 드릴 수 있습니다. '
            '이렇게 하시면 ... 점이 좋습니다."'
        ),
    },
]
