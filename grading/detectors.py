"""Signals about a reply as a whole: empty, gibberish, an echo of the customer, no substance,
off topic, rambling. These are how a grader resists replies written to game it."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from operator import add

from grading.anchors import hint

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Courtesy, structure and empathy formulas: words that carry no answer by themselves.
_FILLER = re.compile(
    r"您好|你好|早上好|下午好|晚上好|非常|十分|特别|真的|实在|感谢|谢谢|多谢|抱歉|对不起|不好意思|"
    r"首先|其次|然后|再次|最后|第[一二三四五]|一是|二是|三是|另外|此外|总之|综上|所以|因此|"
    r"祝您|生活愉快|工作顺利|身体健康|再见|欢迎|光临|理解|明白|体谅|您的心情|心情|感受|请|麻烦|"
    r"尊敬的|亲爱的|客户|先生|女士|您|我们|我|的|了|呢|吧|啊|呀|哦|嗯|是|很|也|都|这|那|和|与|及|"
    r"好的|好|没问题|可以|支持|耐心|信任|配合|宝贵|意见|服务|竭诚|为您|祝[^，。！]{0,8}|新年快乐|万事如意|"
    r"身体健康|投资顺利|需求匹配|产品优势|风险提示|的信任|"
    # how a restatement is introduced and closed ("您是说……对吧？"): the words in between are the customer's
    r"您是说|您说的|您说|对吧|我们将|我们会")
# What a restatement closed with "noted" adds that is not the trainee's own either (is_echo only):
# its closing formulas ("已了解您的需求，我们将依法依规处理"), the customer's name and title, and
# the sales slogan recited instead of an answer.
_RESTATED = re.compile(
    r"告诉我这些|放心|认真对待|支持|咨询|依法依规|依法合规|处理|已了解|了解|需求|充分|已经|稍后|详细|解答|收到|"
    # the clerk's frame of a handed-back complaint: "您反映……，并询问……是否……。已知悉"
    r"(您)?反映|(并|还)?询问|是否|知悉|"
    r"记下|记录|听清|稍等|[\u4e00-\u9fff](?:大哥|大姐|老板|师傅|阿姨|叔叔|大爷|大妈|奶奶|爷爷|老师|经理|总|院长|会计|医生|园长|先生|女士|姐|哥)|"
    # the courtesy that closes a call centre's script ("感谢您的咨询，我们将竭诚为您服务")
    r"(感谢|谢谢)(您的)?咨询|竭诚为您服务|"
    r"理财非存款|产品有风险|投资须谨慎")
# Discourse fillers of a reply that talks without a line of argument.
_RAMBLE = re.compile(r"呢，|反正|然后|当然|其实|就是说|怎么说|不好说|您说是吧|这个呢|那个|的话|吧，|也挺好|"
                     r"说实话|什么的|听说|有的|看情况|也不一定|也可能|好像|挺|吧。|吧？|嘛")
_REFUSAL = re.compile(r"不行|不能|不可以|没法|办不了|做不了|帮不了|不允许|不合规")
_STOP_BIGRAMS = {"您好", "我们", "银行", "一下", "这个", "什么", "怎么", "可以", "没有", "你们", "现在",
                 "就是", "还是", "已经", "一个", "我的", "您的", "到底", "是不", "不是",
                 # function words any two lines share ("还有，……"): not what the customer raised
                 "还有", "那个", "时候", "但是", "因为", "所以", "如果", "而且", "的话", "不过"}
_PITCH = re.compile(r"信用卡|办卡|新出|新推出|推荐您|理财|基金|收益率|年化|活动|优惠|送礼|积分|分期|"
                    r"办一张|开通|限时|大促|特惠|热销|都在买|要不要(先|顺便)?(买|办)|顺便办|新上|放一点进来|七日年化|"
                    r"了解一下|欢迎(您)?(办理|咨询|随时|选购|体验)|一揽子|(也|新|刚)推出|费率优惠|免费办|年金险|分红(型)?险|"
                    r"利率也很|很有竞争力|业绩亮眼|[九八七]五?折|"
                    # promotion wording: "费率低至0.3%", "绑卡有立减", "办卡还送行李箱", "名额有限"
                    r"低至|立减|返现|免年费|首刷|送(行李箱|电饭煲|好礼|礼品|礼包|积分|体检)|名额有限|额度有限|欲购从速|先到先得|"
                    r"(下载|绑定?)(一下)?(手机银行|app|APP)|要不要(我)?(给|帮)?(您|你)?(开通|下载|办上|了解)")
# Strings one of which every pitch holds (grading.anchors works them out from the pattern).
_PITCH_HINT = hint(_PITCH.pattern)
# Words that acknowledge without answering: a restatement followed by these is still an echo.
_NON_ANSWER = re.compile(r"(已经?|都)?(完整)?(记录|登记)(下来)?了?|收到您的(情况|问题|诉求)|您的(诉求|问题|情况)|"
                         r"(感谢|谢谢)(您的)?(反馈|来电|提问)|(会|将)?认真研究|我们会(尽快)?(处理|研究|反馈)|"
                         # a restatement closed with "noted" and nothing done: 我都记下了, 收到, 还有什么可以帮您
                         r"(我)?(都|已经?)?记下(来)?了|收到[！!。，,]|请问还有什么(可以|需要)?(帮|为)?您?(的|做)?的?|"
                         r"(会|将)认真对待(您的)?(反馈|意见)?")

# Strings one of which every non-answer contains (worked out from the pattern by grading.anchors):
# most replies hold none, and searching for them costs a tenth of running _NON_ANSWER itself.
# (Were none known, the empty pattern would send every reply to _NON_ANSWER, as before.)
_NON_ANSWER_HINT = hint(_NON_ANSWER.pattern)


@lru_cache(maxsize=2048)
def cjk_bigrams(text: str) -> frozenset:
    """The set of two-character runs of Chinese characters in a text (cached: the customer's
    line is the same for every reply to it)."""
    # Each run's pairs made in C (run[i] + run[i + 1]), in the order a slice loop makes them.
    return frozenset(chain.from_iterable(map(add, run, run[1:]) for run in _CJK_RUNS.findall(text)))


_CJK_RUNS = re.compile(r"[\u4e00-\u9fff]{2,}")


def shared_content(reply: str, customer: str) -> set:
    """Meaningful two-character runs the reply shares with the customer's line."""
    return (cjk_bigrams(reply) & cjk_bigrams(customer)) - _STOP_BIGRAMS


