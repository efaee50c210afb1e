"""Vocabulary for realistic Chinese names of people, organisations, enterprises and activities."""

from __future__ import annotations

import random

# The most common surnames, weighted roughly by how many people bear them.
SURNAMES = (
    ("王", 72),
    ("李", 71),
    ("张", 68),
    ("刘", 53),
    ("陈", 46),
    ("杨", 32),
    ("黄", 25),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 15),
    ("孙", 15),
    ("马", 12),
    ("朱", 11),
    ("胡", 11),
    ("郭", 11),
    ("何", 10),
    ("林", 10),
    ("罗", 10),
    ("高", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 7),
    ("宋", 7),
    ("唐", 7),
    ("许", 7),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 6),
    ("曾", 5),
    ("萧", 5),
    ("田", 5),
    ("董", 5),
    ("潘", 5),
    ("袁", 5),
    ("蔡", 4),
    ("蒋", 4),
    ("余", 4),
    ("于", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("魏", 3),
    ("苏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("卢", 3),
    ("姚", 3),
    ("沈", 3),
    ("钟", 3),
    ("姜", 3),
    ("崔", 3),
    ("谭", 3),
    ("陆", 3),
    ("范", 3),
    ("汪", 3),
    ("廖", 3),
    ("欧阳", 1),
)
MALE_GIVEN = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欣博文轩睿泽子航晨阳峰"
)
FEMALE_GIVEN = tuple("芳娜敏静丽艳娟霞秀燕玲桂丹萍红雪琳晶妍茜颖婷倩雅欣怡悦涵梓萱思琪佳慧蕾月")
STREET_WORDS = tuple("东南西北中新华和平安康宁泰兴盛江海山湖桥沙塘岗坑头田园")
BRANDS = tuple("华信达中科瑞联创恒通鑫源宏远天海博智云星美邦安泰德盛汇融")
INDUSTRIES = (
    "信息技术",
    "电子商务",
    "快递物流",
    "制造业",
    "餐饮服务",
    "金融服务",
    "建筑工程",
    "批发零售",
    "文化传媒",
    "教育培训",
    "医药健康",
    "新能源",
)
ACTIVITY_TOPICS = (
    "青年志愿服务日",
    "主题团日",
    "青春读书会",
    "社区环保行动",
    "关爱留守儿童",
    "青年创业沙龙",
    "红色研学",
    "防诈骗宣传",
    "无偿献血",
    "青年联谊会",
    "就业见习对接会",
    "文明交通引导",
    "敬老助残",
    "科技进社区",
    "国家安全教育",
)
SERVICE_PROJECTS = (
    "社区网格服务",
    "图书馆导读",
    "地铁站文明引导",
    "敬老院陪伴",
    "河涌巡护",
    "赛事志愿服务",
    "应急救护培训",
    "儿童课业辅导",
    "垃圾分类督导",
    "医院导诊",
)


def person_name(rng: random.Random, female: bool) -> str:
    surname = rng.choices(_SURNAME_CHOICES, cum_weights=_SURNAME_WEIGHTS)[0]
    pool = FEMALE_GIVEN if female else MALE_GIVEN
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    return surname + given


def place_name(rng: random.Random) -> str:
    return rng.choice(STREET_WORDS) + rng.choice(STREET_WORDS)


def brand(rng: random.Random) -> str:
    return rng.choice(BRANDS) + rng.choice(BRANDS)


_SURNAME_CHOICES = tuple(name for name, _ in SURNAMES)
_SURNAME_WEIGHTS = tuple(
    sum(weight for _, weight in SURNAMES[: index + 1]) for index in range(len(SURNAMES))
)
