#!/usr/bin/env python3
"""Writes a transcript of about SIZE bytes to OUT, shaped like the archive's
files: front matter, then `> YYYY-MM-DD HH:MM:SS  speaker` messages with the
`   ` separator, Chinese and English text, images, mentions and emoji codes.
About one message in a hundred carries a defect that `check --fix` repairs
(a heading without its space, a one-digit hour, an escaped entity), so the
fix benchmarks have work to do. Deterministic: the same SIZE gives the same
bytes.

    python3 benches/generate_transcript.py SIZE OUT      # SIZE: 10MB, 1GB, 12345
"""
import random
import sys

UNITS = {"": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9}


def parse_size(text):
    text = text.strip().upper()
    digits = text.rstrip("KMGB")
    return int(digits) * UNITS[text[len(digits):]]


SPEAKERS = ["李雄峰", "曹伟", "张百音", "右军", "钟", "韩涛", "alice", "Bob Lee", "秋秋"]
TEXTS = [
    "问题 为啥我锁this 只有一个线程执行  锁ticket变量 缺几个线程都能获得执行权限？",
    "[强][强][强]",
    "秋秋老师的分享",
    "账务处理模式要看业务场景，贷款类和支付类不一样",
    "@右军\u2005你看下这个方案 <http://mp.weixin.qq.com/s?__biz=MzA=&mid=2247484026>",
    "We moved the settlement job to 02:00 so it no longer overlaps the batch.",
    "[捂脸] 这个 bug 是 `ticket--` 不是原子操作",
    "#36氪快讯# 万达 与 腾讯 合作",
    "对账文件 T+1 生成，差错在 [差错处理](http://example.com/errors) 里",
]
DEFECTS = [
    "##异地多活的case方案",           # heading-missing-space
    "&amp;gt; 引用上一条消息",          # an entity written twice
]


def main():
    size, out = parse_size(sys.argv[1]), sys.argv[2]
    rng = random.Random(size)
    seconds = 7 * 3600
    day = 0
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        head = ("---\nlayout:     source\ntitle:      \"2017-05-05-WeChat\"\n"
                "date:       2017-05-05 12:00:00\nauthor:     PaymentGroup\n---\n")
        f.write(head)
        written += len(head.encode())
        chunk = []
        while written < size:
            seconds += rng.randint(0, 40)
            if seconds >= 86400:
                seconds -= 86400
                day += 1
            stamp = "2017-%02d-%02d %02d:%02d:%02d" % (
                1 + day // 28 % 12, 1 + day % 28, seconds // 3600, seconds // 60 % 60, seconds % 60)
            speaker = rng.choice(SPEAKERS)
            roll = rng.random()
            if roll < 0.01:
                body = rng.choice(DEFECTS)
            elif roll < 0.25:
                body = "![%s](http://static.cocolian.org/img/%d.png)" % (stamp, rng.randint(1, 10**6))
            else:
                body = rng.choice(TEXTS)
            message = "> %s  %s  \n   \n%s  \n   \n" % (stamp, speaker, body)
            chunk.append(message)
            written += len(message.encode())
            if len(chunk) >= 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


if __name__ == "__main__":
    main()