def is_empty(text: str) -> bool:
    """Nothing but spaces and punctuation."""
    return not _WORD_RUNS.search(text)


_WORD_RUNS = re.compile(r"[\w\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN_RUNS = re.compile(_CJK.pattern + "+")


def _real_chinese(han: str) -> bool:
    """Enough Chinese words of two or more characters to be a sentence, whatever English is mixed
    in ("邓老师，your risk profile is C2，按suitability rule不能sell给您")."""
    from grading.wordseg import words
    return len(han) >= 8 and sum(len(w) >= 2 for w in words(han)) >= 3


# Keyboard mashing in Latin letters: a run along one row of the keyboard ("asdf", "qwer", "jkl"),
# a chunk typed twice over ("jkljkl"), no vowel at all, or a long run with almost none.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_REPEATED = re.compile(r"(.{2,})\1")
_VOWELS = frozenset("aeiouy")


def _mashed(token: str) -> bool:
    """Is a run of Latin letters keyboard mashing rather than a word ("jkl", "asdfgh", "sdfsdf")?"""
    t = token.lower()
    if token.isupper():
        return False        # an acronym: OK, VIP, KYC, APR
    vowels = sum(c in _VOWELS for c in t)
    return (len(t) >= 3 and (any(t in row for row in _ROWS) or not vowels)) or bool(_REPEATED.search(t)) \
        or (len(t) >= 6 and vowels / len(t) < 0.2)


def _real_mixed(han: str, latin: list) -> bool:
    """Chinese mixed with English words, as trainees write ("一次逾期no big deal，肯定approve的",
    "Grandpa这是scam，我帮您call police"): at least one English word that is not mashing, and
    three words in all counting Chinese words of two or more characters."""
    real = [w for w in latin if not _mashed(w)]
    if not real:
        return False
    from grading.wordseg import words
    return len(real) + sum(len(w) >= 2 for w in words(han)) >= 3


def is_gibberish(text: str) -> bool:
    """Keyboard mashing or one character repeated: little Chinese, or almost no variety. An
    English word counts as one word, as a Chinese character does ("这个product是R4" is a sentence)."""
    # Counted and told apart as strings (runs found in C, joined), not as lists of one-character
    # strings: the same lengths and the same sets of characters.
    chars = "".join(_WORD_RUNS.findall(text))
    if not chars:
        return False
    han = "".join(_HAN_RUNS.findall(chars))     # every Chinese character is a word character
    latin = _LATIN_WORD.findall(text)
    words = len(han) + len(latin)
    if len(han) < 0.4 * len(chars) and len(han) < 0.7 * words and not re.fullmatch(r"[\d\s.,%，。]+", text) \
            and not _real_chinese(han) and not _real_mixed(han, latin):
        return True
    if len(chars) >= 8 and len(set(chars)) / len(chars) < 0.3:
        return True
    return len(han) >= 6 and len(set(han)) / len(han) < 0.35   # 哈哈哈哈 嗯嗯嗯


_PERSON = re.compile(r"[我你您咱]")
# How a restatement is closed with nothing done: the customer's words handed back, then "noted".
_NOTED = re.compile(r"(都|已经?)记下(来)?了|已(经)?(为您)?(完整)?记录|记录下来了|收到[！!。，,]|"
                    r"还有什么(可以|需要)?(帮|为)您|认真对待|(感谢|谢谢)(您的)?反馈|"
                    r"(已|都)(经)?(充分)?了解(了)?您的(需求|情况|想法)|需求(我)?(已|都)(经)?(收到|了解|记录)|"
                    r"(我)?都明白了|稍后(为您|给您)?(详细)?(解答|回复)|依法(依|合)规(处理|办理)|(感谢|谢谢)(您的)?咨询|竭诚为您服务|(已|均已|都已)(经)?知悉|(我)?(都)?听清(楚)?了|(我们)?(高度|非常)重视")


def is_echo(text: str, customer: str) -> bool:
    """Mostly the customer's own words handed back, with little added: "我"/"你" turned into
    "您" and courtesy formulas tacked on do not make them the trainee's own."""
    answered = _NON_ANSWER.sub("，", text) if _NON_ANSWER_HINT.search(text) else text   # no non-answer: as is
    mine = cjk_bigrams(_PERSON.sub("您", answered))
    if not mine or not customer:
        return False
    theirs = _customer_grams(customer)
    overlap = len(mine & theirs) / len(mine)
    if overlap < 0.3:
        return False        # most replies: no need to take the (long) filler pattern to them
    # A restatement closed by "noted" is diluted by its formulas ("感谢您的咨询，我们将竭诚为您服务"):
    # less of it need be the customer's before the formulas are cut out.
    closed = _NOTED.search(text) is not None     # "已记录", "我都记下了", "还有什么可以帮您"
    if overlap < (0.3 if closed else 0.6):
        return False
    # What is left once the formulas are cut out (cut, not subtracted pair by pair, so that no
    # pair straddling a formula's edge, "会竭" of "我们会竭诚为您服务", counts as the trainee's own).
    bare = _FILLER.sub("，", _RESTATED.sub("，", answered) if closed else answered)
    novel = cjk_bigrams(_PERSON.sub("您", bare)) - theirs
    novel = {b for b in novel if not (b[0] == "您" or b[1] == "您")}
    # English words the customer did not use are the trainee's own too ("这次normal speed念，你听清了
    # 再confirm"), each worth two pairs, as content_chars counts them.
    english = {w.lower() for w in _LATIN_WORD.findall(bare) if not _mashed(w)} \
        - {w.lower() for w in _LATIN_WORD.findall(customer)}
    # A restatement closed by "noted" may paraphrase the customer a little more (分几天存 for 分几天):
    # what it adds of its own is still only a few pairs.
    return len(novel) + 2 * len(english) < (10 if closed else 8)


@lru_cache(maxsize=1024)
def _customer_grams(customer: str) -> frozenset:
    """The customer's pairs with 我/你/咱 read as 您 (cached: many replies answer one line)."""
    return cjk_bigrams(_PERSON.sub("您", customer))


# Words that agree to something: what turns a parroted request into a yes ("分三天来取，行").
# A bare yes before the customer's own word is the usual Chinese way to answer a yes-or-no
# question ("是不是报了？" — "嗯，报了"): an answer, not a parrot.
_AGREES = re.compile(r"行|(?<!问)好(?!的心情)|可以|没问题|成|收下|收了|收着|就这么|没事|放心|照办|"
                     r"按您说的|答应|ok|OK|^[嗯对是][，,。！!、\s]|^(是的|没错|对的|有的)")


_GREETINGS = re.compile(r"[您你]好|早上好|下午好|晚上好")
# A closing "noted" after the customer's words handed back acknowledges them, it agrees to nothing
# ("……您都报警了。好的，明白了，收到。"); "好的，我这就办" is not a closing formula.
_ACKNOWLEDGED = re.compile(r"((好的|好|嗯)?[，,、\s]*(明白了?|收到了?|了解了?|知道了?|清楚了?)[，,、。！!～~\s]*)+"
                           r"((感谢|谢谢)(您的)?(来电|理解|配合|反馈))?[。！!～~\s]*$")


def parroted(span: str, reply: str, customer: str, told: bool = False) -> bool:
    """The span is the customer's own words handed back and nothing else in the reply agrees to
    them: a parrot, not a promise (it games the grader; it does not cross a line). `told`: the
    red line is one of telling (a leak, a promise), so a closing "好的，收到" tells nothing; to a
    thing to be done (split the cash) it may be taken as a yes."""
    span, reply, customer = (_PERSON.sub("您", t) for t in (span, reply, customer))
    grams = cjk_bigrams(span)
    if not grams or len(grams & cjk_bigrams(customer)) / len(grams) < 0.8:
        return False
    rest = _GREETINGS.sub("", reply)
    if told:
        rest = _ACKNOWLEDGED.sub("", rest)
    for run in sorted(_shared_runs(rest, customer), key=len, reverse=True):
        rest = rest.replace(run, "")
    return not _AGREES.search(rest)


def _shared_runs(reply: str, customer: str) -> set:
    """The longest runs of two or more characters of the reply that also stand in the customer's line."""
    runs, i = set(), 0
    while i < len(reply):
        j = i + 2
        while j <= len(reply) and reply[i:j] in customer:
            j += 1
        if j - 1 - i >= 2:
            runs.add(reply[i:j - 1])
            i = j - 1
        else:
            i += 1
    return runs


# What may be left of a reply once the customer's words handed back are taken out, when it says
# nothing of its own: courtesy (a greeting, a name, thanks) and "好的，收到".
_COURTESY = re.compile(r"[您你]好|早上好|下午好|晚上好|(感谢|谢谢|多谢)(您|你)?(的)?(来电|理解|配合|反馈|信任|支持|耐心)?|"
                       r"[\u4e00-\u9fff]{1,2}(总|老板|姐|哥|先生|女士|阿姨|叔叔|叔|老师|师傅|经理)")
_ACK = re.compile(r"好的|好嘞|好|嗯|明白了?|收到了?|了解了?|知道了?|清楚了?|记下了?")


# Pleasantries a reply strung from the customer's words pads itself with: wishes, praise,
# thanks, "your needs are noted", the disclosure slogan recited instead of an answer.
PLEASANTRIES = re.compile(
    r"祝(您|你)?[^，。！？]{0,10}(兴隆|广进|康复|健康|顺利|愉快|如意|红火|发财|大吉|快乐)|(您|你)真是[^，。！？]{0,12}|好眼光|"
    r"理财非存款|产品有风险|投资须谨慎|理财需谨慎|投资有风险|"
    r"(非常|十分|特别)?(感谢|谢谢)(您|你)?(对我行)?(的)?(信任|认可|支持|咨询|来访|耐心|配合|理解|来电|厚爱)?((与|和)(认可|支持|信任))?|"
    r"(您的)?(想法|需求|诉求|情况)(我|我们)?(已经?|都)?(完全|充分)?(理解|收到|了解|记录|记下)(并记录)?(了)?|"
    r"我们(非常|十分)?重视您的(需求|诉求)|请(您)?放心|我们(会|将)认真对待您的每一个需求|我(都|已经?)?记下(来)?了|"
    r"请问还有什么(可以|需要)?(帮|为)?您?(的|做)?的?|我(都|很|非常|完全)?理解(了)?")


def closing_only(text: str):
    """"agrees" when the text is only courtesy and "好的，收到", "courtesy" when it is only
    courtesy, None when it says anything else."""
    rest = _COURTESY.sub("", text)
    acked = _ACK.search(rest) is not None
    if re.search(r"[\w]", _ACK.sub("", rest)):
        return None
    return "agrees" if acked else "courtesy"


# A conversation closed and nothing more: "好的，那就这样。", "行吧，就这样", "嗯嗯好的，您慢走"
_CLOSING_WORDS = re.compile(r"那就这样|就这样|那好|行吧|行|好吧|可以|没问题|那|吧|啊|哈|呢|了|您慢走|慢走|再见|拜拜")


def bare_closing(text: str) -> bool:
    """Only courtesy, "好的/收到" and the words that close a conversation ("那就这样"): nothing
    said that could answer anything, or cross any line, unless something improper was asked."""
    if len(text) > 40:     # such a closing is short: most replies are answered without a search
        return False
    rest = _CLOSING_WORDS.sub("", _ACK.sub("", _COURTESY.sub("", text)))
    return re.search(r"\w", rest) is None


def content_chars(text: str) -> int:
    """How many Chinese characters remain once courtesy/structure formulas are taken out, an
    English word counted as two (a Chinese word's worth: "Grandpa这是scam，我帮您call police")."""
    rest = _FILLER.sub("", text)
    # Chinese characters counted run by run (a list of runs, not one string per character)
    return sum(map(len, _HAN_RUNS.findall(rest))) + 2 * sum(not _mashed(w) for w in _LATIN_WORD.findall(rest))


def is_off_topic(text: str, kind: str, topic: re.Pattern, customer: str) -> bool:
    """Says nothing about this kind of situation: no topic words and nothing of what the customer
    said, or mainly a sales pitch. A reply that answers and then offers an alternative
    ("不能借给您。要不看看信用卡分期？") is not a pitch."""
    topic_hits = len(topic.findall(text))
    # Nine replies in ten hold none of the strings a pitch needs: one search of those says so.
    pitch_hits = len(_PITCH.findall(text)) if kind != "product_sale" and _PITCH_HINT.search(text) else 0
    overlap = len(shared_content(text, customer))
    if pitch_hits >= 2 and (overlap < 2 or pitch_hits >= 3) and (pitch_hits > topic_hits or (customer and overlap == 0)):
        pitching = {True: [], False: []}
        for s in re.split(r"(?<=[。！？!?；;])", text):
            pitching[_PITCH.search(s) is not None].append(s)
        # A sentence of its own that turns the customer down ("私下的不行。") answers before pitching.
        answered = any(_REFUSAL.search(s) for s in pitching[False])
        if sum(map(len, pitching[True])) >= 0.6 * len(text) and not answered:
            return True
    # Without the customer's line we cannot tell a short generic answer from an unrelated one;
    # a reply sharing the customer's own words (借, 买, 批 …) is about what they said.
    return (bool(customer) and topic_hits == 0 and overlap == 0 and sum(map(len, _HAN_RUNS.findall(text))) >= 20
            and len(shared_chars(text, customer)) < 2)


def shared_chars(reply: str, customer: str) -> set:
    """Chinese characters of the reply that the customer also used, leaving out the commonest
    ones (的, 我, 您, 是 …) that any two sentences share."""
    return (set(_CJK.findall(reply)) & set(_CJK.findall(customer))) - _COMMON_CHARS


_COMMON_CHARS = set("的一是不了在有我你您他她这个们来上大为和到以说时要就会可也对能得那下过后里"
                    "好么什没都吗吧呢啊哦嗯呀给把让被还很再先又")


# Compiled here, not looked up in re's cache at each call: these run on every reply
_TOKEN_SEP = re.compile(r"[\s，。、！？；：,.!?;:]+")


def is_word_salad(text: str) -> bool:
    """Keywords strung together without sentences ("您好 大额 现金 身份证 反洗钱 核实…")."""
    tokens = [t for t in _TOKEN_SEP.split(text) if t]
    if len(tokens) < 6:
        return False
    lengths = [len(t) for t in tokens]
    return sum(lengths) / len(lengths) <= 3 and max(lengths) <= 5


def is_rambling(text: str, sentences) -> bool:
    """Long, run-on, filler-laden or repetitive: length without a line of argument."""
    if len(text) < 150:
        return False
    longest = max((s.end - s.start for s in sentences), default=0)
    # Fillers and hedges per 100 characters separate talk from argument: well-built replies
    # in the labelled sets stay under about 1.2, rambling ones are at 1.9 and above.
    density = 100 * len(_RAMBLE.findall(text)) / len(text)
    return longest > 150 or density >= 1.6 or repetition(text) > 0.3


def repetition(text: str) -> float:
    """Share of four-character runs that repeat an earlier one (rambling, padding)."""
    grams = [run[i:i + 4] for run in re.findall(r"[\u4e00-\u9fff]{4,}", text) for i in range(len(run) - 3)]
    if len(grams) < 20:
        return 0.0
    return 1 - len(set(grams)) / len(grams)
