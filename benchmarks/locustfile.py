"""Simulated trainees for benchmarks/load_test.py (locust, headless; `pip install locust`).

Each simulated trainee holds its own API token (the JSON API's login), reads the scenario library
once, then plays scenarios in practice mode: start an attempt, reply turn after turn with 1-3 s of
think time until the customer ends it, read the debrief, start the next one. Request names:
  scenarios  GET  /api/v1/scenarios            (once per trainee, after "logging in")
  start      POST /api/v1/attempts
  turn       POST /api/v1/attempts/<id>/turns  (the request the target is about)
  debrief    GET  /api/v1/attempts/<id>        (after the last turn)
Settings come from the environment that load_test.py sets: RMTRAINER_BENCH_TOKENS (a JSON file
of tokens), RMTRAINER_BENCH_THINK ("1-3", seconds).
"""
from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

with open(os.environ["RMTRAINER_BENCH_TOKENS"], encoding="utf-8") as f:
    TOKENS = json.load(f)
THINK = tuple(float(x) for x in os.environ.get("RMTRAINER_BENCH_THINK", "1-3").split("-"))
_seats = itertools.count()

# What trainees type: good, middling and poor replies, so grading takes every kind of path.
REPLIES = [
    "{a}您好，真的很抱歉让您着急了。这件事由我来跟进：麻烦您告诉我具体的时间和金额，我马上帮您查，今天下午四点前给您回电话。",
    "{a}，我理解您的心情。我先跟您核对一下情况，确认清楚之后给您一个明确的处理方案，您看可以吗？",
    "好的，谢谢您。按照规定我需要先核实您的身份和风险评估结果，这也是为了保护您的资金安全。",
    "您放心，这款产品很稳，基本不会亏，我现在就帮您办。",
    "{a}您好，这个产品的风险等级是R4，高于您的风险承受能力C2，我不能向您推荐。我们可以看看存款或者国债这类更稳妥的选择。",
    "不好意思，客户的账户信息我们不能透露，包括是否在我行开户。请本人带身份证来办理，或者通过律师申请调查令。",
    "谢谢您的心意，按照规定我们不能收客户的礼品，请您收回。您的资料我今天内帮您复核，有进展第一时间告诉您。",
    "这个我也不太清楚，您自己去网上查一下吧。",
    "{a}，钱不会丢：对方银行会把钱退回，原路回到您卡上，一般1到3个工作日。我今天下午四点前给您打电话确认进度。",
    "大额现金的用途我们需要登记，这是反洗钱的规定，不是针对您。麻烦您说一下这笔钱的用途，我帮您尽快办理。",
]


class Trainee(FastHttpUser):
    """One trainee playing scenarios through the JSON API."""
    wait_time = between(*THINK)

    def on_start(self):
        """Take a seat (a token) and read the library, as logging in would."""
        token = TOKENS[next(_seats) % len(TOKENS)]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.attempt_id, self.address = None, ""
        with self.client.get("/api/v1/scenarios", headers=self.headers, name="scenarios",
                             catch_response=True) as r:
            self.scenarios = [s["id"] for s in r.json()["scenarios"]] if r.status_code == 200 else []
            if not self.scenarios:
                r.failure(f"no scenarios ({r.status_code})")

    @task
    def play(self):
        """Start an attempt, or send the next reply in the current one."""
        if not self.scenarios:
            return
        if self.attempt_id is None:
            self._start()
        else:
            self._reply()

    def _start(self):
        body = {"scenario_id": random.choice(self.scenarios), "mode": "practice"}
        with self.client.post("/api/v1/attempts", json=body, headers=self.headers, name="start",
                              catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"start answered {r.status_code}: {r.text[:200]}")
                return
            data = r.json()
            self.attempt_id, self.address = data["attempt_id"], data["persona"].get("address", "")

    def _reply(self):
        text = random.choice(REPLIES).format(a=self.address)
        path = f"/api/v1/attempts/{self.attempt_id}/turns"
        with self.client.post(path, json={"reply": text}, headers=self.headers, name="turn",
                              catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"turn answered {r.status_code}: {r.text[:200]}")
                self.attempt_id = None
                return
            ended = r.json().get("ending") is not None
        if ended:
            with self.client.get(f"/api/v1/attempts/{self.attempt_id}", headers=self.headers,
                                 name="debrief", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"debrief answered {r.status_code}")
            self.attempt_id = None
