"""Normalizing skips OpenCC only for a text OpenCC would give back unchanged: the shipped list of its
dictionaries' keys is the installed one's, and no text the check lets through is changed by it."""
import random

import opencc

from grading.opencc_keys import KEYS, _keys, digest, share_dir, unchanged

_T2S = opencc.OpenCC("tw2s")


def test_the_key_list_was_made_from_the_installed_dictionaries():
    # When this fails OpenCC's dictionaries changed: remake the list (python -m grading.opencc_keys).
    # Until then normalizing still gives the right text, only slower (every text goes to OpenCC).
    made_from = KEYS.read_text(encoding="utf-8").split("\n")[1]
    assert made_from == digest(share_dir())
    assert _keys() is not None


def test_a_text_let_through_is_one_opencc_leaves_as_it_is():
    random.seed(8)
    pool = [chr(c) for c in range(0x4e00, 0xa000)] + list("，。！？ abcABC123（）「」%")
    passing = [c for c in pool if unchanged(c)]
    tried = 0
    for _ in range(20000):
        text = "".join(random.choices(passing, k=random.randint(1, 12)))
        if unchanged(text):
            tried += 1
            assert _T2S.convert(text) == text
    assert tried > 1000


def test_traditional_text_goes_to_opencc():
    assert not unchanged("這個產品")            # one-character keys
    assert not unchanged("才子佳人")            # a phrase key starting with common characters
    assert unchanged("您好，我马上帮您查询，今天给您回复。")    # plain simplified text skips it
    assert not unchanged("\ud800")              # OpenCC refuses it: it must still be asked


def test_a_common_start_of_a_phrase_key_alone_does_not_send_a_text_to_opencc():
    assert unchanged("请问直接去网点办可以吗？")   # 直接 starts a key (直接參與); no key stands here


def test_on_the_corpus_every_reply_let_through_is_one_opencc_leaves_as_it_is():
    from grading.training.corpus import load_corpus
    pairs = load_corpus()
    texts = {p.reply for p in pairs} | {p.customer for p in pairs}
    through = [t for t in texts if unchanged(t)]
    assert len(through) > len(texts) // 2
    assert [t for t in through if _T2S.convert(t) != t] == []
