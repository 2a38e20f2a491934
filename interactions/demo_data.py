"""Generate a realistic demo data set: customers and their interaction histories.

Pure Python with no database access, so it is fast and deterministic: the same
seed, reference ids, agents and `now` always give the same rows.
`manage.py seed_demo` feeds it the ids and writes what it yields in bulk.

Every demo customer is drawn from one of the four archetype profiles
(docs/demo-data.md), which produce the signals archetype suggestion reads:

- loyal_enthusiast: consistently positive contacts; the rare complaint is
  always recovered (ends neutral or positive).
- extreme_critic: frequent complaints about one or two specific issues, mostly
  ending neutral or better once addressed.
- loyal_annoyed: a run of earlier positive contacts, then a recent negative
  turn (the last contacts, within the last ~75 days, start negative and mostly
  end negative).
- active_hater: negative from the start, and contacts keep ending negative even
  after apology and re-service responses.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from .models import Archetype, ComplaintStatus, Outcome, Valence
from .rules.placeholders import render_placeholders

ENTHUSIAST = Archetype.LOYAL_ENTHUSIAST.value
CRITIC = Archetype.EXTREME_CRITIC.value
ANNOYED = Archetype.LOYAL_ANNOYED.value
HATER = Archetype.ACTIVE_HATER.value
PROFILES = (ENTHUSIAST, CRITIC, ANNOYED, HATER)
# Share of customers per profile, and how often (relatively) each one gets in touch.
PROFILE_SHARE = {ENTHUSIAST: 35, CRITIC: 25, ANNOYED: 25, HATER: 15}
PROFILE_CONTACT_RATE = {ENTHUSIAST: 1.0, CRITIC: 1.7, ANNOYED: 1.1, HATER: 1.5}

SPAN_DAYS = 730  # about two years of history
TURN_DAYS = 75  # loyal_annoyed: the negative turn happens within this many days

POSITIVE, NEUTRAL, NEGATIVE = Valence.POSITIVE.value, Valence.NEUTRAL.value, Valence.NEGATIVE.value
SATISFIED, INDIFFERENT = Outcome.SATISFIED.value, Outcome.INDIFFERENT.value
DISSATISFIED = Outcome.DISSATISFIED.value
OPEN, IN_PROGRESS = ComplaintStatus.OPEN.value, ComplaintStatus.IN_PROGRESS.value
RESOLVED = ComplaintStatus.RESOLVED.value

# The columns of one interaction row, in the order `interaction_rows` yields them
# (model attribute names, so they are also the database column names).
INTERACTION_COLUMNS = (
    "customer_id",
    "agent_id",
    "occurred_at",
    "channel_id",
    "touchpoint_id",
    "emotion_start_id",
    "emotion_end_id",
    "start_valence",
    "end_valence",
    "recovered",
    "intensity",
    "cues",
    "summary",
    "is_complaint",
    "complaint_status",
    "resolved_at",
    "response_template_id",
    "response_text",
    "outcome",
    "follow_up_on",
    "created_at",
    "updated_at",
    "is_demo",
)


@dataclass(frozen=True)
class Reference:
    """The ids the generator needs, looked up by code by the caller."""

    emotions: dict[str, tuple[int, str]]  # code -> (id, valence)
    channels: dict[str, tuple[int, int]]  # code -> (id, response target hours)
    touchpoints: dict[str, int]  # code -> id
    templates: dict[tuple[str, str], tuple[int, str]]  # (code, language) -> (id, text)


@dataclass(frozen=True)
class Agent:
    id: int
    name_ko: str
    name_en: str
    weight: float = 1.0


@dataclass
class CustomerPlan:
    profile: str
    contacts: int
    language: str = "ko"
    name: str = ""
    fields: dict = field(default_factory=dict)
    first_contact: datetime | None = None
    turn: int = 0  # loyal_annoyed: how many of the last contacts form the negative turn
    times: list[datetime] = field(default_factory=list)


# --- Names and contact details -------------------------------------------------

KO_SURNAMES = [
    ("김", "kim", 21), ("이", "lee", 15), ("박", "park", 8), ("최", "choi", 5),
    ("정", "jung", 4), ("강", "kang", 2), ("조", "cho", 2), ("윤", "yoon", 2),
    ("장", "jang", 2), ("임", "lim", 2), ("한", "han", 1), ("오", "oh", 1),
    ("서", "seo", 1), ("신", "shin", 1), ("권", "kwon", 1), ("황", "hwang", 1),
    ("안", "ahn", 1), ("송", "song", 1), ("전", "jeon", 1), ("홍", "hong", 1),
    ("유", "yoo", 1), ("고", "ko", 1), ("문", "moon", 1), ("배", "bae", 1),
]  # fmt: skip
KO_GIVEN = [
    ("민준", "minjun"), ("서준", "seojun"), ("도윤", "doyoon"), ("예준", "yejun"),
    ("시우", "siwoo"), ("하준", "hajun"), ("지호", "jiho"), ("주원", "juwon"),
    ("지후", "jihu"), ("준서", "junseo"), ("건우", "gunwoo"), ("현우", "hyunwoo"),
    ("우진", "woojin"), ("선우", "sunwoo"), ("서진", "seojin"), ("민재", "minjae"),
    ("성민", "sungmin"), ("영수", "youngsoo"), ("영호", "youngho"), ("정훈", "junghoon"),
    ("상철", "sangchul"), ("동현", "donghyun"), ("재현", "jaehyun"), ("태양", "taeyang"),
    ("서연", "seoyeon"), ("서윤", "seoyoon"), ("지우", "jiwoo"), ("서현", "seohyun"),
    ("민서", "minseo"), ("하은", "haeun"), ("하윤", "hayoon"), ("윤서", "yoonseo"),
    ("지유", "jiyoo"), ("채원", "chaewon"), ("수아", "sua"), ("지민", "jimin"),
    ("지은", "jieun"), ("수빈", "subin"), ("예린", "yerin"), ("유진", "yujin"),
    ("영희", "younghee"), ("미경", "mikyung"), ("은정", "eunjung"), ("혜진", "hyejin"),
    ("수정", "sujung"), ("미영", "miyoung"), ("정숙", "jungsook"), ("순자", "soonja"),
    ("경희", "kyunghee"), ("소영", "soyoung"), ("다은", "daeun"), ("나연", "nayeon"),
]  # fmt: skip
EN_FIRST = [
    "James", "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Jack",
    "Isla", "Harry", "Ava", "George", "Mia", "Thomas", "Grace", "Daniel", "Chloe",
    "Samuel", "Ruby", "David", "Hannah", "Michael", "Laura", "Peter", "Sarah",
]  # fmt: skip
EN_LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Miller", "Anderson", "Murphy", "O'Brien",
]  # fmt: skip
EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"]

# Agents of the demo team: (Korean given name, surname, romanised given name).
AGENT_NAMES = [
    ("민지", "김", "Minji"), ("지수", "이", "Jisoo"), ("현우", "박", "Hyunwoo"),
    ("서연", "최", "Seoyeon"), ("도윤", "정", "Doyoon"), ("하은", "강", "Haeun"),
    ("준호", "조", "Junho"), ("예린", "윤", "Yerin"), ("태민", "장", "Taemin"),
    ("수진", "임", "Sujin"), ("재원", "한", "Jaewon"), ("유나", "오", "Yuna"),
    ("성호", "서", "Sungho"), ("다인", "신", "Dain"), ("우성", "권", "Woosung"),
    ("보람", "황", "Boram"), ("지훈", "안", "Jihoon"), ("나래", "송", "Narae"),
    ("승민", "전", "Seungmin"), ("가영", "홍", "Gayoung"),
]  # fmt: skip

CUSTOMER_NOTES = {
    "ko": [
        "오전 통화 선호.",
        "문자보다 전화 연락을 원함.",
        "청각이 약해 천천히 또렷하게 말씀드릴 것.",
        "이메일로 처리 결과 받기를 원함.",
        "법인 고객 담당자. 세금계산서 발행 필요.",
        "10년 넘게 이용한 단골 고객.",
    ],
    "en": [
        "Prefers calls in the morning.",
        "Prefers a phone call to a text message.",
        "Hard of hearing: speak slowly and clearly.",
        "Wants outcomes confirmed by e-mail.",
        "Business account contact; needs VAT invoices.",
        "Customer for more than ten years.",
    ],
}

# --- What contacts are about ---------------------------------------------------
# Issues by touchpoint, as an agent would note them: (Korean, English).

ISSUES = {
    "delivery": [
        ("배송이 약속한 날짜보다 3일 늦어짐", "Delivery arrived three days later than promised"),
        ("상품이 파손된 채 도착함", "Item arrived damaged"),
        (
            "배송 기사가 연락 없이 문 앞에 두고 감",
            "Courier left the parcel at the door without calling",
        ),
        ("주문한 것과 다른 상품이 배송됨", "Wrong item delivered"),
        (
            "배송 조회가 며칠째 '출고 준비 중'에서 멈춰 있음",
            "Tracking stuck at 'preparing' for days",
        ),
    ],
    "billing": [
        ("같은 달 요금이 두 번 청구됨", "Charged twice in the same month"),
        ("해지한 부가 서비스 요금이 계속 청구됨", "Still billed for a cancelled add-on"),
        ("할인이 적용되지 않은 금액으로 결제됨", "Discount not applied at checkout"),
        ("환불이 2주째 들어오지 않음", "Refund still not received after two weeks"),
        ("자동이체 날짜가 안내 없이 바뀜", "Direct debit date changed without notice"),
    ],
    "website": [
        ("로그인하면 장바구니가 비워짐", "Basket empties after logging in"),
        ("결제 페이지에서 오류가 남", "Error on the payment page"),
        ("주문 내역 조회가 안 됨", "Order history does not load"),
        ("비밀번호 재설정 메일이 오지 않음", "Password reset e-mail never arrives"),
    ],
    "mobile_app": [
        ("앱 업데이트 후 자동 로그인이 풀림", "App logs out after every update"),
        ("푸시 알림이 너무 자주 옴", "Too many push notifications"),
        ("앱에서 쿠폰이 보이지 않음", "Coupon not showing in the app"),
        ("앱 결제 중 화면이 멈춤", "App freezes during payment"),
    ],
    "store": [
        ("매장 직원 응대가 불친절했음", "Store staff were unfriendly"),
        (
            "재고가 있다고 해서 갔는데 매장에 없었음",
            "Told the item was in stock, but the store had none",
        ),
        ("매장 계산 대기 시간이 30분 넘게 걸림", "Waited over 30 minutes at the store checkout"),
    ],
    "call_centre": [
        ("상담원 연결까지 20분 넘게 기다림", "Waited over 20 minutes to reach an agent"),
        ("같은 내용을 여러 번 반복해서 설명해야 했음", "Had to explain the problem several times"),
        ("약속한 회신 전화가 오지 않음", "Promised call-back never came"),
    ],
    "after_sales": [
        ("수리 후 같은 고장이 다시 생김", "Same fault came back after the repair"),
        ("A/S 기사 방문 일정이 두 번이나 바뀜", "Technician visit rescheduled twice"),
        ("보증 기간 적용이 안 된다는 안내를 받음", "Told the warranty does not cover the fault"),
        ("수리 비용이 처음 안내받은 금액보다 많이 나옴", "Repair cost more than first quoted"),
    ],
}
POSITIVE_TOPICS = {
    "delivery": [
        ("배송이 예정보다 하루 빨리 와서 고맙다고 함", "Thanked us: delivery came a day early")
    ],
    "billing": [
        ("새 요금제로 바꾼 뒤 요금이 줄어 만족함", "Happy that the new plan lowered the bill")
    ],
    "website": [
        (
            "새 웹사이트에서 주문이 훨씬 쉬워졌다고 함",
            "Says ordering on the new website is much easier",
        )
    ],
    "mobile_app": [("앱 새 기능이 편리하다고 칭찬함", "Praised the new app feature")],
    "store": [
        ("매장 직원의 친절한 안내를 칭찬함", "Praised the store staff for their friendly help"),
        ("생일 쿠폰을 받고 고마워함", "Thankful for the birthday coupon"),
    ],
    "call_centre": [
        (
            "지난번 상담이 큰 도움이 됐다며 감사 인사를 전함",
            "Called to say thanks for the help last time",
        )
    ],
    "after_sales": [("빠른 교환 처리에 감사하다고 함", "Thanked us for the quick exchange")],
}
# Neutral requests: (topic, the answer given), each as (Korean, English).
NEUTRAL_TOPICS = {
    "delivery": [
        (
            ("배송 조회 방법 문의", "Asked how to track a delivery"),
            (
                "주문 내역에서 '배송 조회' 버튼을 누르시면 확인하실 수 있습니다.",
                "You can track it with the 'Track' button in your order history.",
            ),
        ),
        (
            ("배송지 변경 요청", "Asked to change the delivery address"),
            (
                "요청하신 주소로 바꿔 드렸습니다. 다음 배송부터 적용됩니다.",
                "I've changed the address; it applies from the next delivery.",
            ),
        ),
    ],
    "billing": [
        (
            ("이번 달 청구 내역 확인 요청", "Asked for this month's bill breakdown"),
            (
                "이번 달 청구 내역을 문자로 보내 드렸습니다.",
                "I've sent this month's breakdown by text.",
            ),
        ),
        (
            ("결제 수단 변경 문의", "Asked to change the payment method"),
            (
                "결제 수단은 '내 정보 > 결제 관리'에서 바꾸실 수 있고, "
                "다음 달 청구부터 적용됩니다.",
                "You can change it under 'My account > Payments'; it applies from next month.",
            ),
        ),
    ],
    "website": [
        (
            ("회원 정보 수정 방법 문의", "Asked how to update account details"),
            (
                "로그인 후 '내 정보' 메뉴에서 수정하실 수 있습니다.",
                "Log in and use the 'My account' menu.",
            ),
        ),
    ],
    "mobile_app": [
        (
            ("앱에서 멤버십 포인트 확인 방법 문의", "Asked where to see loyalty points in the app"),
            (
                "앱 첫 화면 오른쪽 위 '내 포인트'에서 보실 수 있습니다. 현재 12,300점입니다.",
                "Tap 'My points' at the top right of the home screen; you have 12,300.",
            ),
        ),
    ],
    "store": [
        (
            ("매장 영업시간 문의", "Asked about store opening hours"),
            (
                "매장은 평일 오전 10시부터 오후 8시까지, 주말은 오후 6시까지 영업합니다.",
                "The store opens 10 am to 8 pm on weekdays and until 6 pm at weekends.",
            ),
        ),
    ],
    "call_centre": [
        (
            ("상담 가능 시간 문의", "Asked when the call centre is open"),
            (
                "상담은 평일 오전 9시부터 오후 6시까지 가능합니다. 채팅은 24시간 운영합니다.",
                "Phone lines are open 9 am to 6 pm on weekdays; chat is open around the clock.",
            ),
        ),
    ],
    "after_sales": [
        (
            ("보증 기간 문의", "Asked how long the warranty lasts"),
            (
                "구매일로부터 1년 동안 무상 수리를 받으실 수 있습니다.",
                "Repairs are free for one year from the date of purchase.",
            ),
        ),
    ],
}
TOUCHPOINT_WEIGHTS = {
    "website": 14, "mobile_app": 16, "store": 12, "call_centre": 12,
    "delivery": 20, "billing": 16, "after_sales": 10,
}  # fmt: skip
IN_PERSON_TOUCHPOINTS = ("store", "after_sales")

PROFILE_CONTEXT = {
    ANNOYED: [
        (
            "오래 이용한 단골인데 이런 일은 처음이라며 실망함.",
            "Says they have been with us for years and never had this before.",
        ),
        (
            "다른 업체로 옮길지 고민 중이라고 함.",
            "Says they are thinking of switching to a competitor.",
        ),
        (
            "예전에는 만족했는데 요즘 서비스가 달라졌다고 함.",
            "Used to be happy, says the service has changed lately.",
        ),
    ],
    HATER: [
        (
            "지난번 보상에도 불만이 그대로임. 회사 전체를 비난함.",
            "Still unhappy despite last time's compensation; criticised the whole company.",
        ),
        (
            "사과를 받아도 소용없다며 언성을 높임.",
            "Raised their voice; said apologies are useless.",
        ),
        ("온라인 후기에 나쁜 평을 남기겠다고 함.", "Threatened to post bad reviews online."),
    ],
    CRITIC: [
        (
            "날짜와 금액까지 정리해서 문제를 구체적으로 지적함.",
            "Listed the problem precisely, with dates and amounts.",
        ),
        (
            "같은 문제로 이번이 세 번째 연락이라고 함.",
            "Says this is the third contact about the same problem.",
        ),
        ("안내문 문구의 오류까지 짚어 줌.", "Even pointed out a mistake in our notice."),
    ],
    ENTHUSIAST: [
        ("주변에 우리 서비스를 추천하고 있다고 함.", "Says they recommend us to friends."),
        ("오래 쓴 제품이라 애착이 크다고 함.", "Very attached to the product after years of use."),
    ],
}
NEGATIVE_DETAILS = [
    ("주문번호로 확인해 원인을 찾음.", "Checked the order number and found the cause."),
    ("이전 상담 이력을 확인함.", "Reviewed previous contacts."),
    ("고객이 언성을 높였으나 끝까지 경청함.", "Customer raised their voice; listened to the end."),
    (
        "담당 부서에 전달하고 처리 기한을 안내함.",
        "Passed to the team responsible and gave a deadline.",
    ),
    ("불편을 드린 점 사과하고 해결 방법을 함께 정함.", "Apologised and agreed the fix together."),
]
# How an issue ended, by the end valence.
END_NOTES = {
    POSITIVE: [
        ("마지막에는 고맙다며 기분 좋게 마무리함.", "Ended on a happy note and said thanks."),
        ("해결 방법에 만족함.", "Happy with the solution."),
        ("앞으로도 계속 이용하겠다고 함.", "Says they will keep using us."),
    ],
    NEUTRAL: [
        ("안내받은 대로 기다려 보겠다고 함.", "Will wait as advised."),
        ("처리 결과를 지켜보겠다고 함.", "Will see how it turns out."),
    ],
    NEGATIVE: [
        (
            "사과에도 불만이 풀리지 않음. 해지를 언급함.",
            "Still unhappy despite the apology; mentioned cancelling.",
        ),
        ("다른 업체로 옮기겠다고 함.", "Threatened to move to another provider."),
        ("보상이 부족하다며 불만을 표시함.", "Said the compensation was not enough."),
        ("재처리 약속에도 믿을 수 없다고 함.", "Does not trust the promised re-service."),
    ],
}
# How a contact that was not about a problem ended, when it ended positive.
THANKS_NOTES = [
    ("앞으로도 계속 이용하겠다고 함.", "Says they will keep using us."),
    ("기분 좋게 마무리함.", "Ended on a happy note."),
    ("빠른 안내에 고마워함.", "Thanked us for the quick answer."),
]

# The remedy an agent offered for an issue, by touchpoint (Korean, English).
REMEDIES = {
    "delivery": [
        (
            "불편을 드려 죄송합니다. 오늘 중으로 재배송을 접수해 드렸고, 내일 오전에 도착 여부를 "
            "확인해 다시 연락드리겠습니다.",
            "I'm sorry for the trouble. I've booked a new delivery today and will call you "
            "tomorrow morning to check it has arrived.",
        ),
        (
            "많이 답답하셨겠습니다. 교환 상품을 먼저 보내 드리고, 기존 상품은 택배 기사님이 "
            "회수하도록 접수했습니다.",
            "That must have been frustrating. We'll send the replacement first and a courier "
            "will collect the old one.",
        ),
        ("재배송 접수 완료.", "Re-delivery booked."),
    ],
    "billing": [
        (
            "중복 청구된 금액은 바로 취소했습니다. 카드사 사정에 따라 3~5일 안에 환불됩니다.",
            "I've cancelled the duplicate charge; the refund will reach your card in 3 to 5 days.",
        ),
        (
            "빠진 할인 금액은 적립금으로 돌려 드렸고, "
            "다음 결제부터 정상 적용되도록 바로잡았습니다.",
            "I've refunded the missing discount as credit and fixed it for your next payment.",
        ),
        (
            "환불 처리 완료. 영업일 기준 3일 안에 입금 예정.",
            "Refund issued; due within 3 working days.",
        ),
    ],
    "website": [
        (
            "불편을 드려 죄송합니다. 개발팀에 바로 전달했고, "
            "그동안은 앱이나 전화로 주문을 도와드리겠습니다.",
            "Sorry about this. I've reported it to our developers; meanwhile I can take the order "
            "by phone or you can use the app.",
        ),
        ("임시 비밀번호 발급해 드림.", "Issued a temporary password."),
    ],
    "mobile_app": [
        (
            "앱을 최신 버전으로 다시 설치하시면 해결됩니다. "
            "쿠폰은 제가 계정에 다시 넣어 드렸습니다.",
            "Reinstalling the latest version fixes it; I've put the coupon back on your account.",
        ),
        ("알림 설정을 주 1회로 바꿔 드렸습니다.", "I've set notifications to once a week."),
    ],
    "store": [
        (
            "불쾌하셨을 텐데 정말 죄송합니다. 매장 점장에게 바로 전달했고, "
            "사과의 뜻으로 할인 쿠폰을 보내 드렸습니다.",
            "I'm really sorry. I've told the store manager and sent you a discount voucher by way "
            "of apology.",
        ),
        (
            "가까운 매장 재고를 확인해 내일 받으실 수 있게 예약해 드렸습니다.",
            "I've reserved one at a nearby store for you to collect tomorrow.",
        ),
    ],
    "call_centre": [
        (
            "오래 기다리시게 해서 죄송합니다. 앞으로는 제가 직접 이 건을 맡아 오늘 오후 4시에 "
            "연락드리겠습니다.",
            "I'm sorry you had to wait so long. I'll handle this myself from now on and call you "
            "at 4 pm today.",
        ),
        ("회신 전화 일정 다시 잡음.", "Call-back rebooked."),
    ],
    "after_sales": [
        (
            "기사님 방문 일정을 내일 오후 2시로 다시 잡아 드렸습니다. 방문 전에 제가 직접 확인 "
            "전화를 드리겠습니다.",
            "I've rebooked the technician for 2 pm tomorrow and will call you myself beforehand.",
        ),
        (
            "같은 고장이 다시 생긴 만큼 이번 수리는 무상으로 해 드리고, 부품도 새것으로 교체해 "
            "드리겠습니다.",
            "As the same fault came back, this repair is free and the part will be replaced "
            "with a new one.",
        ),
    ],
}
GENERIC_REMEDIES = [
    (
        "담당 부서에 바로 전달했고, 처리 결과는 오늘 오후 6시까지 문자로 알려 드리겠습니다.",
        "I've passed this to the team responsible; you'll have the result by text before 6 pm "
        "today.",
    ),
    ("재서비스 접수 완료.", "Re-service booked."),
]
POSITIVE_RESPONSES = [
    (
        "좋은 말씀 감사합니다. 담당 직원에게도 꼭 전하겠습니다.",
        "Thank you for the kind words; I'll make sure the team hears them.",
    ),
    (
        "오랫동안 이용해 주셔서 감사합니다. 다음 주문 때 쓰실 수 있는 적립금 5,000원을 넣어 "
        "드렸습니다.",
        "Thank you for staying with us all this time. I've added a 5,000 won credit for your "
        "next order.",
    ),
    (
        "칭찬해 주셔서 힘이 납니다. 앞으로도 만족하실 수 있게 노력하겠습니다.",
        "Thank you, that means a lot. We'll keep working to deserve it.",
    ),
    ("감사 인사 전달함.", "Passed on the thanks."),
]
CLOSING = (
    "더 궁금하신 점이 있으면 언제든 연락 주세요.",
    "If anything else comes up, just get in touch.",
)
# Now and then an agent still says what the phrase guide warns against.
SLIPS = [
    (
        "안타깝게도 해당 상품은 단종되었습니다. 대신 비슷한 사양의 신제품으로 교환해 드릴 수 "
        "있습니다.",
        "Unfortunately that model is discontinued, but we can exchange it for the new one.",
    ),
    (
        "그 부분은 저도 잘 모르겠습니다. 확인 후 연락드리겠습니다.",
        "I don't know about that one; I'll check and get back to you.",
    ),
]

CHANNEL_WEIGHTS = {"phone": 40, "chat": 20, "email": 14, "sms": 7, "in_person": 15, "letter": 4}
# Cues an agent can notice on each channel.
CHANNEL_CUES = {
    "phone": (("words", "tone"), ("tone",), ("words",)),
    "in_person": (
        ("words", "tone", "facial_expression"),
        ("facial_expression", "behaviour"),
        ("tone", "facial_expression"),
        ("words", "behaviour"),
    ),
    "email": (("words",), ()),
    "sms": (("words",), ()),
    "chat": (("words",), ("words", "behaviour"), ()),
    "letter": (("words",),),
}
INTENSITY = {  # start emotion -> weights for intensities 1..5
    "gratitude": (0, 2, 4, 3, 1),
    "satisfaction": (1, 4, 4, 1, 0),
    "affection": (0, 1, 3, 4, 2),
    "neutral": (5, 4, 1, 0, 0),
    "anxiety": (0, 3, 4, 2, 1),
    "confusion": (2, 4, 3, 1, 0),
    "annoyance": (0, 2, 4, 3, 1),
    "disappointment": (0, 2, 4, 3, 1),
    "anger": (0, 0, 1, 4, 5),
}

# Emotion mixes, as (code, weight) lists.
POS_MIX = (("gratitude", 35), ("satisfaction", 40), ("affection", 25))
NEG_MIX_MILD = (("anxiety", 25), ("confusion", 30), ("annoyance", 30), ("disappointment", 15))
NEG_MIX_CRITIC = (("annoyance", 35), ("confusion", 30), ("disappointment", 25), ("anxiety", 10))
NEG_MIX_TURN = (("annoyance", 35), ("disappointment", 35), ("anger", 20), ("anxiety", 10))
NEG_MIX_HATER = (("anger", 40), ("annoyance", 30), ("disappointment", 25), ("confusion", 5))


class _Picker:
    """Weighted choice from a fixed list, with the cumulative weights computed once."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


# Emotion flow per profile: (start valence weights, end valence weights given start).
def _valence_picker(pos, neu, neg):
    return _Picker(((POSITIVE, pos), (NEUTRAL, neu), (NEGATIVE, neg)))


FLOWS = {
    # phase -> start picker, {start valence: end picker}
    "enthusiast": (
        _valence_picker(82, 11, 7),
        {
            POSITIVE: _valence_picker(93, 7, 0),
            NEUTRAL: _valence_picker(60, 40, 0),
            NEGATIVE: _valence_picker(55, 45, 0),
        },
    ),
    "annoyed_early": (
        _valence_picker(85, 12, 3),
        {
            POSITIVE: _valence_picker(94, 6, 0),
            NEUTRAL: _valence_picker(60, 40, 0),
            NEGATIVE: _valence_picker(60, 40, 0),
        },
    ),
    "annoyed_turn": (
        _valence_picker(0, 0, 100),
        {NEGATIVE: _valence_picker(5, 30, 65)},
    ),
    "hater": (
        _valence_picker(0, 12, 88),
        {NEUTRAL: _valence_picker(0, 50, 50), NEGATIVE: _valence_picker(3, 15, 82)},
    ),
    "critic": (
        _valence_picker(10, 22, 68),
        {
            POSITIVE: _valence_picker(90, 10, 0),
            NEUTRAL: _valence_picker(30, 70, 0),
            NEGATIVE: _valence_picker(27, 55, 18),
        },
    ),
}
NEG_MIXES = {
    "enthusiast": NEG_MIX_MILD,
    "annoyed_early": NEG_MIX_MILD,
    "annoyed_turn": NEG_MIX_TURN,
    "hater": NEG_MIX_HATER,
    "critic": NEG_MIX_CRITIC,
}
# Chance that a contact is a complaint, by phase and start valence.
COMPLAINT_RATE = {
    "enthusiast": {NEGATIVE: 0.85, NEUTRAL: 0.05},
    "annoyed_early": {NEGATIVE: 0.8, NEUTRAL: 0.05},
    "annoyed_turn": {NEGATIVE: 0.9},
    "hater": {NEGATIVE: 0.8, NEUTRAL: 0.2},
    "critic": {NEGATIVE: 0.92, NEUTRAL: 0.35},
}
# Chance of using the shipped template for the start valence, by phase.
TEMPLATE_RATE = {
    "enthusiast": {NEGATIVE: 0.45, POSITIVE: 0.3},
    "annoyed_early": {NEGATIVE: 0.4, POSITIVE: 0.25},
    "annoyed_turn": {NEGATIVE: 0.4},
    "hater": {NEGATIVE: 0.6},
    "critic": {NEGATIVE: 0.3, POSITIVE: 0.15},
}
# Which template, when one is used on a negative start: weights when the contact was
# a recovery and when it was not, so each template ends up with its own recovery rate.
TEMPLATE_WEIGHTS_RECOVERED = {
    "apology_and_reservice": 4,
    "plan_what_when_who": 6,
    "empathy_open_question": 4,
    "what_we_can_do": 3,
    "loyal_concrete_action": 4,
    "find_out_and_follow_up": 2,
    "letter_meeting": 8,
    "on_the_spot_recovery": 8,
    "brief_factual": 1,
}
TEMPLATE_WEIGHTS_NOT = {
    "apology_and_reservice": 4,
    "plan_what_when_who": 1,
    "empathy_open_question": 2,
    "what_we_can_do": 2,
    "loyal_concrete_action": 1,
    "find_out_and_follow_up": 3,
    "letter_meeting": 1,
    "on_the_spot_recovery": 1,
    "brief_factual": 2,
}
# Where a template fits: (phases, channels); None means any.
_NOT_HATERS = ("enthusiast", "annoyed_early", "annoyed_turn", "critic")
TEMPLATE_SUITS = {
    "plan_what_when_who": (_NOT_HATERS, None),
    "empathy_open_question": (_NOT_HATERS, None),
    "what_we_can_do": (_NOT_HATERS, None),
    "loyal_concrete_action": (("enthusiast", "annoyed_early", "annoyed_turn"), None),
    "brief_factual": (("hater",), None),
    "find_out_and_follow_up": (_NOT_HATERS, ("phone", "chat", "email", "sms")),
    "letter_meeting": (None, ("letter",)),
    "on_the_spot_recovery": (None, ("in_person",)),
}
POSITIVE_TEMPLATES = ["special_thanks_benefit", "personal_thanks"]
POSITIVE_TEMPLATE_WEIGHTS = [3, 2]

# Chance that the end emotion was not recorded (kept out of every rate).
NO_END_RATE = {
    "enthusiast": 0.02,
    "annoyed_early": 0.02,
    "annoyed_turn": 0.0,
    "hater": 0.03,
    "critic": 0.02,
}


def _emotion_pickers():
    pickers = {}
    for phase, mix in NEG_MIXES.items():
        pickers[phase] = {NEGATIVE: _Picker(mix), POSITIVE: _Picker(POS_MIX)}
    return pickers


EMOTION_PICKERS = _emotion_pickers()
HOUR_PICKER = _Picker(zip(range(8, 22), (2, 8, 10, 10, 8, 6, 9, 10, 9, 8, 6, 3, 2, 1), strict=True))
INTENSITY_PICKERS = {
    code: _Picker(zip(range(1, 6), weights, strict=True)) for code, weights in INTENSITY.items()
}


class DemoGenerator:
    """Plans customers and yields their interaction rows, deterministically."""

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        reference: Reference,
        agents: list[Agent],
        first_crm_number: int = 1,
    ):
        if not agents:
            raise ValueError("at least one agent is needed")
        self.rng = random.Random(seed)
        self.template_rng = random.Random(seed * 7919 + 1)
        self._contact: dict = {}
        self.now = now
        self.tz = now.tzinfo
        self.today = now.date()
        self.ref = reference
        self.agents = agents
        self.agent_picker = _Picker((agent, agent.weight) for agent in agents)
        self.crm_number = first_crm_number
        self.channel_picker = _Picker(CHANNEL_WEIGHTS)
        self.touchpoint_picker = _Picker(TOUCHPOINT_WEIGHTS)
        self.surname_picker = _Picker(((ko, en), w) for ko, en, w in KO_SURNAMES)
        self._customer_number = 0

    # --- planning --------------------------------------------------------

    def plan(self, interactions: int, customers: int) -> list[CustomerPlan]:
        """Split `interactions` contacts exactly over `customers` customers."""
        rng = self.rng
        customers = max(0, min(customers, interactions))
        if customers == 0:
            return []
        profile_picker = _Picker(PROFILE_SHARE)
        # Every profile is present whenever there are at least four customers.
        profiles = [
            PROFILES[i] if i < len(PROFILES) else profile_picker(rng) for i in range(customers)
        ]
        minimum = min(3, interactions // customers)
        weights = [PROFILE_CONTACT_RATE[p] * rng.lognormvariate(0, 0.6) for p in profiles]
        spare = interactions - minimum * customers
        total = sum(weights)
        shares = [spare * w / total for w in weights]
        counts = [minimum + int(s) for s in shares]
        leftover = interactions - sum(counts)
        by_remainder = sorted(range(customers), key=lambda i: (int(shares[i]) - shares[i], i))
        for i in by_remainder[:leftover]:
            counts[i] += 1
        return [CustomerPlan(profile=p, contacts=c) for p, c in zip(profiles, counts, strict=True)]

    # --- customers -------------------------------------------------------

    def customer(self, plan: CustomerPlan) -> CustomerPlan:
        """Fill in the customer's details and contact times."""
        rng = self.rng
        self._customer_number += 1
        number = self._customer_number
        if rng.random() < 0.88:
            plan.language = "ko"
            (surname, surname_en), (given, given_en) = (
                self.surname_picker(rng),
                rng.choice(KO_GIVEN),
            )
            plan.name = f"{surname}{given}"
            local = f"{given_en}.{surname_en}" if rng.random() < 0.5 else f"{surname_en}{given_en}"
        else:
            plan.language = "en"
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            plan.name = f"{first} {last}"
            local = f"{first}.{last}".lower().replace("'", "")
        phone = ""
        if rng.random() < 0.92:
            phone = f"010-{rng.randrange(2000, 10000):04d}-{rng.randrange(10000):04d}"
        email = ""
        if rng.random() < 0.7:
            email = f"{local}{number}@{rng.choice(EMAIL_DOMAINS)}"
        external_ref = ""
        if rng.random() < 0.75:
            external_ref = f"CRM-{self.crm_number:07d}"
            self.crm_number += 1
        notes = rng.choice(CUSTOMER_NOTES[plan.language]) if rng.random() < 0.08 else ""

        plan.times = self._contact_times(plan)
        plan.first_contact = plan.times[0]
        created_at = plan.first_contact - timedelta(minutes=rng.randrange(1, 60 * 24 * 30))
        plan.fields = {
            "name": plan.name,
            "phone": phone,
            "phone_digits": "".join(ch for ch in phone if ch.isdigit()),
            "email": email,
            "external_ref": external_ref,
            "notes": notes,
            "created_by_id": self.agent_picker(rng).id,
            "created_at": created_at,
            "demo_profile": plan.profile,
        }
        return plan

    def _contact_times(self, plan: CustomerPlan) -> list[datetime]:
        rng, k = self.rng, plan.contacts
        # Loyal customers have been with us long; others joined at any time.
        if plan.profile in (ENTHUSIAST, ANNOYED):
            start = rng.randrange(SPAN_DAYS // 2, SPAN_DAYS)
        else:
            start = rng.randrange(30, SPAN_DAYS)
        if plan.profile == ANNOYED and k >= 2:
            turn = plan.turn = max(1, min(4, round(k * 0.25)))
            early_start = max(start, TURN_DAYS + 20)
            days = [rng.randrange(TURN_DAYS + 15, early_start + 1) for _ in range(k - turn)]
            days += [rng.randrange(0, TURN_DAYS) for _ in range(turn)]
        else:
            days = [rng.randrange(0, start + 1) for _ in range(k)]
        times = sorted(self._moment(days_ago) for days_ago in days)
        return times

    def _moment(self, days_ago: int) -> datetime:
        """A local working-hours moment `days_ago` days before today, never in the future."""
        rng = self.rng
        day = self.today - timedelta(days=days_ago)
        if day.weekday() >= 5 and rng.random() < 0.6:  # quieter weekends
            day -= timedelta(days=day.weekday() - 4)
        hour = HOUR_PICKER(rng)
        moment = datetime.combine(
            day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=self.tz
        )
        while moment > self.now:  # later today than now: the same hour a day earlier
            moment -= timedelta(days=1)
        return moment

    # --- interactions ------------------------------------------------------

    def interaction_rows(self, plan: CustomerPlan, customer_id: int):
        """Yield the customer's interactions as tuples in INTERACTION_COLUMNS order."""
        rng, ref = self.rng, self.ref
        lang = plan.language
        li = 0 if lang == "ko" else 1
        k = plan.contacts
        turn_from = k - plan.turn
        focus = None
        if plan.profile == CRITIC:  # one or two specific issues they keep raising
            touchpoints = [self.touchpoint_picker(rng) for _ in range(2)]
            focus = [(tp, rng.randrange(len(ISSUES[tp]))) for tp in dict.fromkeys(touchpoints)]
        phase_of = {ENTHUSIAST: "enthusiast", CRITIC: "critic", HATER: "hater"}

        for i, occurred_at in enumerate(plan.times):
            if plan.profile == ANNOYED:
                phase = "annoyed_turn" if i >= turn_from else "annoyed_early"
            else:
                phase = phase_of[plan.profile]
            start_picker, end_pickers = FLOWS[phase]
            start_valence = start_picker(rng)
            start_code = self._emotion(phase, start_valence)
            end_code = None
            end_valence = ""
            # Enthusiasts' complaints are always recovered, and the annoyed customer's
            # turn always has an end: both need an end emotion to show it.
            always_ends = start_valence == NEGATIVE and phase in ("enthusiast", "annoyed_turn")
            if rng.random() >= NO_END_RATE[phase] or always_ends:
                end_valence = end_pickers[start_valence](rng)
                end_code = (
                    start_code
                    if end_valence == start_valence and rng.random() < 0.6
                    else self._emotion(phase, end_valence)
                )
            recovered = (
                (start_valence == NEGATIVE and end_valence != NEGATIVE) if end_valence else None
            )

            channel = self.channel_picker(rng)
            if channel == "in_person":
                touchpoint = rng.choice(IN_PERSON_TOUCHPOINTS)
            else:
                touchpoint = self.touchpoint_picker(rng)
            is_complaint = rng.random() < COMPLAINT_RATE[phase].get(start_valence, 0.0)
            issue = None
            if start_valence == NEGATIVE or is_complaint:
                if focus and rng.random() < 0.85:
                    touchpoint, idx = rng.choice(focus)
                    issue = ISSUES[touchpoint][idx]
                else:
                    issue = rng.choice(ISSUES[touchpoint])
                if channel == "in_person" and touchpoint not in IN_PERSON_TOUCHPOINTS:
                    channel = "phone"
                topic, answers = issue, REMEDIES[touchpoint] + GENERIC_REMEDIES
                closers = END_NOTES.get(end_valence)
            elif start_valence == POSITIVE:
                topic, answers = rng.choice(POSITIVE_TOPICS[touchpoint]), POSITIVE_RESPONSES
                closers = THANKS_NOTES[:2] if end_valence == POSITIVE else None
            else:
                topic, answer = rng.choice(NEUTRAL_TOPICS[touchpoint])
                answers = [answer]
                closers = THANKS_NOTES[2:] if end_valence == POSITIVE else None
            channel_id, target_hours = ref.channels[channel]

            status, resolved_at = "", None
            if is_complaint:
                status, resolved_at = self._complaint_status(occurred_at, target_hours, phase)

            agent = self.agent_picker(rng)
            self._contact = {"recovered": recovered, "channel": channel}
            template_id, response = self._response(
                phase, start_valence, answers, issue is not None, lang, li, plan.name, agent
            )
            summary = self._summary(plan.profile, start_valence, topic, issue, closers, li)
            outcome = self._outcome(end_valence)
            follow_up = None
            if (is_complaint and status != RESOLVED) or (
                end_valence == NEGATIVE and rng.random() < 0.4
            ):
                follow_up = occurred_at.date() + timedelta(days=rng.randrange(1, 8))
            elif rng.random() < 0.03:
                follow_up = occurred_at.date() + timedelta(days=rng.randrange(3, 31))
            cues = rng.choice(CHANNEL_CUES[channel])
            intensity = INTENSITY_PICKERS[start_code](rng)
            if phase == "hater" and intensity < 5 and rng.random() < 0.3:
                intensity += 1  # haters escalate

            created_at = min(occurred_at + timedelta(minutes=rng.randrange(1, 20)), self.now)
            updated_at = max(created_at, resolved_at) if resolved_at else created_at
            yield (
                customer_id,
                agent.id,
                occurred_at,
                channel_id,
                ref.touchpoints[touchpoint],
                ref.emotions[start_code][0],
                ref.emotions[end_code][0] if end_code else None,
                start_valence,
                end_valence,
                recovered,
                intensity,
                cues,
                summary,
                is_complaint,
                status,
                resolved_at,
                template_id,
                response,
                outcome,
                follow_up,
                created_at,
                updated_at,
                True,
            )

    def _template_code(self, phase: str, start_valence: str) -> str:
        """Which shipped template the agent used. Drawn from a stream of its own (so the
        rest of the data set does not depend on it), weighted by whether the contact was
        a recovery: some templates calm people down more often than others, which the
        recommendation then learns (docs/demo-data.md)."""
        if start_valence != NEGATIVE:
            return self.template_rng.choices(POSITIVE_TEMPLATES, POSITIVE_TEMPLATE_WEIGHTS)[0]
        contact = self._contact
        weights = TEMPLATE_WEIGHTS_RECOVERED if contact["recovered"] else TEMPLATE_WEIGHTS_NOT
        codes, chosen = [], []
        for code, weight in weights.items():
            phases, channels = TEMPLATE_SUITS.get(code, (None, None))
            if phases and phase not in phases:
                continue
            if channels and contact["channel"] not in channels:
                continue
            if (code, "ko") in self.ref.templates:
                codes.append(code)
                chosen.append(weight)
        if not codes:
            return "apology_and_reservice"
        return self.template_rng.choices(codes, chosen)[0]

    def _emotion(self, phase: str, valence: str) -> str:
        if valence == NEUTRAL:
            return "neutral"
        return EMOTION_PICKERS[phase][valence](self.rng)

    def _complaint_status(self, occurred_at: datetime, target_hours: int, phase: str):
        rng = self.rng
        age_days = (self.now - occurred_at).total_seconds() / 86400
        roll = rng.random()
        if phase == "annoyed_turn" and age_days < 30:
            open_below, in_progress_below = 0.35, 0.7
        elif age_days < 3:
            open_below, in_progress_below = 0.45, 0.75
        elif age_days < 30:
            open_below, in_progress_below = 0.08, 0.2
        else:  # a few old ones are still open: the overdue list is never empty
            open_below, in_progress_below = 0.01, 0.03
        if roll < open_below:
            return OPEN, None
        if roll < in_progress_below:
            return IN_PROGRESS, None
        # Three in four within the channel's target, the rest late.
        factor = rng.uniform(0.1, 1.0) if rng.random() < 0.75 else rng.uniform(1.0, 3.0)
        resolved_at = occurred_at + timedelta(seconds=int(target_hours * factor * 3600))
        if resolved_at > self.now:
            return IN_PROGRESS, None
        return RESOLVED, resolved_at

    def _response(self, phase, start_valence, answers, problem, lang, li, customer_name, agent):
        """The template used (if any) and the response given."""
        rng = self.rng
        template_id = None
        if rng.random() < TEMPLATE_RATE[phase].get(start_valence, 0.0):
            code = self._template_code(phase, start_valence)
            template = self.ref.templates.get((code, lang))
            if template:
                template_id, text = template
                agent_name = agent.name_ko if lang == "ko" else agent.name_en
                values = {"customer_name": customer_name, "agent_name": agent_name}
                return template_id, render_placeholders(text, values)
        roll = rng.random()
        if roll < 0.08:
            return None, ""
        if roll < 0.10 and problem:
            return None, rng.choice(SLIPS)[li]
        answer = rng.choice(answers)[li]
        if rng.random() < 0.2:
            answer = f"{answer} {CLOSING[li]}"
        return None, answer

    def _summary(self, profile, start_valence, topic, issue, closers, li) -> str:
        """The agent's note: the topic, sometimes context, what was done, how it ended."""
        rng = self.rng
        parts = [topic[li] + "."]
        about_a_problem = issue is not None
        if about_a_problem == (profile != ENTHUSIAST) and rng.random() < 0.35:
            parts.append(rng.choice(PROFILE_CONTEXT[profile])[li])
        if about_a_problem and rng.random() < 0.5:
            parts.append(rng.choice(NEGATIVE_DETAILS)[li])
        if closers and rng.random() < 0.6:
            parts.append(rng.choice(closers)[li])
        if rng.random() < 0.1:  # some agents only jot the topic down
            return parts[0]
        return " ".join(parts)

    def _outcome(self, end_valence: str) -> str:
        if not end_valence or self.rng.random() < 0.08:
            return ""
        roll = self.rng.random()
        if end_valence == POSITIVE:
            return SATISFIED if roll < 0.9 else INDIFFERENT
        if end_valence == NEUTRAL:
            if roll < 0.8:
                return INDIFFERENT
            return SATISFIED if roll < 0.9 else DISSATISFIED
        return DISSATISFIED if roll < 0.9 else INDIFFERENT


def crm_number_after(ref: str | None) -> int:
    """The next CRM number after the highest existing `CRM-nnnnnnn` reference."""
    if not ref:
        return 1
    return int(ref.removeprefix("CRM-")) + 1


def demo_now(until: date | None, now: datetime) -> datetime:
    """The moment the data set ends: now, or 20:00 local on the given day."""
    if until is None:
        return now.replace(microsecond=0)
    return datetime.combine(until, time(20, 0), tzinfo=now.tzinfo)


# --- Looking after agents (seed 004): reflections, break nudges, praise ----------------

REFLECTIONS = [  # (what went well, what could improve), as a demo agent writes them
    (
        "화가 난 고객의 말을 끝까지 듣고 요점을 다시 정리해 드렸더니 목소리가 누그러졌다.",
        "설명이 길어졌다. 무엇을, 언제, 누가 할지 세 문장으로 정리해 말하자.",
    ),
    (
        "배송 지연 건에서 '제가 확인해 보겠습니다'로 시작해 오늘 안에 회신까지 마쳤다.",
        "바쁜 시간에 말이 빨라졌다. 숨을 한 번 고르고 천천히 말하자.",
    ),
    (
        "단골 고객이 이름을 불러 줘서 고맙다고 했다. 이전 상담 이력을 먼저 본 덕분이다.",
        "'안타깝게도'라는 말을 두 번 썼다. 할 수 있는 것부터 말하자.",
    ),
    (
        "Stayed calm with a caller who shouted; summarised what we would do and by when.",
        "I talked over the customer once. Let them finish, then use their name to come in.",
    ),
    (
        "점심 뒤 힘든 통화가 이어졌지만 잠깐 걷고 와서 다음 통화를 차분하게 받았다.",
        "쉬는 시간을 미루지 말자. 힘든 통화 세 건이면 바로 쉬기.",
    ),
    (
        "A long-time customer thanked me for the quick exchange; I wrote it down to remember.",
        "Ask one more open question before offering a fix.",
    ),
]
PRAISE_NOTES = [
    "끝까지 챙겨 줘서 고맙다며 이름을 기억하겠다고 함",
    "Said this was the best call-centre experience they have had",
    "빠른 교환 처리에 감사 인사를 두 번이나 함",
    "",
    "Thanked you for explaining the bill so clearly",
    "다음에도 같은 상담원과 통화하고 싶다고 함",
]
NUDGE_PRACTICES = ("breathing", "quick_walk", "step_away", "pause_and_centre", "brief_meditation")


def wellbeing_rows(now: datetime, agents: int, weeks: int = 8):
    """Past reflections and answered break nudges for `agents` demo people (index 0 is
    the login agent), over the `weeks` weeks before `now`. Deterministic.

    Returns (reflections, nudges): reflections as (agent index, day, went well, to improve),
    one per kept working day before today; nudges as (agent index, created_at,
    negative count, practice, status, responded_at)."""
    today = now.date()
    reflections, nudges = [], []
    for index in range(agents):
        rng = random.Random(f"wellbeing-{index}")
        keep = 0.85 if index == 0 else 0.3 + 0.12 * (index % 5)  # some keep a journal more
        for back in range(1, weeks * 7):
            day = today - timedelta(days=back)
            if day.weekday() < 5 and rng.random() < keep:
                went, improve = REFLECTIONS[(day.toordinal() + index) % len(REFLECTIONS)]
                reflections.append((index, day, went, improve))
        for week in range(weeks):
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                day = today - timedelta(days=7 * week + rng.randrange(7))
                moment = datetime.combine(day, time(rng.randrange(10, 18), rng.randrange(60)))
                created = moment.replace(tzinfo=now.tzinfo)
                if created >= now - timedelta(hours=3):
                    continue  # only answered nudges from before today's work
                status = "taken" if rng.random() < 0.6 else "dismissed"
                practice = NUDGE_PRACTICES[rng.randrange(len(NUDGE_PRACTICES))]
                count = 3 + (rng.random() < 0.25)
                nudges.append(
                    (index, created, count, practice, status, created + timedelta(minutes=2))
                )
    return reflections, nudges
