"""Synthetic corpus generator for pybudget.

Writes Chinese government department budget / final-account disclosure
documents (部门预算公开 / 部门决算公开) the way they look after PDF-to-text
conversion, each next to a truth sidecar ``NAME.truth.json`` holding the
figures a parser should recover.  Everything here is written from this
module's own templates; the real seed documents are never read.

Usage::

    python benchmarks/make_corpus.py OUT_DIR -n 200 --seed 1 \\
        [--planted 0.1] [--families shanxi henan generic] \\
        [--renderings tab layout markdown html csv ocr wrapped crlf gb18030 gzip]

or, as a library::

    from benchmarks.make_corpus import generate_corpus
    generate_corpus("out", n=200, seed=1)

Design notes
------------
* Every amount is an integer number of 分 (fen), so all arithmetic is exact.
  Documents printed in 万元 only use multiples of 100 元 (10,000 fen) so two
  decimals are exact.  Truth values are 元 decimal strings ("7339000.00").
* Each document has its own ``random.Random`` seeded from ``(seed, index)``,
  so document *i* is identical whatever ``n`` is, and two runs are
  byte-identical.  Family and rendering are dealt from shuffled blocks so
  that every family and rendering appears in every block of documents.
* Truth conventions the schema leaves open:
  - ``title`` and row ``name`` are the printed text with all whitespace
    (NBSP, U+3000 included) removed and full-width ASCII folded to
    half-width, so OCR/indent variants share one truth; project names too;
  - row ``level`` is derived from the printed code (3/5/7 digits ->
    类/款/项) for function and economic codes, and is null when no code is
    printed or when the code is a unit/project code; Henan's split
    类|款|项 cells are joined into one code;
  - the horizontal 三公 table's single data row has ``name`` "";
  - ``performance`` tables carry no rows (their figures are in
    ``projects`` and ``indicators``); the 部门整体绩效目标表's indicators
    have ``project`` null; in the Henan 项目绩效目标汇总表 the indicator
    continuation lines are not rows, its projects give ``annual_total``
    only and its indicators take ``level1`` from the column group
    (成本指标/产出指标/效益指标/满意度指标) with ``level2`` null;
  - project ``funds`` keys are ``period_``/``annual_`` + ``total``,
    ``central``, ``provincial``, ``local``, ``self_raised`` (printed zeros
    included, the usually blank 其他资金 omitted);
  - indicator ``comparator`` is "=" for a bare number ("100%", "1个") and
    null for qualitative values ("及时");
  - fact ``value`` is the figure as printed (which differs from the table
    when a ``text_vs_table`` inconsistency was planted); subjects are fixed
    names such as 收入总计, 基本支出, 人员经费, “三公”经费, 因公出国(境)费,
    机关运行经费, 政府采购货物, or a function class name;
  - ``planted`` ``expected``/``actual`` are 元 strings for amounts, year
    strings for ``title_year``, and the normalised title / null for
    ``missing_table`` (whose ``line`` is where the table would start; the
    table of contents may still list it).
"""
from __future__ import annotations

import argparse
import csv
import functools
import gzip
import io
import json
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

FAMILIES = ("shanxi", "henan", "generic")
RENDERINGS = ("tab", "layout", "markdown", "html", "csv", "ocr", "wrapped", "crlf", "gb18030", "gzip")

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000          # 1 万元 = 10,000 元
WAN_QUANTUM = 10_000             # 0.01 万元 = 100 元, the smallest printable 万元 step

# --------------------------------------------------------------------------
# Reference data: government function classification (政府收支分类科目).
# One "code name" pair per line; 3 digits = 类, 5 = 款, 7 = 项.
# --------------------------------------------------------------------------
_FUNCTION_TABLE = """
201 一般公共服务支出
20101 人大事务
2010101 行政运行
2010102 一般行政管理事务
2010104 人大会议
2010108 代表工作
20102 政协事务
2010201 行政运行
2010202 一般行政管理事务
2010204 政协会议
20103 政府办公厅（室）及相关机构事务
2010301 行政运行
2010302 一般行政管理事务
2010303 机关服务
2010308 信访事务
2010350 事业运行
20104 发展与改革事务
2010401 行政运行
2010402 一般行政管理事务
2010450 事业运行
20105 统计信息事务
2010501 行政运行
2010502 一般行政管理事务
2010505 专项统计业务
2010507 专项普查活动
20106 财政事务
2010601 行政运行
2010602 一般行政管理事务
2010607 信息化建设
2010650 事业运行
20108 审计事务
2010801 行政运行
2010802 一般行政管理事务
2010804 审计业务
20111 纪检监察事务
2011101 行政运行
2011102 一般行政管理事务
2011104 大案要案查处
20113 商贸事务
2011301 行政运行
2011308 招商引资
20126 档案事务
2012601 行政运行
2012602 一般行政管理事务
2012604 档案馆
20129 群众团体事务
2012901 行政运行
2012902 一般行政管理事务
2012950 事业运行
20132 组织事务
2013201 行政运行
2013202 一般行政管理事务
20133 宣传事务
2013301 行政运行
2013302 一般行政管理事务
20134 统战事务
2013401 行政运行
2013402 一般行政管理事务
20138 市场监督管理事务
2013801 行政运行
2013802 一般行政管理事务
2013812 药品事务
2013816 食品安全监管
204 公共安全支出
20402 公安
2040201 行政运行
2040202 一般行政管理事务
2040220 执法办案
20406 司法
2040601 行政运行
2040602 一般行政管理事务
2040604 基层司法业务
2040607 法律援助
205 教育支出
20501 教育管理事务
2050101 行政运行
2050102 一般行政管理事务
20502 普通教育
2050201 学前教育
2050202 小学教育
2050203 初中教育
2050204 高中教育
20508 进修及培训
2050801 教师进修
2050803 培训支出
206 科学技术支出
20601 科学技术管理事务
2060101 行政运行
2060102 一般行政管理事务
20604 技术研究与开发
2060499 其他技术研究与开发支出
207 文化旅游体育与传媒支出
20701 文化和旅游
2070101 行政运行
2070102 一般行政管理事务
2070104 图书馆
2070108 文化活动
2070109 群众文化
2070112 文化和旅游市场管理
20702 文物
2070204 文物保护
208 社会保障和就业支出
20801 人力资源和社会保障管理事务
2080101 行政运行
2080102 一般行政管理事务
2080109 社会保险经办机构
2080150 事业运行
20802 民政管理事务
2080201 行政运行
2080202 一般行政管理事务
2080208 基层政权建设和社区治理
20805 行政事业单位养老支出
2080501 行政单位离退休
2080502 事业单位离退休
2080505 机关事业单位基本养老保险缴费支出
2080506 机关事业单位职业年金缴费支出
2080599 其他行政事业单位养老支出
20807 就业补助
2080701 就业创业服务补贴
2080705 公益性岗位补贴
20808 抚恤
2080801 死亡抚恤
2080802 伤残抚恤
2080805 义务兵优待
20810 社会福利
2081001 儿童福利
2081002 老年福利
20811 残疾人事业
2081101 行政运行
2081104 残疾人康复
2081105 残疾人就业
2081107 残疾人生活和护理补贴
20819 最低生活保障
2081901 城市最低生活保障金支出
2081902 农村最低生活保障金支出
20820 临时救助
2082001 临时救助支出
20828 退役军人管理事务
2082801 行政运行
2082802 一般行政管理事务
2082850 事业运行
210 卫生健康支出
21001 卫生健康管理事务
2100101 行政运行
2100102 一般行政管理事务
21003 基层医疗卫生机构
2100302 乡镇卫生院
21004 公共卫生
2100401 疾病预防控制机构
2100408 基本公共卫生服务
2100409 重大公共卫生服务
21007 计划生育事务
2100717 计划生育服务
2100799 其他计划生育事务支出
21011 行政事业单位医疗
2101101 行政单位医疗
2101102 事业单位医疗
2101103 公务员医疗补助
21013 医疗救助
2101301 城乡医疗救助
21014 优抚对象医疗
2101401 优抚对象医疗补助
21015 医疗保障管理事务
2101501 行政运行
2101502 一般行政管理事务
2101503 机关服务
2101550 事业运行
2101599 其他医疗保障管理事务支出
211 节能环保支出
21101 环境保护管理事务
2110101 行政运行
2110102 一般行政管理事务
2110104 生态环境保护宣传
21103 污染防治
2110301 大气
2110302 水体
212 城乡社区支出
21201 城乡社区管理事务
2120101 行政运行
2120102 一般行政管理事务
2120104 城管执法
2120106 工程建设管理
21203 城乡社区公共设施
2120399 其他城乡社区公共设施支出
21205 城乡社区环境卫生
2120501 城乡社区环境卫生
21208 国有土地使用权出让收入安排的支出
2120801 征地和拆迁补偿支出
2120803 城市建设支出
213 农林水支出
21301 农业农村
2130101 行政运行
2130102 一般行政管理事务
2130104 事业运行
2130108 病虫害控制
2130122 农业生产发展
2130153 农田建设
21302 林业和草原
2130201 行政运行
2130202 一般行政管理事务
2130204 事业机构
2130205 森林资源培育
2130234 林业草原防灾减灾
21303 水利
2130301 行政运行
2130302 一般行政管理事务
2130306 水利工程运行与维护
2130314 防汛
2130335 农村供水
21305 巩固脱贫攻坚成果衔接乡村振兴
2130504 农村基础设施建设
2130599 其他巩固脱贫攻坚成果衔接乡村振兴支出
214 交通运输支出
21401 公路水路运输
2140101 行政运行
2140102 一般行政管理事务
2140106 公路养护
2140112 公路运输管理
215 资源勘探工业信息等支出
21505 工业和信息产业监管
2150501 行政运行
2150502 一般行政管理事务
216 商业服务业等支出
21602 商业流通事务
2160201 行政运行
2160202 一般行政管理事务
220 自然资源海洋气象等支出
22001 自然资源事务
2200101 行政运行
2200102 一般行政管理事务
2200106 自然资源利用与保护
2200150 事业运行
221 住房保障支出
22101 保障性安居工程支出
2210105 农村危房改造
22102 住房改革支出
2210201 住房公积金
2210202 提租补贴
2210203 购房补贴
222 粮油物资储备支出
22201 粮油物资事务
2220101 行政运行
2220102 一般行政管理事务
224 灾害防治及应急管理支出
22401 应急管理事务
2240101 行政运行
2240102 一般行政管理事务
2240106 安全监管
229 其他支出
22960 彩票公益金安排的支出
2296002 用于社会福利的彩票公益金支出
2296003 用于体育事业的彩票公益金支出
22999 其他支出
2299999 其他支出
"""


def _parse_code_table(text: str) -> dict[str, str]:
    table = {}
    for line in text.strip().splitlines():
        code, name = line.split(" ", 1)
        table[code] = name
    return table


FUNCTION_NAMES = _parse_code_table(_FUNCTION_TABLE)

# Function classes in the order of the two-sided 收支总表 (Shanxi numbering).
CLASS_ORDER = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("209", "社会保险基金支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("227", "预备费"), ("229", "其他支出"),
    ("230", "转移性支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
)
# Henan-style short class labels (numbered by code - 200 in the 收支总体情况表).
HENAN_CLASS_LABEL = {
    "201": "一般公共服务", "202": "外交", "203": "国防", "204": "公共安全", "205": "教育",
    "206": "科学技术", "207": "文化旅游体育与传媒", "208": "社会保障和就业",
    "209": "社会保险基金支出", "210": "卫生健康", "211": "节能环保", "212": "城乡社区",
    "213": "农林水", "214": "交通运输", "215": "资源勘探工业信息等", "216": "商业服务业等",
    "217": "金融支出", "219": "援助其他地区支出", "220": "自然资源海洋气象等支出",
    "221": "住房保障支出", "222": "粮油物资储备支出", "223": "国有资本经营预算",
    "224": "灾害防治及应急管理", "227": "预备费", "229": "其他支出", "230": "转移性支出",
    "231": "债务还本支出", "232": "债务付息支出", "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
CLASS_NAMES = dict(CLASS_ORDER)
GOV_FUND_CODES = ("2120801", "2120803", "2296002", "2296003")
# Government-fund revenue codes feeding the 政府性基金预算收入表.
GOV_FUND_REVENUE = {"212": ("1030148", "国有土地使用权出让收入"),
                    "229": ("1030155", "彩票公益金收入")}

# --------------------------------------------------------------------------
# Economic classification (支出经济分类).  (code, name, admin gov code/name,
# institution gov code/name).  Administrative units map to 501/502/509,
# public institutions to 505 (对事业单位经常性补助), as in real tables.
# --------------------------------------------------------------------------
ECON_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出",
                "303": "对个人和家庭的补助", "310": "资本性支出"}
_ECON_TABLE = (
    ("30101", "基本工资", "50101", "工资奖金津补贴", "50501", "工资福利支出"),
    ("30102", "津贴补贴", "50101", "工资奖金津补贴", "50501", "工资福利支出"),
    ("30103", "奖金", "50101", "工资奖金津补贴", "50501", "工资福利支出"),
    ("30107", "绩效工资", "50101", "工资奖金津补贴", "50501", "工资福利支出"),
    ("30108", "机关事业单位基本养老保险缴费", "50102", "社会保障缴费", "50501", "工资福利支出"),
    ("30109", "职业年金缴费", "50102", "社会保障缴费", "50501", "工资福利支出"),
    ("30110", "职工基本医疗保险缴费", "50102", "社会保障缴费", "50501", "工资福利支出"),
    ("30112", "其他社会保障缴费", "50102", "社会保障缴费", "50501", "工资福利支出"),
    ("30113", "住房公积金", "50103", "住房公积金", "50501", "工资福利支出"),
    ("30199", "其他工资福利支出", "50199", "其他工资福利支出", "50501", "工资福利支出"),
    ("30201", "办公费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30202", "印刷费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30205", "水费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30206", "电费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30207", "邮电费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30211", "差旅费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30212", "因公出国（境）费用", "50204", "因公出国（境）费用", "50502", "商品和服务支出"),
    ("30213", "维修（护）费", "50209", "维修（护）费", "50502", "商品和服务支出"),
    ("30215", "会议费", "50202", "会议费", "50502", "商品和服务支出"),
    ("30216", "培训费", "50203", "培训费", "50502", "商品和服务支出"),
    ("30217", "公务接待费", "50206", "公务接待费", "50502", "商品和服务支出"),
    ("30226", "劳务费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30227", "委托业务费", "50205", "委托业务费", "50502", "商品和服务支出"),
    ("30228", "工会经费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30229", "福利费", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30231", "公务用车运行维护费", "50208", "公务用车运行维护费", "50502", "商品和服务支出"),
    ("30239", "其他交通费用", "50201", "办公经费", "50502", "商品和服务支出"),
    ("30299", "其他商品和服务支出", "50299", "其他商品和服务支出", "50502", "商品和服务支出"),
    ("30302", "退休费", "50905", "离退休费", "50905", "离退休费"),
    ("30305", "生活补助", "50901", "社会福利和救助", "50901", "社会福利和救助"),
    ("30309", "奖励金", "50901", "社会福利和救助", "50901", "社会福利和救助"),
    ("31002", "办公设备购置", "50306", "设备购置", "50601", "资本性支出（一）"),
    ("31013", "公务用车购置", "50306", "设备购置", "50601", "资本性支出（一）"),
)
ECON = {row[0]: row for row in _ECON_TABLE}
GOV_ECON_CLASSES = {"501": "机关工资福利支出", "502": "机关商品和服务支出",
                    "503": "机关资本性支出（一）", "505": "对事业单位经常性补助",
                    "506": "对事业单位资本性补助", "509": "对个人和家庭的补助"}


# --------------------------------------------------------------------------
# Agencies: what they spend on and what their projects are about.
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Agency:
    """A kind of government department and its typical spending lines."""

    name: str
    domain: str
    admin_run: str              # 行政运行 item of the department itself
    admin_general: str          # 一般行政管理事务-like item for projects
    inst_runs: tuple = ()       # 事业运行-like items for subordinate units
    project_codes: tuple = ()   # other items projects are charged to
    units: tuple = ()           # subordinate public institutions
    topics: tuple = ()          # project / duty topics
    gov_fund: str | None = None  # government-fund item, if it ever gets any


AGENCIES = (
    Agency("医疗保障局", "医疗保障", "2101501", "2101502", ("2101550",), ("2101599", "2101401", "2101503"),
           ("医疗保险服务中心", "医疗保障事务中心"),
           ("医保基金监管", "医保政策宣传", "医保档案规范化管理", "医保经办服务下沉", "城乡居民医保征缴", "医药价格和招标采购")),
    Agency("教育局", "教育", "2050101", "2050102", ("2050203", "2050202", "2050201"), ("2050803", "2050801"),
           ("第一初级中学", "实验小学", "中心幼儿园"),
           ("学生资助", "教师培训", "校园安全管理", "义务教育薄弱环节改善", "农村学生营养改善")),
    Agency("卫生健康委员会", "卫生健康", "2100101", "2100102", ("2100401", "2100302"), ("2100408", "2100409", "2100717"),
           ("疾病预防控制中心", "妇幼保健计划生育服务中心"),
           ("基本公共卫生服务", "重大传染病防控", "家庭医生签约服务", "计划生育家庭奖励扶助", "健康教育宣传")),
    Agency("农业农村局", "农业农村", "2130101", "2130102", ("2130104",), ("2130108", "2130122", "2130153", "2130599"),
           ("农业技术推广中心", "畜牧兽医服务中心"),
           ("高标准农田建设", "农作物病虫害防控", "动物疫病防控", "农业技术推广", "乡村振兴示范创建")),
    Agency("人力资源和社会保障局", "人力资源和社会保障", "2080101", "2080102", ("2080150", "2080109"), ("2080701", "2080705"),
           ("社会保险事业服务中心", "公共就业服务中心"),
           ("就业创业服务", "职业技能培训", "劳动保障监察", "社会保险经办", "高层次人才引进")),
    Agency("民政局", "民政", "2080201", "2080202", ("2081002",), ("2081901", "2081902", "2082001", "2080208"),
           ("社会福利院", "救助管理站"),
           ("城乡低保", "临时救助", "养老服务体系建设", "社区治理创新", "殡葬管理改革"), "2296002"),
    Agency("财政局", "财政", "2010601", "2010602", ("2010650",), ("2010607",),
           ("国库集中支付中心", "财政投资评审中心"),
           ("预算管理一体化", "财政投资评审", "非税收入管理", "政府采购监管", "会计人员继续教育")),
    Agency("发展和改革局", "发展改革", "2010401", "2010402", ("2010450",), (),
           ("价格认证中心", "重点项目服务中心"),
           ("重点项目谋划", "价格监测", "营商环境评价", "社会信用体系建设")),
    Agency("审计局", "审计", "2010801", "2010802", (), ("2010804",), (),
           ("审计业务", "经济责任审计", "审计信息化建设")),
    Agency("统计局", "统计", "2010501", "2010502", (), ("2010505", "2010507"), ("统计普查中心",),
           ("经济普查", "农业普查", "统计调查", "统计执法检查")),
    Agency("市场监督管理局", "市场监督管理", "2013801", "2013802", (), ("2013816", "2013812"),
           ("综合检验检测中心",),
           ("食品安全抽检", "药品安全监管", "特种设备安全监察", "知识产权保护", "市场主体信用监管")),
    Agency("公安局", "公安", "2040201", "2040202", (), ("2040220",), (),
           ("执法办案", "交通秩序管理", "辅警队伍保障", "治安巡逻防控")),
    Agency("司法局", "司法行政", "2040601", "2040602", (), ("2040604", "2040607"), ("公证处", "法律援助中心"),
           ("法律援助", "人民调解", "社区矫正", "普法宣传")),
    Agency("应急管理局", "应急管理", "2240101", "2240102", (), ("2240106",), ("应急救援保障中心",),
           ("安全生产监管", "应急救援队伍建设", "防灾减灾宣传", "应急物资储备")),
    Agency("自然资源局", "自然资源", "2200101", "2200102", ("2200150",), ("2200106",),
           ("不动产登记中心", "土地储备中心"),
           ("国土空间规划编制", "耕地保护", "不动产登记", "地质灾害防治"), "2120801"),
    Agency("生态环境局", "生态环境", "2110101", "2110102", (), ("2110104", "2110301", "2110302"),
           ("生态环境监测站",),
           ("大气污染防治", "水污染防治", "生态环境监测", "环保宣传教育")),
    Agency("住房和城乡建设局", "住房和城乡建设", "2120101", "2120102", (), ("2120106", "2210105"),
           ("建设工程质量安全监督站", "房屋征收服务中心"),
           ("农村危房改造", "建筑市场监管", "老旧小区改造", "燃气安全排查"), "2120803"),
    Agency("城市管理局", "城市管理", "2120101", "2120102", (), ("2120104", "2120501", "2120399"),
           ("环境卫生服务中心", "园林绿化中心"),
           ("城市环境卫生保洁", "城管执法", "园林绿化养护", "市政设施维护")),
    Agency("交通运输局", "交通运输", "2140101", "2140102", (), ("2140106", "2140112"),
           ("公路事业发展中心", "交通运输综合行政执法大队"),
           ("农村公路养护", "道路运输管理", "交通安全隐患整治")),
    Agency("水利局", "水利", "2130301", "2130302", (), ("2130306", "2130314", "2130335"),
           ("水资源服务中心", "河道管理站"),
           ("防汛抗旱", "农村供水保障", "河湖长制", "水利工程维修养护")),
    Agency("林业局", "林业", "2130201", "2130202", ("2130204",), ("2130205", "2130234"),
           ("国有林场", "森林病虫害防治站"),
           ("森林防火", "造林绿化", "林业有害生物防治", "天然林保护")),
    Agency("文化和旅游局", "文化和旅游", "2070101", "2070102", ("2070104", "2070109"), ("2070108", "2070112", "2070204"),
           ("图书馆", "文化馆"),
           ("群众文化活动", "文物保护", "旅游宣传推介", "文化市场执法")),
    Agency("退役军人事务局", "退役军人事务", "2082801", "2082802", ("2082850",), ("2080801", "2080802", "2080805", "2101401"),
           ("退役军人服务中心",),
           ("优抚对象抚恤", "义务兵家庭优待", "退役军人就业培训", "烈士纪念设施维护")),
    Agency("科学技术局", "科技", "2060101", "2060102", (), ("2060499",), ("科技创新服务中心",),
           ("科技创新平台建设", "科技成果转化", "科普宣传")),
    Agency("工业和信息化局", "工业和信息化", "2150501", "2150502", (), (), ("中小企业服务中心",),
           ("中小企业发展", "工业经济运行监测", "产业园区建设")),
    Agency("商务局", "商务", "2160201", "2160202", (), ("2011308",), ("投资促进中心",),
           ("招商引资", "消费促进活动", "电子商务进农村")),
    Agency("档案馆", "档案", "2012601", "2012602", ("2012604",), (), (),
           ("档案数字化", "档案安全保管", "地方志编纂")),
    Agency("残疾人联合会", "残疾人", "2081101", "2081105", (), ("2081104", "2081107"), ("残疾人康复中心",),
           ("残疾人康复救助", "残疾人就业培训", "残疾人生活补贴"), "2296002"),
    Agency("妇女联合会", "妇女儿童", "2012901", "2012902", (), (), (),
           ("妇女儿童维权", "巾帼建功活动", "家庭教育指导")),
    Agency("总工会", "工会", "2012901", "2012902", ("2012950",), (), ("职工服务中心",),
           ("困难职工帮扶", "职工技能竞赛")),
    Agency("共青团委员会", "共青团", "2012901", "2012902", (), (), (),
           ("青少年思想引领", "青年志愿服务", "青年创业扶持")),
    Agency("人民政府办公室", "政务服务", "2010301", "2010302", ("2010350",), ("2010303", "2010308"),
           ("政务服务中心",),
           ("政务信息化", "政务公开", "12345热线运维")),
    Agency("人大常委会办公室", "人大工作", "2010101", "2010102", (), ("2010104", "2010108"), (),
           ("人大代表履职", "人大会议", "立法调研")),
    Agency("政协办公室", "政协工作", "2010201", "2010202", (), ("2010204",), (),
           ("政协会议", "委员视察调研", "文史资料编纂")),
    Agency("纪律检查委员会", "纪检监察", "2011101", "2011102", (), ("2011104",), (),
           ("案件查办", "廉政教育", "巡察工作")),
    Agency("组织部", "组织", "2013201", "2013202", (), (), ("党员教育中心",),
           ("党员教育培训", "基层党组织建设", "人才工作")),
    Agency("宣传部", "宣传", "2013301", "2013302", (), (), ("融媒体中心",),
           ("新时代文明实践", "精神文明创建", "网络宣传")),
    Agency("统战部", "统一战线", "2013401", "2013402", (), (), (),
           ("民族宗教工作", "统一战线调研", "港澳台侨联络")),
    Agency("粮食和物资储备局", "粮食和物资储备", "2220101", "2220102", (), (), ("粮油质量检测站",),
           ("粮食储备管理", "粮油质量检测", "应急物资储备")),
    Agency("行政审批服务管理局", "行政审批", "2010301", "2010302", ("2010350",), (), ("政务服务中心",),
           ("一网通办", "政务大厅运行", "帮办代办服务")),
    Agency("综合行政执法局", "综合行政执法", "2120101", "2120102", (), ("2120104",), (),
           ("综合执法", "违法建设治理")),
)

# --------------------------------------------------------------------------
# Regions: province -> prefecture cities -> districts/counties (real names).
# Municipalities list their districts directly.
# --------------------------------------------------------------------------
_REGION_TABLE = """
山西省|太原市:小店区 迎泽区 杏花岭区 清徐县 阳曲县 娄烦县;大同市:平城区 云冈区 阳高县 天镇县 广灵县;朔州市:朔城区 平鲁区 山阴县 应县 右玉县 怀仁市;长治市:潞州区 上党区 屯留区 潞城区 襄垣县 平顺县 黎城县 沁县;运城市:盐湖区 临猗县 万荣县 闻喜县 稷山县 新绛县 绛县 垣曲县 夏县 平陆县 芮城县 永济市 河津市;晋中市:榆次区 太谷区 榆社县 左权县 和顺县 昔阳县 寿阳县 祁县 平遥县 灵石县 介休市;临汾市:尧都区 曲沃县 翼城县 襄汾县 洪洞县 古县 安泽县 浮山县 吉县 乡宁县 霍州市 侯马市;吕梁市:离石区 文水县 交城县 兴县 临县 柳林县 石楼县 岚县 方山县 中阳县 交口县 孝义市 汾阳市;忻州市:忻府区 定襄县 五台县 代县 繁峙县 宁武县 静乐县 神池县 五寨县 岢岚县 河曲县 保德县 偏关县 原平市;阳泉市:平定县 盂县;晋城市:沁水县 阳城县 陵川县 泽州县 高平市
河南省|郑州市:中原区 二七区 金水区 惠济区 中牟县 巩义市 荥阳市 新密市 新郑市 登封市;开封市:龙亭区 鼓楼区 祥符区 杞县 通许县 尉氏县 兰考县;洛阳市:老城区 西工区 涧西区 偃师区 孟津区 新安县 栾川县 嵩县 汝阳县 宜阳县 洛宁县 伊川县;平顶山市:新华区 卫东区 宝丰县 叶县 鲁山县 郏县 舞钢市 汝州市;安阳市:文峰区 北关区 殷都区 龙安区 安阳县 汤阴县 滑县 内黄县 林州市;新乡市:红旗区 卫滨区 凤泉区 牧野区 新乡县 获嘉县 原阳县 延津县 封丘县 卫辉市 辉县市 长垣市;焦作市:解放区 中站区 马村区 山阳区 修武县 博爱县 武陟县 温县 沁阳市 孟州市;三门峡市:湖滨区 陕州区 渑池县 卢氏县 义马市 灵宝市;南阳市:宛城区 卧龙区 南召县 方城县 西峡县 镇平县 内乡县 淅川县 社旗县 唐河县 新野县 桐柏县 邓州市;商丘市:梁园区 睢阳区 民权县 睢县 宁陵县 柘城县 虞城县 夏邑县 永城市;信阳市:浉河区 平桥区 罗山县 光山县 新县 商城县 固始县 潢川县 淮滨县 息县;周口市:川汇区 淮阳区 扶沟县 西华县 商水县 沈丘县 郸城县 太康县 鹿邑县 项城市;驻马店市:驿城区 西平县 上蔡县 平舆县 正阳县 确山县 泌阳县 汝南县 遂平县 新蔡县
河北省|石家庄市:长安区 桥西区 新华区 正定县 行唐县 灵寿县 赞皇县;保定市:竞秀区 莲池区 满城区 涞水县 阜平县 定兴县 唐县 涿州市;邯郸市:邯山区 丛台区 复兴区 临漳县 成安县 大名县 涉县 武安市;唐山市:路南区 路北区 丰润区 滦南县 乐亭县 迁西县 遵化市
内蒙古自治区|呼和浩特市:新城区 回民区 玉泉区 赛罕区 托克托县 武川县;包头市:东河区 昆都仑区 青山区 固阳县;赤峰市:红山区 元宝山区 松山区 阿鲁科尔沁旗 巴林左旗 林西县 宁城县
辽宁省|沈阳市:和平区 沈河区 大东区 皇姑区 康平县 法库县 新民市;大连市:中山区 西岗区 沙河口区 甘井子区 长海县 瓦房店市 庄河市;鞍山市:铁东区 铁西区 立山区 台安县 海城市
吉林省|长春市:南关区 宽城区 朝阳区 二道区 农安县 榆树市 德惠市;吉林市:昌邑区 龙潭区 船营区 永吉县 蛟河市 桦甸市;延边朝鲜族自治州:延吉市 图们市 敦化市 珲春市 安图县
黑龙江省|哈尔滨市:道里区 南岗区 道外区 香坊区 依兰县 方正县 宾县 五常市;齐齐哈尔市:龙沙区 建华区 铁锋区 龙江县 依安县 讷河市;牡丹江市:东安区 阳明区 爱民区 林口县 海林市 宁安市
江苏省|南京市:玄武区 秦淮区 建邺区 浦口区 栖霞区 江宁区 溧水区 高淳区;苏州市:姑苏区 吴中区 相城区 吴江区 常熟市 张家港市 昆山市 太仓市;徐州市:云龙区 贾汪区 泉山区 丰县 沛县 睢宁县 新沂市 邳州市;盐城市:亭湖区 盐都区 大丰区 响水县 滨海县 阜宁县 射阳县 建湖县 东台市
浙江省|杭州市:上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 桐庐县 淳安县 建德市;宁波市:海曙区 江北区 北仑区 镇海区 鄞州区 象山县 宁海县 余姚市 慈溪市;温州市:鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市;金华市:婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市
安徽省|合肥市:瑶海区 庐阳区 蜀山区 包河区 长丰县 肥东县 肥西县 庐江县 巢湖市;芜湖市:镜湖区 鸠江区 弋江区 湾沚区 繁昌区 南陵县 无为市;阜阳市:颍州区 颍东区 颍泉区 临泉县 太和县 阜南县 颍上县 界首市;安庆市:迎江区 大观区 宜秀区 怀宁县 太湖县 宿松县 望江县 岳西县 桐城市 潜山市
福建省|福州市:台江区 仓山区 马尾区 晋安区 长乐区 闽侯县 连江县 罗源县 闽清县 永泰县 福清市;泉州市:鲤城区 丰泽区 洛江区 泉港区 惠安县 安溪县 永春县 德化县 石狮市 晋江市 南安市;漳州市:芗城区 龙文区 龙海区 长泰区 云霄县 漳浦县 诏安县 东山县 南靖县 平和县 华安县
江西省|南昌市:东湖区 西湖区 青云谱区 青山湖区 新建区 红谷滩区 南昌县 安义县 进贤县;赣州市:章贡区 南康区 赣县区 信丰县 大余县 上犹县 崇义县 安远县 定南县 全南县 宁都县 于都县 兴国县 会昌县 寻乌县 石城县 瑞金市 龙南市;九江市:濂溪区 浔阳区 柴桑区 武宁县 修水县 永修县 德安县 都昌县 湖口县 彭泽县 瑞昌市 共青城市 庐山市
山东省|济南市:历下区 槐荫区 天桥区 历城区 长清区 章丘区 济阳区 莱芜区 钢城区 平阴县 商河县;青岛市:市南区 市北区 黄岛区 崂山区 李沧区 城阳区 即墨区 胶州市 平度市 莱西市;临沂市:兰山区 罗庄区 河东区 沂南县 郯城县 沂水县 兰陵县 费县 平邑县 莒南县 蒙阴县 临沭县;潍坊市:潍城区 寒亭区 坊子区 奎文区 临朐县 昌乐县 青州市 诸城市 寿光市 安丘市 高密市 昌邑市
湖北省|武汉市:江岸区 江汉区 硚口区 汉阳区 武昌区 洪山区 东西湖区 蔡甸区 江夏区 黄陂区 新洲区;宜昌市:西陵区 伍家岗区 点军区 猇亭区 夷陵区 远安县 兴山县 秭归县 宜都市 当阳市 枝江市;襄阳市:襄城区 樊城区 襄州区 南漳县 谷城县 保康县 老河口市 枣阳市 宜城市;黄冈市:黄州区 团风县 红安县 罗田县 英山县 浠水县 蕲春县 黄梅县 麻城市 武穴市
湖南省|长沙市:芙蓉区 天心区 岳麓区 开福区 雨花区 望城区 长沙县 浏阳市 宁乡市;株洲市:荷塘区 芦淞区 石峰区 天元区 渌口区 攸县 茶陵县 炎陵县 醴陵市;衡阳市:珠晖区 雁峰区 石鼓区 蒸湘区 南岳区 衡阳县 衡南县 衡山县 衡东县 祁东县 耒阳市 常宁市;邵阳市:双清区 大祥区 北塔区 新邵县 邵阳县 隆回县 洞口县 绥宁县 新宁县 城步苗族自治县 武冈市 邵东市
广东省|广州市:荔湾区 越秀区 海珠区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区;韶关市:武江区 浈江区 曲江区 始兴县 仁化县 翁源县 乳源瑶族自治县 新丰县 乐昌市 南雄市;湛江市:赤坎区 霞山区 坡头区 麻章区 遂溪县 徐闻县 廉江市 雷州市 吴川市;梅州市:梅江区 梅县区 大埔县 丰顺县 五华县 平远县 蕉岭县 兴宁市
广西壮族自治区|南宁市:兴宁区 青秀区 江南区 西乡塘区 良庆区 邕宁区 武鸣区 隆安县 马山县 上林县 宾阳县 横州市;柳州市:城中区 鱼峰区 柳南区 柳北区 柳江区 柳城县 鹿寨县 融安县 三江侗族自治县;桂林市:秀峰区 叠彩区 象山区 七星区 雁山区 临桂区 阳朔县 灵川县 全州县 兴安县 永福县 灌阳县 资源县 平乐县 荔浦市
海南省|海口市:秀英区 龙华区 琼山区 美兰区;三亚市:海棠区 吉阳区 天涯区 崖州区
重庆市|重庆市:万州区 涪陵区 渝中区 大渡口区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 綦江区 大足区 渝北区 巴南区 黔江区 长寿区 江津区 合川区 永川区 南川区 璧山区 铜梁区 潼南区 荣昌区 开州区 梁平区 武隆区 城口县 丰都县 垫江县 忠县 云阳县 奉节县 巫山县 巫溪县
北京市|北京市:东城区 西城区 朝阳区 丰台区 石景山区 海淀区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 怀柔区 平谷区 密云区 延庆区
天津市|天津市:和平区 河东区 河西区 南开区 河北区 红桥区 东丽区 西青区 津南区 北辰区 武清区 宝坻区 滨海新区 宁河区 静海区 蓟州区
上海市|上海市:黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区
四川省|成都市:锦江区 青羊区 金牛区 武侯区 成华区 龙泉驿区 青白江区 新都区 温江区 双流区 郫都区 新津区 金堂县 大邑县 蒲江县 都江堰市 彭州市 邛崃市 崇州市 简阳市;绵阳市:涪城区 游仙区 安州区 三台县 盐亭县 梓潼县 北川羌族自治县 平武县 江油市;南充市:顺庆区 高坪区 嘉陵区 南部县 营山县 蓬安县 仪陇县 西充县 阆中市;宜宾市:翠屏区 南溪区 叙州区 江安县 长宁县 高县 珙县 筠连县 兴文县 屏山县
贵州省|贵阳市:南明区 云岩区 花溪区 乌当区 观山湖区 开阳县 息烽县 修文县 清镇市;遵义市:红花岗区 汇川区 播州区 桐梓县 绥阳县 正安县 凤冈县 湄潭县 余庆县 习水县 赤水市 仁怀市;毕节市:七星关区 大方县 金沙县 织金县 纳雍县 赫章县 黔西市
云南省|昆明市:五华区 盘龙区 官渡区 西山区 东川区 呈贡区 晋宁区 富民县 宜良县 石林彝族自治县 嵩明县 安宁市;曲靖市:麒麟区 沾益区 马龙区 陆良县 师宗县 罗平县 富源县 会泽县 宣威市;大理白族自治州:大理市 祥云县 宾川县 弥渡县 永平县 云龙县 洱源县 剑川县 鹤庆县
西藏自治区|拉萨市:城关区 堆龙德庆区 达孜区 林周县 当雄县 尼木县 曲水县 墨竹工卡县;日喀则市:桑珠孜区 南木林县 江孜县 定日县 萨迦县 拉孜县
陕西省|西安市:新城区 碑林区 莲湖区 灞桥区 未央区 雁塔区 阎良区 临潼区 长安区 高陵区 鄠邑区 蓝田县 周至县;宝鸡市:渭滨区 金台区 陈仓区 凤翔区 岐山县 扶风县 眉县 陇县 千阳县 麟游县 凤县 太白县;咸阳市:秦都区 杨陵区 渭城区 三原县 泾阳县 乾县 礼泉县 永寿县 长武县 旬邑县 淳化县 武功县 兴平市 彬州市;延安市:宝塔区 安塞区 延长县 延川县 志丹县 吴起县 甘泉县 富县 洛川县 宜川县 黄龙县 黄陵县 子长市
甘肃省|兰州市:城关区 七里河区 西固区 安宁区 红古区 永登县 皋兰县 榆中县;天水市:秦州区 麦积区 清水县 秦安县 甘谷县 武山县 张家川回族自治县;庆阳市:西峰区 庆城县 环县 华池县 合水县 正宁县 宁县 镇原县
青海省|西宁市:城东区 城中区 城西区 城北区 湟中区 大通回族土族自治县 湟源县;海东市:乐都区 平安区 民和回族土族自治县 互助土族自治县 化隆回族自治县 循化撒拉族自治县
宁夏回族自治区|银川市:兴庆区 西夏区 金凤区 永宁县 贺兰县 灵武市;吴忠市:利通区 红寺堡区 盐池县 同心县 青铜峡市;固原市:原州区 西吉县 隆德县 泾源县 彭阳县
新疆维吾尔自治区|乌鲁木齐市:天山区 沙依巴克区 新市区 水磨沟区 头屯河区 达坂城区 米东区 乌鲁木齐县;克拉玛依市:独山子区 克拉玛依区 白碱滩区 乌尔禾区;伊犁哈萨克自治州:伊宁市 奎屯市 霍尔果斯市 伊宁县 察布查尔锡伯自治县 霍城县 巩留县 新源县 昭苏县 特克斯县 尼勒克县
"""


def _parse_regions(text: str) -> dict[str, list[tuple[str, list[str]]]]:
    regions = {}
    for line in text.strip().splitlines():
        province, cities = line.split("|")
        regions[province] = [(city, counties.split())
                             for city, counties in (part.split(":") for part in cities.split(";"))]
    return regions


REGIONS = _parse_regions(_REGION_TABLE)
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力晓林慧鹏宇浩凯俊峰丹欣雪琳佳蕾瑞博彬思颖子涵晨阳志国海波燕春梅兰"


# --------------------------------------------------------------------------
# Money helpers.  Amounts are ints in fen; nothing here uses floats except the
# budget *generator*, which rounds to the document quantum straight away.
# --------------------------------------------------------------------------
def yuan_str(fen: int) -> str:
    """Exact 元 decimal string for an amount in fen: 7339000 -> "73390.00"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def percent_str(part: int, whole: int) -> str:
    """part/whole as a percentage with two decimals, rounded half up."""
    if whole <= 0:
        return "0.00"
    hundredths = (part * 20000 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _group(int_part: int) -> str:
    return f"{int_part:,}"


@dataclass
class Style:
    """How one document prints numbers and a few typographic habits."""

    unit: str                  # table unit: "万元" or "元"
    quantum: int               # every amount is a multiple of this many fen
    thousands: bool            # "4,092.38" in tables
    yuan_int: bool             # 元 tables print whole amounts without ".00"
    prose_thousands: bool
    prose_zero_bare: bool      # prose prints a zero amount as "0"
    prose_space: bool          # Henan habit: "收入总计 1684.15 万元"
    colon: str                 # "：" or ":" after 部门名称 / 单位
    level2_suffix: bool        # "经济效益指标" rather than "经济效益"

    def table_amount(self, fen: int) -> str:
        """An amount as printed in a table cell of this document."""
        return self._format(fen, self.unit, self.thousands, bare_zero=False)

    def prose_amount(self, fen: int) -> str:
        """An amount as printed in running text (without the unit)."""
        if fen == 0 and self.prose_zero_bare:
            return "0"
        return self._format(fen, self.unit, self.prose_thousands, bare_zero=False)

    def _format(self, fen: int, unit: str, thousands: bool, bare_zero: bool) -> str:
        if unit == "万元":
            whole, rest = divmod(fen, FEN_PER_WAN)
            decimals = f"{rest // WAN_QUANTUM:02d}"
        else:
            whole, rest = divmod(fen, FEN_PER_YUAN)
            decimals = f"{rest:02d}"
            if self.yuan_int and rest == 0:
                return _group(whole) if thousands else str(whole)
        head = _group(whole) if thousands else str(whole)
        return f"{head}.{decimals}"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 21 -> 二十一 (enough for table ordinals up to 99)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else digits[tens]) + "十"
    return head + (digits[ones] if ones else "")


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def normalize_name(text: str) -> str:
    """Row-name / title normal form used in the truth: no whitespace at all
    (NBSP and U+3000 included) and full-width ASCII folded to half-width."""
    return "".join(text.translate(_FULLWIDTH).split())


def html_cell(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    """One <td> of an HTML table, with its spans when they are not 1."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{spans}>{text}</td>"


def html_header(grid: list[list[str]]) -> list[str]:
    """Header rows the way HTML-producing converters (MinerU and the like) print
    them: a label with empty cells below it spans those rows (rowspan), one with
    empty cells after it spans those columns (colspan); covered cells are left out."""
    width = max(map(len, grid))
    grid = [row + [""] * (width - len(row)) for row in grid]
    covered: set[tuple[int, int]] = set()
    rows = []
    for r, row in enumerate(grid):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            down = across = 1
            if text:
                while r + down < len(grid) and grid[r + down][c] == "":
                    down += 1
                while c + across < width and all(grid[k][c + across] == "" and (k, c + across) not in covered
                                                 for k in range(r, r + down)):
                    across += 1
            covered.update((k, j) for k in range(r, r + down) for j in range(c, c + across))
            cells.append(html_cell(text, down, across))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


@functools.lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Terminal-style width: CJK and full-width characters count as 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --------------------------------------------------------------------------
# Budget model: one department's money, generated first and then printed by a
# template family.  Everything printed is derived from these records, which
# is what keeps every table, the prose and the performance targets in step.
# --------------------------------------------------------------------------
@dataclass
class Place:
    """Where a department sits and how its name is prefixed."""

    province: str
    city: str
    county: str | None
    prefix: str       # what precedes the agency name: 朔州市朔城区 / 稷山县 / 三门峡市
    short: str        # Henan tables abbreviate to 市/县/区
    level: str        # 省 / 市 / 县


@dataclass
class Unit:
    """A budget unit: the department itself or a subordinate public institution."""

    name: str
    code: str         # six-digit unit code (Henan tables)
    admin: bool       # 行政单位 (the department itself) vs 事业单位
    staff: int
    run_item: str     # function item its basic expenditure is charged to


@dataclass
class EconLine:
    """One basic-expenditure amount by unit, economic code and function item."""

    unit: int
    econ: str
    item: str
    fen: int


@dataclass
class Indicator:
    """One 三级指标 of a performance target, with its parsed value."""

    level1: str
    level2: str
    name: str
    value: str
    comparator: str | None
    number: str | None
    unit: str | None


@dataclass
class Perf:
    """What a project's 绩效目标表 says besides its indicators."""

    attribute: str
    period: str
    period_funds: dict
    annual_funds: dict
    texts: dict
    indicators: list
    leader: str
    handler: str
    phone: str
    stamp: str


@dataclass
class Project:
    """A project (current year or carried over) and where its money comes from."""

    name: str
    unit: int
    item: str
    fen: int
    source: str           # general | nontax | gov_fund | unit_funds
    ptype: str            # 其他运转类 | 特定目标类
    econ: str
    carry: bool = False
    code: str = ""
    perf: Perf | None = None


@dataclass
class Budget:
    """One department's complete budget, from which every printed figure derives."""

    agency: Agency
    place: Place
    dept: str
    dept_short: str
    dept_code: str        # three digits, printed as "060-…" and Henan "707"
    units: list
    econ: list
    projects: list
    three_public: dict
    procurement: dict
    prev: dict
    cars: int
    office_area: int


MEASURE_KEYS = ("basic", "wages", "household_subsidy", "goods_services", "capital",
                "project_current", "project_carry", "general_budget", "fiscal_appropriation",
                "gov_fund", "unit_funds", "carryover", "project_operating", "project_specific")


def _blank_measures() -> dict:
    return dict.fromkeys(MEASURE_KEYS, 0)


def _finish_measures(m: dict) -> dict:
    """Add the derived measures every table view needs."""
    m["current"] = m["basic"] + m["project_current"]
    m["total"] = m["current"] + m["carryover"]
    m["project"] = m["project_current"] + m["project_carry"]
    m["personnel"] = m["wages"] + m["household_subsidy"]
    m["public"] = m["goods_services"] + m["capital"]
    m["project_general"] = m["general_budget"] - m["basic"]
    m["general_total"] = m["general_budget"] + m["carryover"]
    m["fiscal_total"] = m["general_total"] + m["gov_fund"]
    m["fiscal_current"] = m["general_budget"] + m["gov_fund"]
    m["state_capital"] = 0
    m["special_account"] = 0
    return m


_ECON_GROUP = {"301": "wages", "302": "goods_services", "303": "household_subsidy", "310": "capital"}


def aggregate(budget: Budget, key: Callable[[object], str | None]) -> dict[str, dict]:
    """Sum the budget's econ lines and projects into measure dicts, grouped by
    ``key(record)`` (a function item code, a unit index, ...)."""
    out: dict[str, dict] = {}

    def bucket(record):
        k = key(record)
        if k is None:
            return None
        return out.setdefault(k, _blank_measures())

    for line in budget.econ:
        m = bucket(line)
        if m is None:
            continue
        m["basic"] += line.fen
        m[_ECON_GROUP[line.econ[:3]]] += line.fen
        m["general_budget"] += line.fen
        m["fiscal_appropriation"] += line.fen
    for p in budget.projects:
        m = bucket(p)
        if m is None:
            continue
        kind = "project_operating" if p.ptype == "其他运转类" else "project_specific"
        m[kind] += p.fen
        if p.carry:
            m["carryover"] += p.fen
            m["project_carry"] += p.fen
            continue
        m["project_current"] += p.fen
        if p.source in ("general", "nontax"):
            m["general_budget"] += p.fen
            if p.source == "general":
                m["fiscal_appropriation"] += p.fen
        else:
            m[p.source] += p.fen
    return {k: _finish_measures(v) for k, v in out.items()}


def rollup(items: dict[str, dict]) -> dict[str, dict]:
    """Add 类 (3-digit) and 款 (5-digit) totals to 项-level measures; the
    result's keys sort into print order (class, its sections, their items)."""
    out = {code: dict(m) for code, m in items.items()}
    for code, m in items.items():
        for parent in (code[:3], code[:5]):
            target = out.setdefault(parent, dict.fromkeys(m, 0))
            for k, v in m.items():
                target[k] += v
    return dict(sorted(out.items()))


def total_measures(groups: dict[str, dict]) -> dict:
    """Sum of all measure dicts (the 合计 row)."""
    total: dict = {}
    for m in groups.values():
        for k, v in m.items():
            total[k] = total.get(k, 0) + v
    return total or _finish_measures(_blank_measures())


def code_name(code: str) -> str:
    """Name of a function classification code (类, 款 or 项)."""
    return FUNCTION_NAMES.get(code) or CLASS_NAMES[code]


# --------------------------------------------------------------------------
# Budget generation
# --------------------------------------------------------------------------
def _round_to(fen: float, quantum: int) -> int:
    """Round a raw fen figure to the document quantum, never to zero."""
    return max(quantum, int(round(fen / quantum)) * quantum)


def choose_place(rng: random.Random, family: str) -> Place:
    """A province/city/county for the department; template families lean to
    their home province, as real documents do."""
    home = {"shanxi": "山西省", "henan": "河南省"}.get(family)
    provinces = list(REGIONS)
    province = home if home and rng.random() < 0.7 else rng.choice(provinces)
    city, counties = rng.choice(REGIONS[province])
    roll = rng.random()
    municipality = province in MUNICIPALITIES
    if roll < 0.05 and not municipality:
        return Place(province, city, None, province, "省", "省")
    if roll < 0.32:
        prefix = province if municipality else city
        return Place(province, city, None, prefix, "市", "市")
    county = rng.choice(counties)
    joined = county.endswith("区") or municipality or rng.random() < 0.4
    prefix = city + county if joined else county
    short = "区" if county.endswith("区") else ("市" if county.endswith("市") else "县")
    return Place(province, city, county, prefix, short, "县")


def person_name(rng: random.Random) -> str:
    """A plausible Chinese personal name (负责人 / 经办人)."""
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _make_units(rng: random.Random, agency: Agency, place: Place, dept: str, dept_code: str) -> list[Unit]:
    size = {"省": (40, 160), "市": (15, 70), "县": (5, 35)}[place.level]
    units = [Unit(dept, dept_code + "001", True, rng.randint(*size), agency.admin_run)]
    if agency.units and agency.inst_runs:
        count = rng.choice((0, 1, 1, 2)) if len(agency.units) > 1 else rng.choice((0, 1))
        for i, name in enumerate(rng.sample(agency.units, min(count, len(agency.units)))):
            units.append(Unit(place.prefix + name, f"{dept_code}{i + 2:03d}", False,
                              rng.randint(max(3, size[0] // 2), size[1]),
                              agency.inst_runs[i % len(agency.inst_runs)]))
    return units


def _econ_item(econ: str, unit: Unit) -> str:
    """Function item a basic-expenditure economic line is charged to."""
    fixed = {"30108": "2080505", "30109": "2080506", "30113": "2210201",
             "30305": "2080599", "30309": "2100799"}
    if econ in fixed:
        return fixed[econ]
    if econ == "30110":
        return "2101101" if unit.admin else "2101102"
    if econ == "30302":
        return "2080501" if unit.admin else "2080502"
    return unit.run_item


def _unit_econ_lines(rng: random.Random, index: int, unit: Unit, q: int, cars: int,
                     flags: dict) -> list[EconLine]:
    """Basic expenditure of one unit, line by line, from head count and
    plausible per-person rates (in 元, rounded to the quantum)."""
    n = unit.staff
    base = n * rng.uniform(26000, 42000)
    allowance = n * rng.uniform(12000, 38000)
    bonus = base / 12 * rng.uniform(0.8, 1.2) if unit.admin else 0
    merit = n * rng.uniform(15000, 45000)
    wage_base = base + allowance + bonus + merit
    raw = {
        "30101": base, "30102": allowance, "30103": bonus, "30107": merit,
        "30108": wage_base * 0.16,
        "30109": wage_base * 0.08 if flags["annuity"] else 0,
        "30110": wage_base * rng.uniform(0.07, 0.10),
        "30112": wage_base * 0.01 if rng.random() < 0.8 else 0,
        "30113": wage_base * 0.12,
        "30199": n * rng.uniform(500, 3000) if rng.random() < 0.3 else 0,
        "30201": n * rng.uniform(1000, 4000),
        "30202": n * rng.uniform(200, 900) if rng.random() < 0.3 else 0,
        "30205": n * rng.uniform(100, 300) if rng.random() < 0.3 else 0,
        "30206": n * rng.uniform(300, 900) if rng.random() < 0.4 else 0,
        "30207": n * rng.uniform(100, 500) if rng.random() < 0.4 else 0,
        "30211": n * rng.uniform(500, 3000),
        "30213": n * rng.uniform(300, 1500) if rng.random() < 0.4 else 0,
        "30215": rng.uniform(5000, 40000) if rng.random() < 0.25 else 0,
        "30216": n * rng.uniform(200, 1200) if rng.random() < 0.35 else 0,
        "30217": rng.uniform(2000, 30000) if unit.admin and rng.random() < 0.6 else 0,
        "30212": rng.uniform(20000, 80000) if unit.admin and flags["abroad"] else 0,
        "30228": wage_base * 0.02 if rng.random() < 0.6 else 0,
        "30229": n * rng.uniform(300, 1500) if rng.random() < 0.5 else 0,
        "30231": cars * rng.uniform(8000, 30000) if unit.admin and cars else 0,
        "30239": n * rng.uniform(6000, 12000) if unit.admin else 0,
        "30299": n * rng.uniform(300, 2000) if rng.random() < 0.6 else 0,
        "30302": rng.randint(1, max(2, n // 3)) * rng.uniform(40000, 70000) if flags["retirees"] else 0,
        "30305": rng.uniform(5000, 15000) if rng.random() < 0.12 else 0,
        "30309": rng.randint(1, 6) * 1200 if rng.random() < 0.2 else 0,
    }
    lines = []
    for econ, yuan in raw.items():
        if yuan > 0:
            lines.append(EconLine(index, econ, _econ_item(econ, unit), _round_to(yuan * 100, q)))
    return lines


_PROJECT_PATTERNS = ("{year}年{topic}工作经费", "{topic}专项经费", "{topic}项目", "{year}年{topic}补助资金",
                     "{topic}能力提升项目", "{prefix}{topic}工作经费",
                     "关于提前下达{year}年{topic}专项资金的通知", "{topic}运转经费")
_COMMON_PROJECTS = (("遗属补助", "30305"), ("残疾人就业保障金", "30299"), ("合同制人员工资", "30226"),
                    ("信息化系统运行维护", "30227"), ("办公用房维修改造", "30213"),
                    ("法律顾问服务", "30227"), ("党建工作经费", "30299"), ("办公设备购置", "31002"))
_PROJECT_ECON = ("30299", "30299", "30299", "30227", "30226", "30216", "30202", "31002")


def _amount(rng: random.Random, low_wan: float, high_wan: float, q: int, round_share: float) -> int:
    """Log-uniform amount between two 万元 bounds; often a round number of 万元."""
    wan = low_wan * (high_wan / low_wan) ** rng.random()
    if rng.random() < round_share:
        return max(1, round(wan)) * FEN_PER_WAN
    return _round_to(wan * FEN_PER_WAN, q)


def _make_projects(rng: random.Random, budget: Budget, year: int, family: str, q: int) -> list[Project]:
    agency, place = budget.agency, budget.place
    scale = {"省": 800.0, "市": 300.0, "县": 120.0}[place.level]
    names: list[str] = []
    projects: list[Project] = []
    items = (agency.admin_general,) + agency.project_codes

    def add(name, unit, item, fen, source, ptype, econ, carry=False):
        names.append(name)
        projects.append(Project(name, unit, item, fen, source, ptype, econ, carry))

    for _ in range(rng.randint(1, 7)):
        if rng.random() < 0.25:
            name, econ = rng.choice(_COMMON_PROJECTS)
            ptype = "其他运转类"
            item = agency.admin_general
        else:
            pattern = rng.choice(_PROJECT_PATTERNS)
            name = pattern.format(year=year, topic=rng.choice(agency.topics), prefix=place.prefix)
            econ = rng.choice(_PROJECT_ECON)
            ptype = rng.choice(("其他运转类", "特定目标类", "特定目标类"))
            item = rng.choice(items)
        if name in names:
            continue
        unit = rng.randrange(len(budget.units))
        if not budget.units[unit].admin and rng.random() < 0.5:
            item = budget.units[unit].run_item
        source = "general"
        if family == "henan" and rng.random() < 0.15:
            source = "nontax"
        elif unit and rng.random() < 0.12:
            source = "unit_funds"
        add(name, unit, item, _amount(rng, 0.5, scale, q, 0.45), source, ptype, econ)
    if agency.gov_fund and rng.random() < 0.35:
        topic = "彩票公益金" if agency.gov_fund.startswith("2296") else "土地出让收入"
        add(f"{year}年{topic}安排项目", 0, agency.gov_fund, _amount(rng, 5, scale, q, 0.5),
            "gov_fund", "特定目标类", "30299")
    if rng.random() < 0.45:
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(("{y}年{t}资金", "关于下达{y}年{t}补助资金的通知", "{y}年{t}专项经费")).format(
                y=year - 1, t=rng.choice(agency.topics))
            if name not in names:
                add(name, 0, rng.choice(items), _amount(rng, 0.5, scale / 3, q, 0.3),
                    "general", "特定目标类", "30299", carry=True)
    return projects


def _changed(rng: random.Random, fen: int, q: int) -> int:
    """A plausible prior-year figure for a current-year amount."""
    roll = rng.random()
    if roll < 0.2:
        return fen
    if fen == 0:
        return 0 if roll < 0.8 else _round_to(rng.uniform(0.5, 5) * FEN_PER_WAN, q)
    return _round_to(fen * rng.uniform(0.7, 1.3), q)


def generate_budget(rng: random.Random, family: str, year: int, q: int) -> Budget:
    """Draw one department's complete budget (all amounts multiples of q)."""
    agency = rng.choice(AGENCIES)
    place = choose_place(rng, family)
    dept = place.prefix + agency.name
    dept_short = place.short + agency.name
    dept_code = f"{rng.randint(1, 999):03d}"
    cars = rng.choice((0, 0, 1, 1, 2, 3))
    budget = Budget(agency, place, dept, dept_short, dept_code, [], [], [], {}, {}, {}, cars,
                    rng.randint(80, 2400))
    budget.units = _make_units(rng, agency, place, dept, dept_code)
    flags = {"annuity": rng.random() < 0.5, "abroad": place.level != "县" and rng.random() < 0.08,
             "retirees": rng.random() < 0.45}
    for index, unit in enumerate(budget.units):
        budget.econ.extend(_unit_econ_lines(rng, index, unit, q, cars, flags))
    budget.projects = _make_projects(rng, budget, year, family, q)
    if cars and rng.random() < 0.15:
        budget.projects.append(Project("公务用车购置", 0, agency.admin_general,
                                       _amount(rng, 10, 25, q, 0.6), "general", "其他运转类", "31013"))
    for p in budget.projects:
        p.code = f"{rng.randint(110000, 659999)}{year}{rng.randint(0, 99_999_999):08d}"

    def econ_sum(code: str) -> int:
        return sum(line.fen for line in budget.econ if line.econ == code)

    tp = {"abroad": econ_sum("30212"), "reception": econ_sum("30217"),
          "vehicle_operation": econ_sum("30231"),
          "vehicle_purchase": sum(p.fen for p in budget.projects if p.econ == "31013" and not p.carry)}
    tp["vehicles"] = tp["vehicle_purchase"] + tp["vehicle_operation"]
    tp["total"] = tp["abroad"] + tp["reception"] + tp["vehicles"]
    budget.three_public = tp

    grand = total_measures(aggregate(budget, lambda r: "all"))
    proc = {}
    for key in ("goods", "works", "services"):
        proc[key] = 0 if rng.random() < 0.35 else _round_to(grand["total"] * rng.uniform(0.005, 0.12), q)
    proc["total"] = proc["goods"] + proc["works"] + proc["services"]
    budget.procurement = proc

    current = {"total": grand["total"], "general_current": grand["general_budget"],
               "operating": grand["public"], "fiscal": grand["fiscal_total"]}
    current.update({f"tp_{k}": v for k, v in tp.items()})
    budget.prev = {k: _changed(rng, v, q) for k, v in current.items()}
    return budget


# --------------------------------------------------------------------------
# Performance targets (绩效目标)
# --------------------------------------------------------------------------
_OUTPUT_GROUPS = (
    ("产出指标", "数量指标", (1, 3)), ("产出指标", "质量指标", (1, 2)),
    ("产出指标", "时效指标", (1, 1)), ("产出指标", "成本指标", (0, 1)),
    ("效益指标", "经济效益指标", (0, 1)), ("效益指标", "社会效益指标", (1, 2)),
    ("效益指标", "生态效益指标", (0, 0)), ("效益指标", "可持续影响指标", (0, 1)),
    ("满意度指标", "服务对象满意度指标", (1, 1)),
)
# (name template, comparator symbol or None for qualitative, number range, unit)
_INDICATOR_BANK = {
    "数量指标": (("开展{topic}工作次数", "≥", (2, 24), "次"), ("培训人次", "≥", (30, 500), "人次"),
              ("完成{topic}任务数", "", (1, 12), "项"), ("宣传资料发放数量", "≥", (500, 20000), "份"),
              ("覆盖乡镇（街道）数", "", (3, 20), "个"), ("受益对象人数", "≥", (50, 5000), "人")),
    "质量指标": (("{topic}任务完成率", "", (100, 100), "%"), ("资金使用合规率", "", (100, 100), "%"),
              ("项目验收合格率", "≥", (90, 99), "%"), ("资金使用合规性", None, "合规", None)),
    "时效指标": (("资金拨付及时性", None, "及时", None), ("问题响应时间", "≤", (30, 60), "分钟"),
              ("任务完成及时率", "", (100, 100), "%"), ("项目完成时限", None, "年底前完成", None)),
    "成本指标": (("项目总成本", "≤", "cost", "万元"), ("人均培训成本", "≤", (300, 550), "元/人天"),
              ("{topic}经费", "", "cost", "万元")),
    "经济效益指标": (("节约行政运行成本", None, "有效节约", None), ("带动相关产业发展", None, "逐步提升", None)),
    "社会效益指标": (("{domain}服务水平", None, "有所提高", None), ("群众政策知晓率", "≥", (80, 95), "%"),
                ("{topic}工作成效", None, "明显提升", None)),
    "生态效益指标": (("生态环境改善情况", None, "逐步改善", None),),
    "可持续影响指标": (("{domain}长效机制建设", None, "建立健全", None), ("项目持续发挥作用年限", "≥", (3, 5), "年")),
    "服务对象满意度指标": (("服务对象满意度", "≥", (85, 98), "%"), ("群众满意度", "≥", (85, 95), "%")),
}
_COMPARATORS = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "": "="}


def _wan4(fen: int) -> str:
    """万元 with four decimals, the way cost indicators quote project funds."""
    whole, rest = divmod(fen, FEN_PER_WAN)
    return f"{whole}.{rest // 100:04d}"


def make_indicators(rng: random.Random, topic: str, domain: str, fen: int, short_level2: bool) -> list[Indicator]:
    """Indicators of one project: 产出/效益/满意度 groups in the usual order."""
    out = []
    for level1, level2, (low, high) in _OUTPUT_GROUPS:
        label = level2
        if short_level2 and level2 not in ("数量指标", "质量指标", "时效指标", "成本指标"):
            label = level2[:-2]
        bank = list(_INDICATOR_BANK[level2])
        rng.shuffle(bank)
        count = rng.randint(low, high) if not (low == 0 and high == 1) else int(rng.random() < 0.35)
        if level2 == "生态效益指标" and rng.random() < 0.15:
            count = 1
        for template, symbol, spec, unit in bank[:count]:
            name = template.format(topic=topic, domain=domain)
            if symbol is None:
                out.append(Indicator(level1, label, name, spec, None, None, None))
                continue
            number = _wan4(fen) if spec == "cost" else str(rng.randint(*spec))
            out.append(Indicator(level1, label, name, f"{symbol}{number}{unit}",
                                 _COMPARATORS[symbol], number, unit))
        if count == 0:
            out.append(Indicator(level1, label, "", "", None, None, None))
    return out


def _split_funds(rng: random.Random, fen: int, source: str, level: str) -> dict:
    """Who pays for a project: 中央/省级/市县/单位自筹 shares (fen, exact);
    a department mostly spends its own government's money."""
    funds = dict.fromkeys(("central", "provincial", "local", "self_raised"), 0)
    if source == "unit_funds":
        funds["self_raised"] = fen
        return funds
    own = "provincial" if level == "省" else "local"
    other = "central" if level == "省" else rng.choice(("central", "provincial"))
    roll = rng.random()
    if roll < 0.7 or fen < 2 * FEN_PER_YUAN * 100:
        funds[own] = fen
    elif roll < 0.9:
        funds[other] = fen
    else:
        part = fen * rng.randint(2, 8) // 10 // FEN_PER_YUAN * FEN_PER_YUAN
        funds[other], funds[own] = part, fen - part
    return funds


def make_perf(rng: random.Random, project: Project, budget: Budget, year: int, short_level2: bool) -> Perf:
    """Everything a project's 绩效目标表 prints."""
    topic = re.sub(r"^(关于提前下达|关于下达)?(\d{4}年)?|(工作经费|专项经费|补助资金|项目|运转经费|专项资金的通知|资金)$",
                   "", project.name) or project.name
    years = 1 if rng.random() < 0.7 else rng.choice((2, 3))
    annual = _split_funds(rng, project.fen, project.source, budget.place.level)
    annual["total"] = project.fen
    period = {k: v * years for k, v in annual.items()}
    if years == 1:
        attribute = rng.choice(("一次性项目（1年结束）", "经常性项目", "一次性项目（1年结束）"))
    else:
        attribute = "延续性项目"
    domain = budget.agency.domain
    texts = {
        "项目概况": f"本项目主要用于{topic}相关工作，保障{budget.dept}{domain}工作有序开展。",
        "立项依据": rng.choice((f"依据{budget.place.province}{domain}工作有关文件和本单位{year}年度工作要点设立。",
                             f"经{budget.dept}党组会议研究同意，列入{year}年度部门预算。")),
        "项目设立必要性": f"{topic}是{domain}领域的一项重点任务，需安排资金予以保障，否则相关工作难以按期完成。",
        "保证项目实施的制度、措施": "严格执行财务管理和内部控制制度，实行专款专用，按工作进度拨付资金，接受审计和财政监督。",
        "项目实施计划": f"{year}年一季度制定实施方案，二、三季度组织实施，四季度完成验收和绩效自评。",
        "实施期目标": f"按期完成{topic}各项任务，{domain}工作质量和效率进一步提升。",
        "年度目标": f"{year}年度完成{topic}年度任务，资金使用规范、安全、高效。",
    }
    phone = rng.choice((f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}",
                        f"0{rng.randint(310, 999)}{rng.randint(2_000_000, 8_999_999)}"))
    stamp = f"{year - 1}{rng.randint(10, 12):02d}{rng.randint(1, 28):02d}{rng.randint(8, 18):02d}" \
            f"{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    return Perf(attribute, f"{years}年", period, annual, texts,
                make_indicators(rng, topic, domain, project.fen, short_level2),
                person_name(rng), person_name(rng), phone, stamp)


# --------------------------------------------------------------------------
# Document model: a document is a list of blocks (Line or Table).  Tables
# keep amounts as fen ints until rendering, so the truth is derived from the
# very cells that get printed, including planted alterations.
# --------------------------------------------------------------------------
@dataclass
class Fact:
    """An amount stated in the prose; ``line`` is filled in by the renderer."""

    subject: str
    fen: int
    share: str | None
    line: int = 0


@dataclass
class Line:
    """A line of text in the document model (title, heading, prose, TOC entry)."""

    text: str = ""
    role: str = "text"   # text blank doc_title part section subsection toc toc_part bullet glossary
    anchors: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    extra: str = ""      # toc page number / glossary body


@dataclass(frozen=True)
class Col:
    """What a table column holds: a code, the row name, a measure or plain text."""

    role: str                   # code | name | value | text
    measure: str | None = None
    side: str | None = None
    code_kind: str | None = None  # func | econ | unit | project | revenue


@dataclass
class TRow:
    """A printed table row; cells are strings, fen amounts or None (blank)."""

    cells: list                 # str | int (fen) | None
    truth: bool = True
    anchor: str | None = None
    free: bool = False          # long free-text row: never column-aligned


@dataclass
class Table:
    """A printed table and everything printed around it."""

    kind: str | None
    title: str
    unit: str
    cols: list
    header: list
    rows: list
    meta: list = field(default_factory=list)      # lines under the title
    notes: list = field(default_factory=list)     # lines after the body
    caption: str | None = None                    # 预算公开表N above the title
    unit_first: str | None = None                 # unit line printed before the title
    sub_title: str | None = None                  # （2025年度）
    has_truth_rows: bool = True
    two_sided: bool = False
    title_anchor: str | None = None


def nz(fen: int | None) -> int | None:
    """Zero amounts print as blank cells."""
    return fen if fen else None


def _row_truth(cols: list, cells: list, side: str | None) -> dict | None:
    code_parts, names, values, code_kind = [], [], {}, None
    for col, cell in zip(cols, cells):
        if col.side != side or cell is None or cell == "":
            continue
        if col.role == "code":
            text = str(cell)
            if text.isdigit():
                code_parts.append(text)
                code_kind = col.code_kind
            else:
                names.append(text)
        elif col.role == "name":
            names.append(str(cell))
        elif col.role == "value" and isinstance(cell, int):
            values[col.measure] = yuan_str(cell)
    name = normalize_name("".join(names))
    if not name and not values and not code_parts:
        return None  # a line with nothing printed on it is nothing to find
    code = "".join(code_parts) or None
    level = None
    if code and code_kind in ("func", "econ"):
        level = {3: "类", 5: "款", 7: "项"}.get(len(code))
    return {"code": code, "level": level, "name": name, "side": side, "values": values}


def table_truth(table: Table) -> dict:
    """The truth record of one printed table."""
    rows = []
    if table.has_truth_rows:
        sides = ("income", "expenditure") if table.two_sided else (None,)
        for row in table.rows:
            if not row.truth:
                continue
            for side in sides:
                record = _row_truth(table.cols, row.cells, side)
                if record is not None:
                    rows.append(record)
    empty = table.has_truth_rows and not any(r["values"] for r in rows)
    return {"kind": table.kind, "title": normalize_name(table.title), "unit": table.unit,
            "empty": empty, "rows": rows}


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------
_NUMBER_CELL = re.compile(r"^-?[\d,]+(\.\d+)?$")
_FULLWIDTH_DIGITS = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


#: Footnote marks a scan leaves after a figure ('30.72*', '30.72①', '30.72¹').
FOOTNOTE_MARKS = ("*", "①", "②", "¹", "※")


def ocr_number(text: str, rng: random.Random) -> str:
    """OCR damage inside a number: '733. 90', '50, 000' or full-width digits;
    now and then a footnote mark after an amount."""
    roll = rng.random()
    if roll < 0.45 and "." in text:
        return text.replace(".", ". ", 1)
    if roll < 0.7 and "," in text:
        return text.replace(",", ", ", 1)
    if roll < 0.9:
        return text.translate(_FULLWIDTH_DIGITS)
    if roll < 0.95 and "." in text:  # amounts, not codes
        return text + FOOTNOTE_MARKS[int((roll - 0.9) * 100)]
    return text


# Full-width and half-width brackets/colons trade places under OCR.
_PUNCT_SWAP = str.maketrans({"（": "(", "）": ")", "：": ":", "(": "（", ")": "）", ":": "："})
_CJK_PAIR = re.compile(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
_PROSE_NUMBER = re.compile(r"(?<=\d)\.(?=\d\d)")


def ocr_prose(text: str, rng: random.Random) -> str:
    """Spaces between words (NBSP / U+3000), full-width punctuation and the
    odd broken decimal in running text."""
    if rng.random() < 0.4:
        gaps = [m.start() for m in _CJK_PAIR.finditer(text)]
        for pos in sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 3))), reverse=True):
            text = text[:pos] + rng.choice(("\u3000", "\u00a0", " ")) + text[pos:]
    if rng.random() < 0.3:
        text = text.replace("(", "（").replace(")", "）").replace(":", "：")
    if rng.random() < 0.2:
        text = _PROSE_NUMBER.sub(". ", text, count=1)
    return text


class Renderer:
    """Turns blocks into text lines for one rendering mode, remembering the
    line number of every anchor and fact."""

    def __init__(self, mode: str, rng: random.Random, style: Style):
        self.mode = mode
        self.rng = rng
        self.style = style
        self.lines: list[str] = []
        self.anchor_lines: dict[str, int] = {}
        self.page = rng.randint(2, 6)
        self.markdown_level = rng.choice(("##", "###"))
        self.bold_sections = rng.random() < 0.4
        self.gap = "  " + " " * rng.randint(0, 2)
        self.running_header = ""   # the document title, printed again at the top of some pages

    # -- plumbing --------------------------------------------------------
    def emit(self, text: str, anchors: Iterable[str] = ()) -> int:
        self.lines.append(text)
        number = len(self.lines)
        for anchor in anchors:
            self.anchor_lines[anchor] = number
        return number

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def render(self, blocks: list) -> list[str]:
        for block in blocks:
            if isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Marker):
                self.anchor_lines[block.anchor] = len(self.lines) + 1
            else:
                self.line(block)
        return self.lines

    # -- text lines ------------------------------------------------------
    def line(self, line: Line) -> None:
        if line.role == "blank":
            self.blank()
            return
        text = self.decorate(line)
        if line.role == "doc_title":
            self.running_header = line.text
        if self.mode == "ocr" and line.role in ("text", "glossary"):
            text = ocr_prose(text, self.rng)
        if self.mode == "csv" and line.role in ("doc_title", "part") and self.rng.random() < 0.5:
            text += "," * self.rng.randint(3, 9)  # a cover row of the sheet, as wide as the sheet
        number = self.emit(text, line.anchors)
        for fact in line.facts:
            fact.line = number

    def decorate(self, line: Line) -> str:
        mode, text = self.mode, line.text
        if line.role in ("toc", "toc_part"):
            if mode == "layout":
                return f"{text} {'.' * self.rng.randint(6, 30)} {line.extra}"
            leader = self.rng.choice(("." * self.rng.randint(6, 12), "……", "…………"))
            if mode == "markdown" and line.role == "toc_part":
                return f"<b>{text}</b> {leader}\t{line.extra}"
            return f"{text}{leader}\t{line.extra}"
        if line.role == "bullet":
            return f"- {text}"
        if line.role == "glossary":
            if mode == "markdown":
                return f"{text}、**{line.extra.split('：', 1)[0]}**：{line.extra.split('：', 1)[1]}"
            return f"{text}、{line.extra}"
        if mode == "markdown":
            if line.role == "section" and self.bold_sections:
                return f"**{text}**"
            prefix = {"doc_title": "# ", "part": "## ", "section": "### ", "subsection": "#### "}.get(line.role)
            if prefix:
                return prefix + text
        if mode == "layout" and line.role in ("doc_title", "part"):
            return " " * max(0, (90 - display_width(text)) // 2) + text
        if mode == "layout" and line.role == "text":
            return "    " + text
        return text

    # -- tables ----------------------------------------------------------
    def table(self, table: Table) -> None:
        if table.unit_first:
            self.emit(table.unit_first)
            self.blank()
        if table.caption:
            self.emit(table.caption)
            self.blank()
        title = table.title
        if self.mode == "markdown":
            title = f"{self.markdown_level} {title}"
        elif self.mode == "layout":
            title = " " * max(0, (90 - display_width(title)) // 2) + title
        elif self.mode == "csv" and self.rng.random() < 0.5:
            title += "," * (len(table.cols) - 1)  # the title cell of a row as wide as the sheet
        self.emit(title, [table.title_anchor] if table.title_anchor else [])
        self.blank()
        if table.sub_title:
            self.emit(table.sub_title)
            self.blank()
        for meta in table.meta:
            self.line(meta)
            self.blank()
        header = [[str(c) for c in row] for row in table.header]
        body = [(row, [self.cell_text(c) for c in row.cells]) for row in table.rows]
        if self.mode == "layout":
            self.layout_rows(header, body)
        elif self.mode == "html":
            self.html_rows(header, body)
        elif self.mode == "csv":
            self.csv_rows(header, body)
        else:
            self.tab_rows(header, body, table)
        for note in table.notes:
            self.blank()
            self.line(note)
        self.blank()

    def cell_text(self, cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, int):
            return self.style.table_amount(cell)
        return cell

    def tab_rows(self, header: list, body: list, table: Table) -> None:
        for cells in header:
            self.emit("\t".join(cells))
        next_break = self.rng.randint(14, 30)
        for count, (row, cells) in enumerate(body, 1):
            if self.mode == "ocr":
                cells = [self.ocr_cell(c) for c in cells]
            tails = None
            if self.mode == "wrapped" and not row.free:
                cells, tails = self.wrap_cells(cells, table)
            self.emit("\t".join(cells), [row.anchor] if row.anchor else [])
            if tails:
                self.emit("\t".join(tails))
            if self.mode == "wrapped" and count == next_break and count < len(body):
                self.page_break(header, table.title)
                next_break += self.rng.randint(14, 30)

    def csv_rows(self, header: list, body: list) -> None:
        """Rows as a spreadsheet saves a table as CSV (tabula and camelot write
        the same): fields with a comma, quote or line break quoted, and some
        header cells and long names wrapped inside their quotes (a spreadsheet
        cell with a line break), so one row spans two lines."""
        for cells in header:
            self.emit_csv([self.wrap_in_cell(c, 0.3) for c in cells])
        for row, cells in body:
            if not row.free:
                cells = [self.wrap_in_cell(c, 0.05) if not _NUMBER_CELL.match(c) else c for c in cells]
            self.emit_csv(cells, [row.anchor] if row.anchor else [])

    def wrap_in_cell(self, text: str, chance: float) -> str:
        """A line break inside a cell, between two Chinese characters."""
        cuts = [i for i in range(2, len(text) - 1) if ord(text[i - 1]) > 0x2E80 and ord(text[i]) > 0x2E80]
        if len(text) < 4 or not cuts or self.rng.random() >= chance:
            return text
        cut = self.rng.choice(cuts)
        return text[:cut] + "\n" + text[cut:]

    def emit_csv(self, cells: list, anchors: Iterable[str] = ()) -> None:
        """One CSV record: its first line carries the anchors."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        first, *rest = out.getvalue()[:-1].split("\n")
        self.emit(first, anchors)
        self.lines.extend(rest)

    def html_rows(self, header: list, body: list) -> None:
        """<table> rows with a merged header: the whole table on one line (as
        MinerU prints it) or one <tr> per line."""
        rows = [(text, []) for text in (html_header(header) if header else [])]
        rows += [("<tr>" + "".join(html_cell(c) for c in cells) + "</tr>", [row.anchor] if row.anchor else [])
                 for row, cells in body]
        if self.rng.random() < 0.5:
            self.emit("<table>" + "".join(text for text, _ in rows) + "</table>",
                      [a for _, anchors in rows for a in anchors])
        else:
            for text, anchors in rows:
                self.emit(text, anchors)

    def ocr_cell(self, text: str) -> str:
        """OCR damage to one table cell (numbers more often than names)."""
        roll = self.rng.random()
        if _NUMBER_CELL.match(text):
            return ocr_number(text, self.rng) if roll < 0.3 else text
        if roll < 0.08:
            return text.translate(_PUNCT_SWAP)
        if roll < 0.12 and len(text) > 3:
            cut = self.rng.randint(1, len(text) - 1)
            return text[:cut] + self.rng.choice(("\u3000", "\u00a0", " ")) + text[cut:]
        return text

    def wrap_cells(self, cells: list, table: Table) -> tuple[list, list | None]:
        """Long names spill onto a continuation line in the same column."""
        heads, tails, wrapped = list(cells), [""] * len(cells), False
        for i, (col, text) in enumerate(zip(table.cols, cells)):
            if col.role == "name" and len(text) >= 11 and self.rng.random() < 0.6:
                cut = self.rng.randint(max(4, len(text) // 2), len(text) - 2)
                heads[i], tails[i], wrapped = text[:cut], text[cut:], True
        return heads, (tails if wrapped else None)

    def page_break(self, header: list, title: str) -> None:
        """Residue of a PDF page break inside a table: blank, page number,
        blank, sometimes the document title as a running page header and a
        continuation mark ('续表', or the table title with '（续）'), then the
        table header again."""
        self.page += 1
        self.lines.append("")
        self.lines.append(self.rng.choice((f"- {self.page} -", f"— {self.page} —", str(self.page))))
        self.lines.append("")
        if self.running_header and self.rng.random() < 0.3:
            self.lines.append(self.running_header)
        if self.rng.random() < 0.4:
            self.lines.append(self.rng.choice(("续表", "（续表）", f"{title}（续）")))
        for cells in header:
            self.emit("\t".join(cells))

    def layout_rows(self, header: list, body: list) -> None:
        """pdftotext -layout: pad every column to a common display width."""
        aligned = header + [cells for row, cells in body if not row.free]
        ncols = max((len(c) for c in aligned), default=0)
        widths = [0] * ncols
        for cells in aligned:
            for i, text in enumerate(cells):
                widths[i] = max(widths[i], display_width(text))
        # Some tables are set tight: one space between the name column and the figures,
        # so the longest name nearly touches its row's first figure, as pdftotext prints it.
        tight = None
        if self.rng.random() < 0.3:
            rows = [cells for row, cells in body if not row.free]
            numeric = [i for i in range(ncols) if any(i < len(c) and _NUMBER_CELL.match(c[i]) for c in rows)]
            tight = min(numeric) - 1 if numeric and min(numeric) > 0 else None
        for cells in header:
            self.emit(self.layout_line(cells, widths, numeric=False, tight=tight))
        for row, cells in body:
            if row.free:
                text = "    ".join(c for c in cells if c)
            else:
                text = self.layout_line(cells, widths, numeric=True, tight=tight)
            self.emit(text, [row.anchor] if row.anchor else [])

    def layout_line(self, cells: list, widths: list, numeric: bool, tight: int | None = None) -> str:
        """Cells padded to their columns' widths (figures to the right); a single
        space instead of the gap after column ``tight``."""
        out = ""
        for i, text in enumerate(cells):
            pad = widths[i] - display_width(text)
            out += (" " * pad + text) if numeric and _NUMBER_CELL.match(text) else (text + " " * pad)
            if i + 1 < len(cells):
                out += " " if i == tight else self.gap
        return out.rstrip()


# --------------------------------------------------------------------------
# Building context shared by the template families
# --------------------------------------------------------------------------
@dataclass
class Plant:
    """The one inconsistency planted in a document (decided before building)."""

    rule: str
    subject: str | None = None       # text_vs_table
    delta: int = 0                   # amount change in fen
    table_kind: str | None = None    # missing_table / title_year / children_sum ...
    project: str | None = None       # performance_vs_projects
    year: int | None = None          # title_year
    done: bool = False


class Ctx:
    """Everything a family builder needs: the budget, its aggregates, the
    style, and the truth being collected while blocks are built."""

    def __init__(self, rng: random.Random, family: str, year: int, kind: str,
                 style: Style, budget: Budget, plant: Plant | None):
        self.rng, self.family, self.year, self.kind = rng, family, year, kind
        self.style, self.budget, self.plant = style, budget, plant
        self.W = "预算" if kind == "budget" else "决算"
        self.items = aggregate(budget, lambda r: r.item)
        self.tree = rollup(self.items)
        self.grand = total_measures(self.items)
        self.by_unit = aggregate(budget, lambda r: r.unit)
        self.facts: list[Fact] = []
        self.projects_truth: list[dict] = []
        self.indicators_truth: list[dict] = []
        self.planted: list[dict] = []
        self.three_quote = rng.choice(("“三公”", "“三公”", '"三公"'))
        self._anchor = 0
        # Per-document layout habits, set by generate_document / the builders.
        self.meta: Callable[[], list[Line]] = lambda: []
        self.name_first = False        # 合计 in the code column rather than the name column
        self.perf_thousands = True     # 1,976,800 in 绩效目标表 funds
        self.spaced_year = False       # Henan "2025 年"
        self.henan_subtotals = False   # Henan tables also print 类/款 rows
        self.indent_names = False      # generic: names indented by level
        self.project_first = False     # generic: 项目支出 column before 基本支出
        self.title_prefix = ""         # generic: department name before titles

    def anchor(self) -> str:
        self._anchor += 1
        return f"a{self._anchor}"

    def plants(self, rule: str) -> Plant | None:
        """The plant if it is of this rule and not yet applied."""
        plant = self.plant
        return plant if plant is not None and plant.rule == rule and not plant.done else None

    def record_plant(self, table: str | None, anchor: str, expected: str, actual: str | None) -> None:
        self.plant.done = True
        self.planted.append({"rule": self.plant.rule, "table": table, "anchor": anchor,
                             "expected": expected, "actual": actual})

    def title(self, kind: str, templates: dict, spaced_year: bool = False) -> tuple[str, str | None]:
        """A table title for this document's year and kind, possibly with a
        planted wrong year; returns (title, anchor)."""
        budget_tpl, final_tpl = templates[kind]
        year = self.year
        plant = self.plants("title_year")
        anchor = self.anchor()
        if plant and plant.table_kind == kind and "{y}" in budget_tpl:
            year = plant.year
            self.record_plant(kind, anchor, str(self.year), str(year))
        text = (budget_tpl if self.kind == "budget" else final_tpl).format(
            y=f"{year} " if spaced_year else year)
        return text.replace("“三公”", self.three_quote), anchor

    def missing(self, kind: str) -> bool:
        plant = self.plants("missing_table")
        return bool(plant and plant.table_kind == kind)


class Prose:
    """Writes running text with amounts and registers each amount as a fact."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.pending: list[tuple[Fact, str | None]] = []

    def _text(self, fen: int) -> str:
        style = self.ctx.style
        amount = style.prose_amount(fen)
        return f" {amount} {style.unit}" if style.prose_space else f"{amount}{style.unit}"

    def money(self, subject: str, fen: int, whole: int | None = None) -> str:
        """'761.35万元' (or '761.35万元，占91.06%' when ``whole`` is given)."""
        share = percent_str(fen, whole) if whole is not None else None
        printed, anchor = fen, None
        plant = self.ctx.plants("text_vs_table")
        if plant and plant.subject == subject:
            printed = fen + _signed(self.ctx, fen, plant.delta)
            anchor = self.ctx.anchor()
            self.ctx.record_plant(None, anchor, yuan_str(fen), yuan_str(printed))
        if not any(fact.subject == subject for fact, _ in self.pending):
            self.pending.append((Fact(subject, printed, share), anchor))
        text = self._text(printed)
        return text + f"，占{share}%" if share is not None else text

    def change(self, current: int, previous: int, lead: str = "比上年") -> str:
        """'比上年增加42.64万元，增长5.30%' (no fact: it is not a stated total)."""
        if current == previous:
            return "与上年持平" if lead else "持平"
        if previous == 0:
            return f"{lead}增加{self._text(current)}"
        diff = current - previous
        word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        return f"{lead}{word}{self._text(abs(diff))}，{trend}{percent_str(abs(diff), previous)}%"

    def para(self, text: str, role: str = "text") -> Line:
        """A prose line owning the facts mentioned since the last call."""
        line = Line(text, role)
        for fact, anchor in self.pending:
            line.facts.append(fact)
            self.ctx.facts.append(fact)
            if anchor:
                line.anchors.append(anchor)
        self.pending = []
        return line


def _l(text: str = "", role: str = "text") -> Line:
    return Line(text, role)


def blank() -> Line:
    """A blank-line block (consecutive blanks collapse to one)."""
    return Line("", "blank")


def meta_lines(ctx: Ctx, dept_text: str, label: str = "部门名称", split_unit: bool = False) -> list[Line]:
    """'部门名称：…' and '单位：万元' the way the document's family prints them."""
    c, unit, rng = ctx.style.colon, ctx.style.unit, ctx.rng
    roll = rng.random()
    if roll < 0.08:
        return [_l(f"{label}{c}{dept_text}")]
    if split_unit and roll < 0.25:
        return [_l(f"{label}{c}{dept_text}"), _l(f"单位{c}"), _l(unit)]
    if roll < 0.3:
        return [_l(f"{label}{c}{dept_text} 单位{c}{unit}")]
    return [_l(f"{label}{c}{dept_text}"), _l(f"单位{c}{unit}")]


def func_rows(ctx: Ctx, measure_keys: list, include: Callable[[dict], bool],
              tree: dict | None = None) -> list[TRow]:
    """Code/name/value rows of a function-classification table, 类 then its
    款 then its 项, for every code ``include`` accepts."""
    rows = []
    for code, m in (tree or ctx.tree).items():
        if include(m):
            rows.append(TRow([code, code_name(code)] + [nz(m[k]) for k in measure_keys]))
    return rows


def total_row(ctx: Ctx, measure_keys: list, m: dict, name_first: bool) -> TRow:
    """The 合计 row, with 合计 in the code or in the name column."""
    lead = ["合计", ""] if name_first else ["", "合计"]
    return TRow(lead + [nz(m[k]) for k in measure_keys])


def sum_measures(tree: dict, keys: list, include: Callable[[dict], bool]) -> dict:
    """合计 of the 类 rows a table prints."""
    out = dict.fromkeys(keys, 0)
    for code, m in tree.items():
        if len(code) == 3 and include(m):
            for k in keys:
                out[k] += m[k]
    return out


def econ_groups(ctx: Ctx, by_gov: bool) -> dict:
    """Basic expenditure by economic code (and government economic code when
    ``by_gov``): {(econ, gov_code, gov_name): fen} in code order."""
    out: dict = {}
    for line in ctx.budget.econ:
        row = ECON[line.econ]
        admin = ctx.budget.units[line.unit].admin
        gov = (row[2], row[3]) if admin else (row[4], row[5])
        key = (line.econ,) + (gov if by_gov else ("", ""))
        out[key] = out.get(key, 0) + line.fen
    return dict(sorted(out.items()))


def duty_lines(ctx: Ctx) -> list[str]:
    """本部门职责: numbered duties written from the agency's domain."""
    b, rng = ctx.budget, ctx.rng
    d, topics = b.agency.domain, list(b.agency.topics)
    rng.shuffle(topics)
    gov = {"省": "省委、省政府", "市": "市委、市政府", "县": "县委、县政府"}[b.place.level]
    duties = [
        f"贯彻落实党和国家关于{d}工作的方针政策和决策部署，研究拟订本地区{d}发展规划和政策措施并组织实施。",
        f"负责本地区{d}领域的综合管理和监督检查工作，依法查处有关违法违规行为。",
        f"组织实施{topics[0]}、{topics[-1]}等重点工作，推动{d}领域改革创新。",
        f"负责{d}领域统计分析、信息化建设、政务公开和宣传教育工作。",
        "指导所属单位业务工作，负责本部门财务管理、国有资产管理和内部审计工作。",
        "负责本部门干部队伍建设和党风廉政建设工作。",
        f"完成{gov}交办的其他任务。",
    ]
    keep = sorted(rng.sample(range(len(duties) - 1), rng.randint(3, len(duties) - 1))) + [len(duties) - 1]
    style = rng.choice(("（{}）", "{}、"))
    out = []
    for i, k in enumerate(keep, 1):
        number = chinese_numeral(i) if style.startswith("（") else str(i)
        out.append(style.format(number) + duties[k])
    return out


def org_lines(ctx: Ctx) -> list[str]:
    """机构设置: internal offices and subordinate units."""
    b, rng = ctx.budget, ctx.rng
    suffix = rng.choice(("科", "股", "室"))
    offices = ["办公室"] + [n + suffix for n in rng.sample(
        ("综合", "规划财务", "政策法规", "业务管理", "监督检查", "行政审批", "宣传教育", "信息"), rng.randint(2, 5))]
    lines = [f"根据部门职责分工，本部门内设机构{len(offices)}个：{'、'.join(offices)}。"]
    if len(b.units) > 1:
        names = "、".join(u.name for u in b.units[1:])
        lines.append(f"本部门下属预算单位{len(b.units) - 1}个：{names}。")
    else:
        lines.append("本部门无下属预算单位，部门预算仅包含本级预算。")
    return lines


GLOSSARY = (
    ("基本支出", "指部门为保障机构正常运转、完成日常工作任务所安排的人员经费和公用经费。"),
    ("项目支出", "指部门在基本支出以外，为完成特定工作任务和事业发展目标所安排的支出。"),
    ("“三公”经费", "指使用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"),
    ("机关运行经费", "指行政单位和参照公务员法管理的事业单位用财政拨款安排的基本支出中的公用经费。"),
    ("上年结转", "指以前年度尚未完成、按规定结转到本年度继续使用的资金。"),
    ("一般公共预算", "指以税收为主体的财政收支预算，主要用于保障民生、推动发展和维持机构运转。"),
    ("政府性基金预算", "指依法在一定期限内向特定对象征收、收取的资金，专项用于特定公共事业。"),
    ("国有资本经营预算", "指对国有资本收益作出支出安排的收支预算。"),
    ("单位资金", "指财政拨款和财政专户管理资金以外的收入，包括事业收入、经营收入和其他收入等。"),
)


def glossary_lines(ctx: Ctx) -> list[Line]:
    """名词解释 entries in this module's own wording."""
    entries = list(GLOSSARY)
    if ctx.rng.random() < 0.5:
        ctx.rng.shuffle(entries)
    return [Line(chinese_numeral(i), "glossary", extra=f"{term}：{body}")
            for i, (term, body) in enumerate(entries, 1)]


# --------------------------------------------------------------------------
# Pieces shared by several families
# --------------------------------------------------------------------------
@dataclass
class Marker:
    """Zero-height block: anchors the line where something is missing."""

    anchor: str


REASONS = ("人员变动及工资标准调整", "{topic}项目资金增加", "{topic}项目结束，资金相应减少",
           "落实过紧日子要求，压减一般性支出", "上年结转资金变化", "新增{topic}工作任务",
           "社会保险缴费基数调整", "部分项目调整至其他部门实施")


def reason(ctx: Ctx) -> str:
    """A stock reason for a year-on-year change."""
    return ctx.rng.choice(REASONS).format(topic=ctx.rng.choice(ctx.budget.agency.topics))


def new_table(ctx: Ctx, kind: str, templates: dict, cols: list, header: list, rows: list,
              meta: list, *, two_sided: bool = False, note: str | None = None,
              spaced_year: bool = False, prefix: str = "", caption: str | None = None,
              unit_first: str | None = None) -> Table:
    """A table with its title (possibly planted with a wrong year)."""
    title, anchor = ctx.title(kind, templates, spaced_year)
    has_data = any(isinstance(c, int) for row in rows for c in row.cells)
    notes = [_l(note)] if note and not has_data else []
    return Table(kind, prefix + title, ctx.style.unit, cols, header, rows, meta=meta, notes=notes,
                 caption=caption, unit_first=unit_first, two_sided=two_sided, title_anchor=anchor)


def project_values(projects: list, carry_column: bool = False) -> list:
    """合计, 一般公共预算, 政府性基金, 国有资本经营, 财政专户, 单位资金 (, 上年结转)."""
    def total(pred):
        return nz(sum(p.fen for p in projects if pred(p)))
    values = [total(lambda p: True),
              total(lambda p: not p.carry and p.source in ("general", "nontax")),
              total(lambda p: not p.carry and p.source == "gov_fund"), None, None,
              total(lambda p: not p.carry and p.source == "unit_funds")]
    if carry_column:
        values.append(total(lambda p: p.carry))
    return values


def perf_amount(fen: int, thousands: bool) -> str:
    """Funds in a 绩效目标表: whole 元, thousands-separated in some documents."""
    whole, rest = divmod(fen, FEN_PER_YUAN)
    head = _group(whole) if thousands else str(whole)
    return head if rest == 0 else f"{head}.{rest:02d}"


_FUND_LABELS = (("central", "其中：中央财政资金"), ("provincial", "省级财政资金"),
                ("local", "市县（区）财政资金"), ("self_raised", "单位自筹"))


def perf_table(ctx: Ctx, project: Project, title: str, truncate_annual: bool) -> Table:
    """项目支出绩效目标表 of one project; records projects/indicators truth."""
    b, perf, thousands = ctx.budget, project.perf, ctx.perf_thousands
    period, annual = dict(perf.period_funds), dict(perf.annual_funds)
    funds_anchor = ctx.anchor()
    plant = ctx.plants("performance_vs_projects")
    if plant and plant.project == project.name:
        source = max(("local", "central", "provincial", "self_raised"), key=lambda k: annual[k])
        delta = _signed(ctx, annual[source], plant.delta)
        annual["total"] += delta
        annual[source] += delta
        ctx.record_plant("performance", funds_anchor, yuan_str(project.fen), yuan_str(annual["total"]))
    implementer = b.units[project.unit].name
    rows = [
        TRow(["项目名称", "", project.name, "", "", "", "", ""], False),
        TRow(["主管部门及代码", "", f"{b.dept_code}-{b.dept}", "", "实施单位", "", implementer, ""], False),
        TRow(["项目属性", "", perf.attribute, "", "项目期", "", perf.period, ""], False),
        TRow(["项目资金（元）", "", "实施期资金总额：", perf_amount(period["total"], thousands), "",
              "年度资金总额：", perf_amount(annual["total"], thousands), ""], False, funds_anchor),
    ]
    for key, label in _FUND_LABELS:
        rows.append(TRow(["", "", label, perf_amount(period[key], thousands), "", label,
                          perf_amount(annual[key], thousands), ""], False))
    rows.append(TRow(["", "", "其他资金", "", "", "其他资金", "", ""], False))
    for label in ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划"):
        rows.append(TRow([label, "", perf.texts[label], "", "", "", "", ""], False, free=True))
    rows.append(TRow(["", "", "实施期目标", "", "", "年度目标", "", ""], False))
    rows.append(TRow(["总体目标", "", perf.texts["实施期目标"], "", "", perf.texts["年度目标"], "", ""],
                     False, free=True))
    rows.append(TRow(["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值", ""], False))
    last = (None, None)
    for ind in perf.indicators:
        level1 = ind.level1 if ind.level1 != last[0] else ""
        level2 = ind.level2 if (ind.level1, ind.level2) != last else ""
        last = (ind.level1, ind.level2)
        annual_name = ind.name[:8] if truncate_annual else ind.name
        rows.append(TRow([level1, level2, ind.name, ind.value, level2, annual_name, ind.value, ""], False))
        if ind.name:
            for side, name in (("period", ind.name), ("annual", annual_name)):
                ctx.indicators_truth.append({
                    "project": normalize_name(project.name), "side": side, "level1": ind.level1, "level2": ind.level2,
                    "name": normalize_name(name), "value": ind.value, "comparator": ind.comparator,
                    "number": ind.number, "unit": ind.unit})
    rows.append(TRow(["负责人：", perf.leader, "经办人：", perf.handler, "联系电话：", perf.phone,
                      "填报日期：", perf.stamp], False))
    funds = {}
    for prefix, printed in (("period", period), ("annual", annual)):
        for key in ("total", "central", "provincial", "local", "self_raised"):
            funds[f"{prefix}_{key}"] = yuan_str(printed[key])
    ctx.projects_truth.append({"name": normalize_name(project.name), "department_code": b.dept_code,
                               "department": b.dept,
                               "implementer": implementer, "attribute": normalize_name(perf.attribute),
                               "period": perf.period, "funds": funds})
    table = Table("performance", title, "元", [Col("text")] * 8, [], rows,
                  sub_title=f"（{ctx.year}年度）", has_truth_rows=False, title_anchor=ctx.anchor())
    return table


_OVERALL_INDICATORS = (
    ("投入管理指标", "预算和财务管理", "预算执行率", "≥90%", ">=", "90", "%"),
    ("投入管理指标", "预算和财务管理", "“三公”经费控制率", "≤100%", "<=", "100", "%"),
    ("投入管理指标", "预算和财务管理", "结转结余率", "≤5%", "<=", "5", "%"),
    ("产出指标", "重点工作任务完成", "{topic}", "按计划完成", None, None, None),
    ("产出指标", "履职目标实现", "年度工作目标实现率", "≥90%", ">=", "90", "%"),
    ("效益指标", "履职效益", "{domain}服务水平", "持续提升", None, None, None),
    ("满意度指标", "满意度", "服务对象满意度", "≥90%", ">=", "90", "%"),
)


def overall_table(ctx: Ctx, title: str) -> Table:
    """部门（单位）整体绩效目标表; budget figures are truth rows, the
    indicators go to the indicators truth with project null."""
    b, g, rng = ctx.budget, ctx.grand, ctx.rng
    topics = list(b.agency.topics)
    rng.shuffle(topics)
    cols = [Col("text"), Col("name"), Col("text"), Col("value", "total")]
    goal = f"围绕{b.agency.domain}中心工作，统筹用好各类资金，完成{'、'.join(topics[:2])}等年度重点任务。"
    rows = [TRow(["部门名称", b.dept, "", ""], False),
            TRow(["年度履职目标", goal, "", ""], False, free=True),
            TRow(["年度主要任务", "任务名称", "主要内容", ""], False)]
    for topic in topics[:rng.randint(2, 3)]:
        rows.append(TRow(["", topic, f"按计划推进{topic}工作，确保取得实效", ""], False))
    rows += [TRow(["预算情况", "部门预算总额", "", nz(g["total"])]),
             TRow(["", "其中：政府预算资金", "", nz(g["fiscal_total"])]),
             TRow(["", "财政专户管理资金", "", None]),
             TRow(["", "单位资金", "", nz(g["unit_funds"])]),
             TRow(["", "基本支出", "", nz(g["basic"])]),
             TRow(["", "项目支出", "", nz(g["project"])]),
             TRow(["一级指标", "二级指标", "三级指标", "指标值"], False)]
    last = None
    for level1, level2, name, value, comparator, number, unit in _OVERALL_INDICATORS:
        name = name.format(topic=topics[0], domain=b.agency.domain)
        rows.append(TRow([level1 if level1 != last else "", level2, name, value], False))
        last = level1
        ctx.indicators_truth.append({"project": None, "side": "annual", "level1": level1, "level2": level2,
                                     "name": normalize_name(name), "value": value, "comparator": comparator,
                                     "number": number, "unit": unit})
    return Table("performance_overall", title, ctx.style.unit, cols, [], rows,
                 sub_title=f"（{ctx.year}年度）", title_anchor=ctx.anchor())


def assets_lines(ctx: Ctx) -> list[Line]:
    """国有资产占有使用情况 (cars and office space, no money amounts)."""
    b, y = ctx.budget, ctx.year
    duty_cars = ctx.rng.randint(0, b.cars)
    return [_l("1、车辆情况：", "subsection"),
            _l(f"截至{y - 1}年12月31日，{b.dept}共有公务用车{b.cars}辆，其中：一般公务用车{b.cars - duty_cars}辆，"
               f"执法执勤用车{duty_cars}辆，其他用车0辆。"),
            _l("2、房屋情况：", "subsection"),
            _l(f"截至{y - 1}年12月31日，{b.dept}使用办公用房建筑面积{b.office_area}平方米。")]


# --------------------------------------------------------------------------
# Shanxi family: 13 tables, then 情况说明 and per-project 绩效目标表
# --------------------------------------------------------------------------
SHANXI_TITLES = {
    "summary": ("{y}年预算收支总表", "{y}年收入支出决算总表"),
    "income": ("{y}年预算收入总表", "{y}年收入决算表"),
    "expenditure": ("{y}年预算支出总表", "{y}年支出决算表"),
    "fiscal_summary": ("{y}年财政拨款收支总表", "{y}年财政拨款收入支出决算总表"),
    "general_expenditure": ("{y}年一般公共预算支出预算表（不含上年结转）", "{y}年一般公共预算财政拨款支出决算表（不含上年结转）"),
    "basic_economic": ("{y}年一般公共预算安排基本支出分经济科目表（不含上年结转）", "{y}年一般公共预算财政拨款基本支出决算表"),
    "gov_fund_income": ("{y}年政府性基金预算收入表（不含上年结转）", "{y}年政府性基金预算财政拨款收入决算表"),
    "gov_fund_expenditure": ("{y}年政府性基金预算支出表（不含上年结转）", "{y}年政府性基金预算财政拨款支出决算表"),
    "state_capital": ("{y}年国有资本经营预算收支预算表（不含上年结转）", "{y}年国有资本经营预算财政拨款收支决算表"),
    "three_public": ("{y}年财政拨款安排“三公”经费支出预算表", "{y}年“三公”经费支出决算表"),
    "operating_costs": ("{y}年财政拨款安排机关运行经费预算表", "{y}年机关运行经费支出决算表"),
    "projects": ("{y}年项目支出预算表（本年预算）", "{y}年项目支出决算表（本年）"),
    "projects_carryover": ("{y}年项目支出预算表（上年结转）", "{y}年项目支出决算表（上年结转）"),
}
SHANXI_ALT_TITLES = {
    "three_public": ("{y}年一般公共预算“三公”经费支出预算表", "{y}年一般公共预算“三公”经费支出决算表"),
    "operating_costs": ("{y}年机关运行经费预算财政拨款情况统计表", "{y}年机关运行经费决算财政拨款情况统计表"),
}
_NO_DATA = "注：本表无数据"


def sx_summary(ctx: Ctx, titles: dict) -> Table:
    """预算收支总表: sources on the left, 30 function classes on the right."""
    g, y, W = ctx.grand, ctx.year, ctx.W
    income = [("一、一般公共预算", g["general_budget"]), ("二、政府性基金预算", g["gov_fund"]),
              ("三、国有资本经营预算", 0), ("四、财政专户管理资金", 0), ("五、单位资金", g["unit_funds"])]
    rows = []
    for i, (code, name) in enumerate(CLASS_ORDER):
        left = income[i] if i < len(income) else ("", 0)
        m = ctx.tree.get(code)
        values = [nz(m["total"]), nz(m["current"]), nz(m["carryover"])] if m else [None] * 3
        rows.append(TRow([left[0], nz(left[1]), f"{chinese_numeral(i + 1)}、{name}"] + values))
    totals = [nz(g["total"]), nz(g["current"]), nz(g["carryover"])]
    rows += [TRow(["本年收入合计", nz(g["current"]), "本年支出合计"] + totals),
             TRow(["上年结转", nz(g["carryover"]), "年终结转", None, None, None]),
             TRow(["收入总计", nz(g["total"]), "支出总计"] + totals)]
    cols = [Col("name", side="income"), Col("value", "total", "income"), Col("name", side="expenditure"),
            Col("value", "total", "expenditure"), Col("value", "current", "expenditure"),
            Col("value", "carryover", "expenditure")]
    current = "当年预算安排" if W == "预算" else "本年支出"
    header = [["收入", "", "支出", "", "", ""],
              ["项目", f"{y}年", "项目", f"{y}年合计", current, f"上年结转{'安排' if W == '预算' else '支出'}"]]
    return new_table(ctx, "summary", titles, cols, header, rows, ctx.meta(), two_sided=True)


def sx_income(ctx: Ctx, titles: dict) -> Table:
    """预算收入总表 by function code and source of funds."""
    keys = ["current", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "carryover"]
    cols = [Col("code", code_kind="func"), Col("name")] + [Col("value", k) for k in keys]
    header = [["项目", "", "本年收入", "", "", "", "", "", "上年结转"],
              ["科目编码", "科目名称", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算",
               "财政专户管理资金", "单位资金", ""]]
    rows = [total_row(ctx, keys, ctx.grand, ctx.name_first)] + func_rows(ctx, keys, lambda m: m["total"] > 0)
    return new_table(ctx, "income", titles, cols, header, rows, ctx.meta())


def sx_expenditure(ctx: Ctx, titles: dict, kind: str = "expenditure") -> Table:
    """预算支出总表 (or the 一般公共预算 variant without carry-over)."""
    general = kind == "general_expenditure"
    keys = ["general_budget", "basic", "project_general"] if general else ["total", "basic", "project"]
    cols = [Col("code", code_kind="func"), Col("name"), Col("value", "total"), Col("value", "basic"),
            Col("value", "project")]
    header = [["项目", "", f"{ctx.year}年{ctx.W}数", "", ""], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    include = (lambda m: m["general_budget"] > 0) if general else (lambda m: m["total"] > 0)
    rows = [total_row(ctx, keys, ctx.grand, ctx.name_first)] + func_rows(ctx, keys, include)
    return new_table(ctx, kind, titles, cols, header, rows, ctx.meta())


def sx_fiscal(ctx: Ctx, titles: dict) -> Table:
    """财政拨款收支总表: fiscal money only, including carry-over."""
    g = ctx.grand
    income = [("一、一般公共预算", g["general_budget"]), ("二、政府性基金预算", g["gov_fund"]),
              ("三、国有资本经营预算", 0)]
    rows = []
    for i, (code, name) in enumerate(CLASS_ORDER):
        left = income[i] if i < len(income) else ("", 0)
        m = ctx.tree.get(code)
        values = [nz(m["fiscal_total"]), nz(m["general_total"]), nz(m["gov_fund"]), None] if m else [None] * 4
        rows.append(TRow([left[0], nz(left[1]), f"{chinese_numeral(i + 1)}、{name}"] + values))
    totals = [nz(g["fiscal_total"]), nz(g["general_total"]), nz(g["gov_fund"]), None]
    rows += [TRow(["本年收入合计", nz(g["fiscal_current"]), "本年支出合计"] + totals),
             TRow(["上年财政拨款结转", nz(g["carryover"]), "年终结转", None, None, None, None]),
             TRow(["一、一般公共预算", nz(g["carryover"]), "", None, None, None, None]),
             TRow(["二、政府性基金预算", None, "", None, None, None, None]),
             TRow(["三、国有资本经营预算", None, "", None, None, None, None]),
             TRow(["收入总计", nz(g["fiscal_total"]), "支出总计"] + totals)]
    cols = [Col("name", side="income"), Col("value", "total", "income"), Col("name", side="expenditure"),
            Col("value", "total", "expenditure"), Col("value", "general_budget", "expenditure"),
            Col("value", "gov_fund", "expenditure"), Col("value", "state_capital", "expenditure")]
    header = [["收入", "", "支出", "", "", "", ""], ["项目", "金额", "项目", "金额", "", "", ""],
              ["", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]]
    return new_table(ctx, "fiscal_summary", titles, cols, header, rows, ctx.meta(), two_sided=True)


def sx_basic_economic(ctx: Ctx, titles: dict) -> Table:
    """基本支出分经济科目表: department and government economic names."""
    groups = econ_groups(ctx, by_gov=True)
    rows, g = [], ctx.grand
    for cls in ("301", "302", "303"):
        members = {k: v for k, v in groups.items() if k[0].startswith(cls)}
        if not members:
            continue
        total = sum(members.values())
        personnel = cls != "302"
        rows.append(TRow([ECON_CLASSES[cls], "", total, total if personnel else None,
                          None if personnel else total]))
        for (econ, _gov_code, gov_name), fen in members.items():
            rows.append(TRow([ECON[econ][1], gov_name, fen, fen if personnel else None,
                              None if personnel else fen]))
    rows.insert(0, TRow(["合计", "", nz(g["basic"]), nz(g["personnel"]), nz(g["public"])]))
    cols = [Col("name"), Col("text"), Col("value", "total"), Col("value", "personnel"), Col("value", "public")]
    header = [["部门预算支出经济科目名称", "政府预算支出经济科目名称", f"{ctx.year}年{ctx.W}数", "", ""],
              ["", "", "合计", "人员经费", "公用经费"]]
    return new_table(ctx, "basic_economic", titles, cols, header, rows, ctx.meta())


def gov_fund_income_rows(ctx: Ctx) -> list[TRow]:
    """Government-fund revenue rows matching the fund-financed projects."""
    rows = []
    for cls, (code, name) in GOV_FUND_REVENUE.items():
        fen = sum(m["gov_fund"] for c, m in ctx.items.items() if c.startswith(cls))
        if fen:
            rows.append(TRow([code, name, fen]))
    return rows


def sx_gov_fund_income(ctx: Ctx, titles: dict) -> Table:
    """政府性基金预算收入表 (usually 本表无数据)."""
    rows = gov_fund_income_rows(ctx)
    rows.insert(0, TRow(["", "合计", nz(ctx.grand["gov_fund"])]))
    cols = [Col("code", code_kind="revenue"), Col("name"), Col("value", "total")]
    header = [["项目", "", "政府性基金收入预算" if ctx.W == "预算" else "政府性基金收入"], ["收入科目编码", "科目名称", ""]]
    return new_table(ctx, "gov_fund_income", titles, cols, header, rows, ctx.meta(), note=_NO_DATA)


def sx_gov_fund_expenditure(ctx: Ctx, titles: dict) -> Table:
    """政府性基金预算支出表 by function code."""
    tree = rollup({c: m for c, m in ctx.items.items() if m["gov_fund"]})
    rows = [TRow(["", "合计", nz(ctx.grand["gov_fund"]), None, nz(ctx.grand["gov_fund"])])]
    rows += [TRow([c, code_name(c), m["gov_fund"], None, m["gov_fund"]]) for c, m in tree.items()]
    cols = [Col("code", code_kind="func"), Col("name"), Col("value", "total"), Col("value", "basic"),
            Col("value", "project")]
    header = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    return new_table(ctx, "gov_fund_expenditure", titles, cols, header, rows, ctx.meta(), note=_NO_DATA)


def sx_state_capital(ctx: Ctx, titles: dict) -> Table:
    """国有资本经营预算收支预算表: always empty for these departments."""
    cols = [Col("code", side="income", code_kind="revenue"), Col("name", side="income"),
            Col("value", "total", "income"), Col("code", side="expenditure", code_kind="func"),
            Col("name", side="expenditure"), Col("value", "total", "expenditure"),
            Col("value", "basic", "expenditure"), Col("value", "project", "expenditure")]
    header = [["国有资本经营预算收入", "", "", "国有资本经营预算支出", "", "", "", ""],
              ["收入科目编码", "科目名称", "金额", "科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    rows = [TRow(["", "合计", None, "", "合计", None, None, None])]
    return new_table(ctx, "state_capital", titles, cols, header, rows, ctx.meta(), two_sided=True, note=_NO_DATA)


def three_public_rows(ctx: Ctx, labels: tuple, extra_cols: int) -> list[TRow]:
    """Vertical 三公 rows: label, 合计 and 一般公共预算 columns."""
    tp = ctx.budget.three_public
    keys = ("abroad", "reception", "vehicles", "vehicle_purchase", "vehicle_operation", "total")
    return [TRow([label, nz(tp[k]), nz(tp[k])] + [None] * extra_cols) for label, k in zip(labels, keys)]


def sx_three_public(ctx: Ctx, titles: dict) -> Table:
    """财政拨款安排“三公”经费支出预算表 (vertical)."""
    labels = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费", "①公务用车购置费", "②公务用车运行维护费", "合计")
    rows = three_public_rows(ctx, labels, 2)
    if ctx.rng.random() < 0.4:
        rows.insert(0, rows.pop())
    cols = [Col("name"), Col("value", "total"), Col("value", "general_budget"), Col("value", "gov_fund"),
            Col("value", "state_capital")]
    header = [["项目", f"{ctx.year}年{ctx.W}数", "", "", ""], ["", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]]
    return new_table(ctx, "three_public", titles, cols, header, rows, ctx.meta(), note=_NO_DATA)


def sx_operating(ctx: Ctx, titles: dict) -> Table:
    """机关运行经费预算表: department total and each unit's 公用经费."""
    rows = [TRow(["部门合计", nz(ctx.grand["public"]), nz(ctx.grand["public"]), None, None])]
    for index, unit in enumerate(ctx.budget.units):
        public = ctx.by_unit.get(index, {}).get("public", 0)
        if public:
            rows.append(TRow([unit.name, public, public, None, None]))
    cols = [Col("name"), Col("value", "total"), Col("value", "general_budget"), Col("value", "gov_fund"),
            Col("value", "state_capital")]
    header = [["单位名称", f"{ctx.year}{ctx.W}数", "", "", ""], ["", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]]
    return new_table(ctx, "operating_costs", titles, cols, header, rows, ctx.meta(), note=_NO_DATA)


def grouped_project_rows(ctx: Ctx, projects: list, width: int) -> list[TRow]:
    """Department row, then each unit's row followed by its projects."""
    if not projects:
        return []
    rows = [TRow([ctx.budget.dept] + project_values(projects)[:width])]
    for index, unit in enumerate(ctx.budget.units):
        own = [p for p in projects if p.unit == index]
        if own:
            rows.append(TRow([unit.name] + project_values(own)[:width]))
            rows += [TRow([p.name] + project_values([p])[:width]) for p in own]
    return rows


def sx_projects(ctx: Ctx, titles: dict, carry: bool) -> Table:
    """项目支出预算表（本年预算）or（上年结转）grouped by unit."""
    projects = [p for p in ctx.budget.projects if p.carry == carry]
    y = ctx.year
    if carry:
        rows = grouped_project_rows(ctx, projects, 4)
        for row in rows:                           # carried-over money is general budget
            row.cells[2] = row.cells[1]
        cols = [Col("name"), Col("value", "total"), Col("value", "general_budget"), Col("value", "gov_fund"),
                Col("value", "state_capital")]
        header = [["项目名称", "合计", f"{y}年财政拨款", "", ""],
                  ["", "", "一般公共预算", "政府性基金预算", "国有资本经营预算"], ["1", "2", "3", "4", "5"]]
        kind = "projects_carryover"
    else:
        rows = grouped_project_rows(ctx, projects, 6)
        cols = [Col("name"), Col("value", "total"), Col("value", "general_budget"), Col("value", "gov_fund"),
                Col("value", "state_capital"), Col("value", "special_account"), Col("value", "unit_funds")]
        header = [["项目名称", "合计", f"{y}年财政拨款", "", "", "财政专户管理资金", "单位资金"],
                  ["", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", ""],
                  ["1", "2", "3", "4", "5", "6", "7"]]
        kind = "projects"
    return new_table(ctx, kind, titles, cols, header, rows, ctx.meta(), note=_NO_DATA)


SHANXI_TABLES = (
    ("summary", sx_summary), ("income", sx_income), ("expenditure", sx_expenditure),
    ("fiscal_summary", sx_fiscal),
    ("general_expenditure", lambda ctx, t: sx_expenditure(ctx, t, "general_expenditure")),
    ("basic_economic", sx_basic_economic), ("gov_fund_income", sx_gov_fund_income),
    ("gov_fund_expenditure", sx_gov_fund_expenditure), ("state_capital", sx_state_capital),
    ("three_public", sx_three_public), ("operating_costs", sx_operating),
    ("projects", lambda ctx, t: sx_projects(ctx, t, False)),
    ("projects_carryover", lambda ctx, t: sx_projects(ctx, t, True)),
)


def class_list(p: Prose, ctx: Ctx, measure: str, whole: int | None) -> list[str]:
    """'社会保障和就业支出82.93万元，占11.30%' for every class with money."""
    out = []
    for code, m in ctx.tree.items():
        if len(code) == 3 and m[measure]:
            name = CLASS_NAMES[code]
            out.append(f"{name}{p.money(name, m[measure], whole)}")
    return out


def three_public_prose(p: Prose, ctx: Ctx, year_word: str) -> list[Line]:
    """“三公”经费 total and items with their changes."""
    tp, prev, W, q = ctx.budget.three_public, ctx.budget.prev, ctx.W, ctx.three_quote
    plant = ctx.plants("text_vs_table")
    if tp["total"] == 0 and not (plant and plant.subject == "“三公”经费") and ctx.rng.random() < 0.5:
        return [_l(f"本部门无{q}经费{W}。")]
    head = p.para(f"{year_word}财政拨款安排的{q}经费{W}{p.money('“三公”经费', tp['total'])}，"
                  f"{p.change(tp['total'], prev['tp_total'])}，主要原因是{reason(ctx)}。")
    parts = [f"因公出国（境）费{p.money('因公出国(境)费', tp['abroad'])}，{p.change(tp['abroad'], prev['tp_abroad'])}",
             f"公务接待费{p.money('公务接待费', tp['reception'])}，{p.change(tp['reception'], prev['tp_reception'])}",
             f"公务用车购置及运行费{p.money('公务用车购置及运行费', tp['vehicles'])}，"
             f"{p.change(tp['vehicles'], prev['tp_vehicles'])}，其中：公务用车购置费"
             f"{p.money('公务用车购置费', tp['vehicle_purchase'])}，公务用车运行维护费"
             f"{p.money('公务用车运行维护费', tp['vehicle_operation'])}"]
    return [head, p.para("其中：" + "；".join(parts) + "。")]


def procurement_prose(p: Prose, ctx: Ctx, lead: str) -> Line:
    """政府采购 total and its 货物/工程/服务 split."""
    proc, W = ctx.budget.procurement, ctx.W
    return p.para(f"{lead}政府采购{W}总额{p.money('政府采购', proc['total'])}。其中：政府采购货物{W}"
                  f"{p.money('政府采购货物', proc['goods'])}、政府采购工程{W}{p.money('政府采购工程', proc['works'])}、"
                  f"政府采购服务{W}{p.money('政府采购服务', proc['services'])}。")


def econ_names(ctx: Ctx, personnel: bool) -> str:
    """Economic item names of personnel (or public) expenditure, shuffled."""
    names = sorted({ECON[line.econ][1] for line in ctx.budget.econ
                    if (line.econ[:3] != "302") == personnel})
    ctx.rng.shuffle(names)
    return "、".join(names) or "无"


def sx_prose(ctx: Ctx) -> list:
    """第三部分 情况说明 (sections 一 to 九)."""
    p, b, g, y, W, rng = Prose(ctx), ctx.budget, ctx.grand, ctx.year, ctx.W, ctx.rng
    d, total, prev = b.dept, ctx.grand["total"], b.prev
    out = [_l(f"一、部门{W}收支数据变动情况及原因", "section")]
    why = reason(ctx)
    out.append(p.para(
        f"{y}年度{d}{W}收入总计{p.money('收入总计', total)}，其中：本年收入{p.money('本年收入', g['current'])}，"
        f"上年结转{p.money('上年结转', g['carryover'])}，{p.change(total, prev['total'])}，主要原因是{why}；"
        f"本年部门{W}支出总计{p.money('支出总计', total)}，其中：本年{W}安排{p.money('本年支出', g['current'])}，"
        f"上年结转{p.money('上年结转', g['carryover'])}，{p.change(total, prev['total'])}，主要原因是{why}。"))
    out.append(_l(f"二、收入{W}情况说明", "section"))
    lead = f"{y}年度{d}{W}收入{p.money('收入总计', total)}，主要包括"
    parts = [f"一般公共预算拨款收入{p.money('一般公共预算拨款收入', g['general_budget'], total)}",
             f"政府性基金预算拨款收入{p.money('政府性基金预算拨款收入', g['gov_fund'], total)}",
             f"国有资本经营预算拨款收入{p.money('国有资本经营预算拨款收入', 0, total)}",
             f"财政专户管理资金收入{p.money('财政专户管理资金收入', 0, total)}",
             f"单位资金{p.money('单位资金', g['unit_funds'], total)}",
             f"上年结转{p.money('上年结转', g['carryover'], total)}"]
    out.append(p.para(lead + "；".join(parts) + "。"))
    out.append(_l(f"三、支出{W}情况说明", "section"))
    out.append(p.para(f"{y}年度{d}支出{W}{p.money('支出总计', total)}，其中：基本支出"
                      f"{p.money('基本支出', g['basic'], total)}；项目支出{p.money('项目支出', g['project'], total)}。"))
    out.append(_l(f"四、财政拨款收支{W}总体情况说明", "section"))
    head = (f"{y}年度{d}财政拨款收支总{W}{p.money('财政拨款收支总额', g['fiscal_total'])}。其中：一般公共预算拨款"
            f"{p.money('一般公共预算拨款', g['general_total'])}，政府性基金预算拨款{p.money('政府性基金预算拨款', g['gov_fund'])}，"
            f"国有资本经营预算拨款{p.money('国有资本经营预算拨款', 0)}。其中：当年拨款收入"
            f"{p.money('当年拨款收入', g['fiscal_current'])}，上年结转收入{p.money('上年结转收入', g['carryover'])}。")
    out.append(p.para(head + "支出包括：" + "、".join(class_list(p, ctx, "fiscal_total", None)) + "等。"))
    out.append(_l("五、一般公共预算支出情况说明", "section"))
    gb = g["general_budget"]
    out.append(_l("（一）一般公共预算当年支出规模变化情况", "subsection"))
    out.append(p.para(f"{y}年度{d}一般公共预算当年支出{p.money('一般公共预算当年支出', gb)}，"
                      f"{p.change(gb, prev['general_current'])}。"))
    out.append(_l("（二）一般公共预算当年支出结构情况", "subsection"))
    lead = f"{y}年度{d}一般公共预算当年支出{p.money('一般公共预算当年支出', gb)}，主要用于以下方面："
    out.append(p.para(lead + "；".join(class_list(p, ctx, "general_budget", gb)) + "等。"))
    out.append(_l("六、一般公共预算基本支出情况说明", "section"))
    parts = [lambda: f"{y}年度{d}一般公共预算安排基本支出{p.money('基本支出', g['basic'])}，其中：",
             lambda: f"人员经费{p.money('人员经费', g['personnel'])}，主要包括：{econ_names(ctx, True)}等；",
             lambda: f"公用经费{p.money('公用经费', g['public'])}，主要包括：{econ_names(ctx, False)}等。"]
    if rng.random() < 0.5:                      # one paragraph, or one line per part
        out.append(p.para("".join(part() for part in parts)))
    else:
        out += [p.para(part()) for part in parts]
    out.append(_l(f"七、{ctx.three_quote}经费增减变动原因说明", "section"))
    out += three_public_prose(p, ctx, f"{y}年{d}")
    out.append(_l("八、机关运行经费增减变动原因说明", "section"))
    out.append(p.para(f"本部门{y}年机关运行经费财政拨款{W}{p.money('机关运行经费', g['public'])}，"
                      f"{p.change(g['public'], prev['operating'])}，主要原因是{reason(ctx)}。"))
    out.append(_l("九、政府采购情况", "section"))
    out.append(procurement_prose(p, ctx, f"{y}年{d}"))
    return out


def perf_count_line(ctx: Ctx, projects: list) -> str:
    """How many projects have performance targets, by project type."""
    running = sum(1 for p in projects if p.ptype == "其他运转类")
    return (f"{ctx.year}年{ctx.budget.dept}纳入绩效目标管理的项目{len(projects)}个，其中：其他运转类项目{running}个，"
            f"特定目标类项目{len(projects) - running}个，已全部公开项目绩效目标。")


def spaced(lines: Iterable) -> list:
    """Blocks separated by blank lines, as PDF converters print paragraphs."""
    out: list = []
    for line in lines:
        out += [line if isinstance(line, (Line, Table)) else _l(line), blank()]
    return out


def missing_marker(ctx: Ctx, kind: str, title: str) -> Marker:
    """Record a planted missing table and mark where it would have been."""
    anchor = ctx.anchor()
    ctx.record_plant(kind, anchor, normalize_name(title), None)
    return Marker(anchor)


def _sx_front(ctx: Ctx, titles: dict) -> list:
    """Cover, table of contents and 第一部分 概况."""
    b, y, W, rng = ctx.budget, ctx.year, ctx.W, ctx.rng
    if rng.random() < 0.5:
        blocks = [_l(f"{b.dept} {y}年度部门{W}公开", "doc_title")]
    else:
        blocks = [_l(b.dept, "doc_title"), blank(), _l(f"{y}年度部门{W}公开", "doc_title")]
    blocks += [blank(), _l("目 录", "part"), blank()]
    toc = [("toc_part", "第一部分 概况"), ("toc", "一、本部门职责"), ("toc", "二、机构设置情况"),
           ("toc_part", f"第二部分 {y}年部门{W}报表")]
    for i, (kind, _) in enumerate(SHANXI_TABLES, 1):
        template = titles[kind][0 if W == "预算" else 1]
        toc.append(("toc", f"表{chinese_numeral(i)}{template.format(y=y)}".replace("“三公”", ctx.three_quote)))
    toc += [("toc_part", f"第三部分 {y}年度部门{W}情况说明"), ("toc_part", "第四部分 名词解释")]
    page = 1
    for role, text in toc:
        page += rng.randint(0, 2) if role == "toc" else 1
        blocks.append(Line(text, role, extra=str(page)))
    blocks += [blank()] + spaced([_l("第一部分 概况", "part"), _l("一、本部门职责", "section")])
    blocks += spaced(duty_lines(ctx)) + spaced([_l("二、机构设置情况", "section")] + org_lines(ctx))
    return blocks


def _sx_tables(ctx: Ctx, titles: dict) -> list:
    """第二部分: the 13 tables (one possibly missing)."""
    caption = ctx.rng.choice((None, None, ctx.W + "公开表{}", "部门公开表{}"))
    blocks = spaced([_l(f"第二部分 {ctx.year}年部门{ctx.W}报表", "part")])
    for i, (kind, builder) in enumerate(SHANXI_TABLES, 1):
        if ctx.missing(kind):
            template = titles[kind][0 if ctx.W == "预算" else 1]
            blocks.append(missing_marker(ctx, kind, template.format(y=ctx.year)))
            continue
        table = builder(ctx, titles)
        if caption:
            table.caption = caption.format(i)
        blocks.append(table)
    return blocks


def _sx_performance(ctx: Ctx) -> list:
    """十、绩效管理情况: the overall target table and one table per project."""
    b, y, rng = ctx.budget, ctx.year, ctx.rng
    current = [p for p in b.projects if not p.carry]
    overall = overall_table(ctx, rng.choice(("部门（单位）整体绩效目标表", f"{y}年部门整体支出绩效目标表")))
    blocks = spaced([_l("十、绩效管理情况", "section"), _l("1、整体绩效目标", "subsection"),
                     f"{y}年{b.dept}编报了部门整体支出绩效目标，{len(b.units)}个预算单位（包括机关）均编报了单位整体绩效目标。",
                     overall, _l("2、项目绩效目标", "subsection"), perf_count_line(ctx, current),
                     "（项目绩效目标表公开情况见附件）"])
    place = b.place.county or b.place.city
    title = rng.choice((f"{place}部门项目支出绩效目标表", f"{y}年度项目支出绩效目标表",
                        f"{place}预算单位项目支出绩效目标申报表"))
    truncate = rng.random() < 0.4            # some documents cut the 年度 names short
    return blocks + [perf_table(ctx, project, title, truncate) for project in current]


def build_shanxi(ctx: Ctx) -> list:
    """A Shanxi-style 部门预算公开: 13 tables, 情况说明, 绩效目标表."""
    b, y, W = ctx.budget, ctx.year, ctx.W
    titles = dict(SHANXI_TITLES)
    if ctx.rng.random() < 0.4:
        titles.update(SHANXI_ALT_TITLES)
    ctx.meta = lambda: meta_lines(ctx, b.dept)
    blocks = _sx_front(ctx, titles) + _sx_tables(ctx, titles)
    blocks += spaced([_l(f"第三部分 {y}年度部门{W}情况说明", "part")] + sx_prose(ctx))
    blocks += _sx_performance(ctx)
    blocks += spaced([_l("十一、国有资产占有使用情况", "section")] + assets_lines(ctx))
    blocks += spaced([_l("十二、其他说明", "section"), _l("（一）政府购买服务指导性目录", "subsection"),
                      f"本部门{y}年度无政府购买服务事项。", _l("（二）其他", "subsection"), "无。",
                      _l("第四部分 名词解释", "part")] + glossary_lines(ctx))
    return blocks


# --------------------------------------------------------------------------
# Henan family: 12 tables with split 类/款/项 codes, after the prose
# --------------------------------------------------------------------------
HENAN_TITLES = {
    "summary": ("{y}年部门收支总体情况表", "{y}年部门收支决算总体情况表"),
    "income": ("{y}年部门收入总体情况表", "{y}年部门收入决算情况表"),
    "expenditure": ("{y}年部门支出总体情况表", "{y}年部门支出决算情况表"),
    "fiscal_summary": ("{y}年财政拨款收支总体情况表", "{y}年财政拨款收支决算总体情况表"),
    "general_expenditure": ("{y}年一般公共预算支出情况表", "{y}年一般公共预算财政拨款支出决算情况表"),
    "basic_economic": ("{y}年一般公共预算基本支出情况表", "{y}年一般公共预算财政拨款基本支出决算情况表"),
    "economic_summary": ("{y}年支出经济分类汇总表", "{y}年支出决算经济分类汇总表"),
    "three_public": ("{y}年一般公共预算“三公”经费支出情况表", "{y}年一般公共预算“三公”经费支出决算情况表"),
    "gov_fund_expenditure": ("{y}年政府性基金预算支出情况表", "{y}年政府性基金预算财政拨款支出决算情况表"),
    "projects": ("{y}年项目支出表", "{y}年项目支出决算表"),
    "performance_overall": ("部门（单位）整体绩效目标表", "部门（单位）整体绩效目标表"),
    "performance_summary": ("{y}年部门预算项目绩效目标汇总表", "{y}年部门决算项目绩效目标汇总表"),
}
_HENAN_TOC = ("部门收支总体情况表", "部门收入总体情况表", "部门支出总体情况表", "财政拨款收支总体情况表",
              "一般公共预算支出情况表", "一般公共预算基本支出情况表", "支出经济分类汇总表",
              "一般公共预算“三公”经费支出情况表", "政府性基金预算支出情况表", "项目支出表",
              "部门（单位）整体绩效目标表", "部门预算项目绩效目标汇总表")


def h_summary(ctx: Ctx) -> Table:
    """部门收支总体情况表 (Henan numbering: ordinal = class code - 200)."""
    g = ctx.grand
    income = [("一、一般公共预算", g["general_budget"]), ("其中：财政拨款", g["fiscal_appropriation"]),
              ("二、政府性基金预算拨款收入", g["gov_fund"]), ("三、国有资本经营预算拨款收入", 0),
              ("四、财政专户管理资金收入", 0), ("五、事业收入", g["unit_funds"]), ("六、事业单位经营收入", 0),
              ("七、上级补助收入", 0), ("八、附属单位上缴收入", 0), ("九、其他收入", 0)]
    rows = []
    for i, (code, _) in enumerate(CLASS_ORDER):
        left = income[i] if i < len(income) else ("", 0)
        m = ctx.tree.get(code)
        label = f"{chinese_numeral(int(code) - 200)}、{HENAN_CLASS_LABEL[code]}"
        rows.append(TRow([left[0], nz(left[1]), label, nz(m["total"]) if m else None]))
    rows += [TRow(["本年收入合计", nz(g["current"]), "本年支出合计", nz(g["total"])]),
             TRow(["上年结转结余", nz(g["carryover"]), "年终结转结余", None]),
             TRow(["收入总计", nz(g["total"]), "支出总计", nz(g["total"])])]
    cols = [Col("name", side="income"), Col("value", "total", "income"), Col("name", side="expenditure"),
            Col("value", "total", "expenditure")]
    header = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"]]
    return new_table(ctx, "summary", HENAN_TITLES, cols, header, rows, ctx.meta(), two_sided=True,
                     spaced_year=ctx.spaced_year)


def _henan_income_values(m: dict) -> list:
    return [nz(m["total"]), nz(m["current"]), nz(m["general_budget"]), nz(m["fiscal_appropriation"]),
            nz(m["gov_fund"]), None, None, nz(m["unit_funds"]), None, None, None, None, nz(m["carryover"])]


def h_income(ctx: Ctx) -> Table:
    """部门收入总体情况表 by unit code."""
    b = ctx.budget
    rows = [TRow(["", "合计"] + _henan_income_values(ctx.grand)),
            TRow([b.dept_code, b.dept_short] + _henan_income_values(ctx.grand))]
    for index, unit in enumerate(b.units):
        if index in ctx.by_unit:
            rows.append(TRow([unit.code, unit.name] + _henan_income_values(ctx.by_unit[index])))
    measures = ("total", "current", "general_budget", "fiscal_appropriation", "gov_fund", "state_capital",
                "special_account", "business_income", "operating_income", "superior_subsidy",
                "affiliated_remit", "other_income", "carryover")
    cols = [Col("code", code_kind="unit"), Col("name")] + [Col("value", k) for k in measures]
    header = [["单位代码", "单位名称", "总计", "本年收入", "", "", "", "", "", "", "", "", "", "", "上年结转结余"],
              ["", "", "", "合计", "一般公共预算", "", "政府性基金", "国有资本经营预算", "财政专户管理资金收入",
               "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", ""],
              ["", "", "", "", "小计", "其中：财政拨款", "", "", "", "", "", "", "", "", ""]]
    return new_table(ctx, "income", HENAN_TITLES, cols, header, rows, ctx.meta(), spaced_year=ctx.spaced_year)


_HENAN_EXP_KEYS = ("total", "basic", "wages", "household_subsidy", "goods_services", "capital",
                   "project", "project_operating", "project_specific")


def h_expenditure(ctx: Ctx, kind: str, items: dict) -> Table:
    """部门支出总体情况表 and its 一般公共预算 / 政府性基金 variants."""
    b, keys = ctx.budget, _HENAN_EXP_KEYS
    grand = total_measures(items) if items else _finish_measures(_blank_measures())
    rows = [TRow(["", "", "", "", "合计"] + [nz(grand[k]) for k in keys])]
    if items:
        rows.append(TRow(["", "", "", b.dept_code, b.dept_short] + [nz(grand[k]) for k in keys]))
        tree = rollup(items) if ctx.henan_subtotals else dict(sorted(items.items()))
        codes = list(tree)
        if not ctx.henan_subtotals and ctx.rng.random() < 0.3:
            ctx.rng.shuffle(codes)
        for code in codes:
            m = tree[code]
            rows.append(TRow([code[:3], code[3:5], code[5:], "", code_name(code)] + [nz(m[k]) for k in keys]))
    cols = [Col("code", code_kind="func")] * 3 + [Col("code", code_kind="unit"), Col("name")] + \
        [Col("value", k) for k in keys]
    header = [["科目编码", "", "", "单位代码", "单位（科目名称）", "合计", "基本支出", "", "", "", "", "项目支出", "", ""],
              ["", "", "", "", "", "", "小计", "人员经费", "", "公用经费", "", "小计", "其他运转类", "特定目标类"],
              ["类", "款", "项", "", "", "", "", "工资福利支出", "对个人和家庭的补助", "商品和服务支出", "资本性支出",
               "", "", ""]]
    return new_table(ctx, kind, HENAN_TITLES, cols, header, rows, ctx.meta(), spaced_year=ctx.spaced_year)


def h_fiscal(ctx: Ctx) -> Table:
    """财政拨款收支总体情况表 with 其中：财政拨款 columns."""
    g = ctx.grand
    income = [("一、本年收入", g["fiscal_current"]), ("（一）一般公共预算拨款", g["general_budget"]),
              ("其中：财政拨款", g["fiscal_appropriation"]), ("（二）政府性基金预算拨款", g["gov_fund"]),
              ("（三）国有资本经营预算拨款", 0), ("二、上年结转", g["carryover"]),
              ("（一）一般公共预算拨款", g["carryover"]), ("（二）政府性基金预算拨款", 0), ("（三）国有资本经营预算拨款", 0)]

    def values(m):
        return [nz(m["fiscal_total"]), nz(m["general_total"]), nz(m["fiscal_appropriation"] + m["carryover"]),
                nz(m["gov_fund"]), None]

    expenditure = [("一、本年支出", values(g))]
    for code, name in CLASS_ORDER:
        m = ctx.tree.get(code)
        expenditure.append((f"（{chinese_numeral(int(code) - 200)}）{name}", values(m) if m else [None] * 5))
    expenditure.append(("二、年终结转结余", [None] * 5))
    rows = []
    for i in range(max(len(income), len(expenditure))):
        left = income[i] if i < len(income) else ("", 0)
        right = expenditure[i] if i < len(expenditure) else ("", [None] * 5)
        rows.append(TRow([left[0], nz(left[1]), right[0]] + right[1]))
    rows.append(TRow(["收入总计", nz(g["fiscal_total"]), "支出总计"] + values(g)))
    cols = [Col("name", side="income"), Col("value", "total", "income"), Col("name", side="expenditure"),
            Col("value", "total", "expenditure"), Col("value", "general_budget", "expenditure"),
            Col("value", "fiscal_appropriation", "expenditure"), Col("value", "gov_fund", "expenditure"),
            Col("value", "state_capital", "expenditure")]
    header = [["收入", "", "支出", "", "", "", "", ""],
              ["项目", "金额", "项目", "合计", "一般公共预算", "", "政府性基金", "国有资本经营预算"],
              ["", "", "", "", "小计", "其中：财政拨款", "", ""]]
    return new_table(ctx, "fiscal_summary", HENAN_TITLES, cols, header, rows, ctx.meta(), two_sided=True,
                     spaced_year=ctx.spaced_year)


def h_basic_economic(ctx: Ctx) -> Table:
    """一般公共预算基本支出情况表 with economic codes."""
    g, groups = ctx.grand, econ_groups(ctx, by_gov=True)
    body = []
    for cls in ("301", "302", "303"):
        members = {k: v for k, v in groups.items() if k[0].startswith(cls)}
        if not members:
            continue
        personnel = cls != "302"
        if ctx.henan_subtotals:
            total = sum(members.values())
            body.append(TRow([cls, ECON_CLASSES[cls], "", "", total, total if personnel else None,
                              None if personnel else total]))
        for (econ, gov_code, gov_name), fen in members.items():
            body.append(TRow([econ, ECON[econ][1], gov_code, gov_name, fen, fen if personnel else None,
                              None if personnel else fen]))
    if not ctx.henan_subtotals and ctx.rng.random() < 0.4:
        ctx.rng.shuffle(body)
    rows = [TRow(["合计", "", "", "", nz(g["basic"]), nz(g["personnel"]), nz(g["public"])])] + body
    cols = [Col("code", code_kind="econ"), Col("name"), Col("text"), Col("text"), Col("value", "total"),
            Col("value", "personnel"), Col("value", "public")]
    header = [["部门预算经济分类", "", "政府预算经济分类", "", f"本年一般公共预算基本支出", "", ""],
              ["科目编码", "科目名称", "科目编码", "科目名称", "合计", "人员经费", "公用经费"]]
    return new_table(ctx, "basic_economic", HENAN_TITLES, cols, header, rows, ctx.meta(), spaced_year=ctx.spaced_year)


_ECON_SUMMARY_KEYS = ("total", "general_budget", "fiscal_appropriation", "gov_fund", "state_capital",
                      "special_account", "business_income", "operating_income", "superior_subsidy",
                      "affiliated_remit", "other_income", "carryover")


def _econ_summary_measures(ctx: Ctx) -> dict:
    """All expenditure (basic and projects) by department/government
    economic code, split by source of funds."""
    out: dict = {}

    def add(econ, unit, fen, source):
        row = ECON[econ]
        gov = (row[2], row[3]) if ctx.budget.units[unit].admin else (row[4], row[5])
        m = out.setdefault((econ,) + gov, dict.fromkeys(_ECON_SUMMARY_KEYS, 0))
        m["total"] += fen
        if source in ("general", "nontax"):
            m["general_budget"] += fen
            if source == "general":
                m["fiscal_appropriation"] += fen
        elif source == "unit_funds":
            m["business_income"] += fen
        else:
            m[source] += fen

    for line in ctx.budget.econ:
        add(line.econ, line.unit, line.fen, "general")
    for p in ctx.budget.projects:
        add(p.econ, p.unit, p.fen, "carryover" if p.carry else p.source)
    return dict(sorted(out.items()))


def h_economic_summary(ctx: Ctx) -> Table:
    """支出经济分类汇总表: all spending by economic code and source."""
    b, combos = ctx.budget, _econ_summary_measures(ctx)
    keys = _ECON_SUMMARY_KEYS
    grand = dict.fromkeys(keys, 0)
    for m in combos.values():
        for k in keys:
            grand[k] += m[k]
    rows = [TRow(["", "", "合计", "", "", ""] + [nz(grand[k]) for k in keys]),
            TRow(["", "", b.dept_short, "", "", ""] + [nz(grand[k]) for k in keys])]
    for cls in ("301", "302", "303", "310"):
        members = {k: m for k, m in combos.items() if k[0].startswith(cls)}
        if not members:
            continue
        if ctx.henan_subtotals:
            sub = {k: sum(m[k] for m in members.values()) for k in keys}
            rows.append(TRow([cls, "", ECON_CLASSES[cls], "", "", ""] + [nz(sub[k]) for k in keys]))
        for (econ, gov_code, gov_name), m in members.items():
            rows.append(TRow([econ[:3], econ[3:], ECON[econ][1], gov_code[:3], gov_code[3:], gov_name] +
                             [nz(m[k]) for k in keys]))
    cols = [Col("code", code_kind="econ")] * 2 + [Col("name"), Col("text"), Col("text"), Col("text")] + \
        [Col("value", k) for k in keys]
    header = [["部门预算经济分类", "", "", "政府预算经济分类", "", "", "合计", "一般公共预算", "", "政府性基金预算",
               "国有资本经营预算", "财政专户管理资金", "事业收入", "事业单位经营收入", "上级补助收入",
               "附属单位上缴收入", "其他收入", "上年结转结余"],
              ["类", "款", "科目名称", "类", "款", "科目名称", "", "小计", "其中：财政拨款"] + [""] * 9]
    return new_table(ctx, "economic_summary", HENAN_TITLES, cols, header, rows, ctx.meta(),
                     spaced_year=ctx.spaced_year)


def h_three_public(ctx: Ctx) -> Table:
    """Horizontal “三公”经费 table: one unnamed data row."""
    tp = ctx.budget.three_public
    rows = [TRow([nz(tp["total"]), nz(tp["abroad"]), nz(tp["vehicles"]), nz(tp["vehicle_purchase"]),
                  nz(tp["vehicle_operation"]), nz(tp["reception"])])]
    cols = [Col("value", k) for k in ("total", "abroad", "vehicles", "vehicle_purchase",
                                      "vehicle_operation", "reception")]
    q = ctx.three_quote
    header = [[f"{q}经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
              ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]]
    table = new_table(ctx, "three_public", HENAN_TITLES, cols, header, rows, ctx.meta(), spaced_year=ctx.spaced_year)
    table.notes = [_l(f"注：{q}经费指使用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。")]
    return table


def h_projects(ctx: Ctx) -> Table:
    """项目支出表: one row per project, carry-over in its own column."""
    b = ctx.budget

    def values(ps):
        v = project_values(ps, carry_column=True)
        return [v[0], v[1], v[2], None, v[6], None, v[5]]

    rows = [TRow(["", "合计", ""] + values(b.projects))]
    if b.projects:
        rows.append(TRow(["", b.dept_short, ""] + values(b.projects)))
        rows += [TRow([p.ptype, p.name, b.units[p.unit].name] + values([p])) for p in b.projects]
    cols = [Col("text"), Col("name"), Col("text")] + [Col("value", k) for k in (
        "total", "general_budget", "gov_fund", "state_capital", "carryover", "special_account", "unit_funds")]
    header = [["类型", "项目名称", "项目单位", "合计", "本年拨款", "", "", "上年结转", "财政专户管理资金", "单位资金"],
              ["", "", "", "", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "", ""]]
    return new_table(ctx, "projects", HENAN_TITLES, cols, header, rows, ctx.meta(), spaced_year=ctx.spaced_year)


_SUMMARY_GROUPS = (("成本指标", lambda i: i.level2 == "成本指标"),
                   ("产出指标", lambda i: i.level1 == "产出指标" and i.level2 != "成本指标"),
                   ("效益指标", lambda i: i.level1 == "效益指标"),
                   ("满意度指标", lambda i: i.level1 == "满意度指标"))


def h_performance_summary(ctx: Ctx) -> Table:
    """部门预算项目绩效目标汇总表: projects by unit with their indicators
    spread over 成本/产出/效益/满意度 column pairs."""
    b = ctx.budget
    current = [p for p in b.projects if not p.carry]
    plant = ctx.plants("performance_vs_projects")

    def money(ps):
        return [nz(sum(p.fen for p in ps)),
                nz(sum(p.fen for p in ps if p.source != "unit_funds")), None,
                nz(sum(p.fen for p in ps if p.source == "unit_funds"))]

    rows = []
    if current:
        rows.append(TRow([b.dept_code, b.dept_short] + money(current) + [""] * 8))
    for index, unit in enumerate(b.units):
        own = [p for p in current if p.unit == index]
        if not own:
            continue
        rows.append(TRow([unit.code, unit.name] + money(own) + [""] * 8))
        for p in own:
            values = money([p])
            anchor = None
            if plant and plant.project == p.name:
                anchor = ctx.anchor()
                delta = _signed(ctx, values[0], plant.delta)
                values[0] += delta
                values[1 if p.source != "unit_funds" else 3] += delta
                ctx.record_plant("performance_summary", anchor, yuan_str(p.fen), yuan_str(values[0]))
            groups = [[i for i in p.perf.indicators if i.name and pred(i)] for _, pred in _SUMMARY_GROUPS]
            for k in range(max(1, max(len(g) for g in groups))):
                cells = []
                for (label, _), group in zip(_SUMMARY_GROUPS, groups):
                    if k < len(group):
                        ind = group[k]
                        cells += [ind.name, ind.value]
                        ctx.indicators_truth.append({
                            "project": normalize_name(p.name), "side": "annual", "level1": label, "level2": None,
                            "name": normalize_name(ind.name), "value": ind.value, "comparator": ind.comparator,
                            "number": ind.number, "unit": ind.unit})
                    else:
                        cells += ["", ""]
                lead = [p.code, p.name] + values if k == 0 else ["", "", None, None, None, None]
                rows.append(TRow(lead + cells, truth=k == 0, anchor=anchor if k == 0 else None))
            ctx.projects_truth.append({"name": normalize_name(p.name), "department_code": b.dept_code,
                                       "department": b.dept,
                                       "implementer": unit.name, "attribute": None, "period": None,
                                       "funds": {"annual_total": yuan_str(values[0])}})
    cols = [Col("code", code_kind="project"), Col("name"), Col("value", "total"), Col("value", "general_budget"),
            Col("value", "special_account"), Col("value", "unit_funds")] + [Col("text")] * 8
    header = [["单位编码（项目编码）", "单位名称（项目名称）", "项目金额", "", "", "", "绩效目标", "", "", "", "", "", "", ""],
              ["", "", "资金总额", "一般公共预算", "财政专户管理资金", "单位资金", "成本指标", "", "产出指标", "",
               "效益指标", "", "满意度指标", ""],
              ["", "", "", "", "", "", "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值"]]
    return new_table(ctx, "performance_summary", HENAN_TITLES, cols, header, rows, ctx.meta(),
                     spaced_year=ctx.spaced_year)


def h_prose(ctx: Ctx) -> list:
    """第二部分 预算情况说明, Henan wording."""
    p, b, g, y, W = Prose(ctx), ctx.budget, ctx.grand, ctx.year, ctx.W
    d, total, prev, q = b.dept, g["total"], b.prev, ctx.three_quote
    out = [_l(f"一、收入支出{W}总体情况说明", "subsection")]
    out.append(p.para(f"{d}{y}年收入总计{p.money('收入总计', total)}，支出总计{p.money('支出总计', total)}，"
                      f"与{y - 1}年相比，收支总{W}{p.change(total, prev['total'], lead='')}。主要原因是：{reason(ctx)}。"))
    out.append(_l(f"二、收入{W}总体情况说明", "subsection"))
    out.append(p.para(f"{d}{y}年收入合计{p.money('本年收入', g['current'])}，其中：一般公共预算"
                      f"{p.money('一般公共预算拨款收入', g['general_budget'])}，政府性基金预算"
                      f"{p.money('政府性基金预算拨款收入', g['gov_fund'])}，事业收入{p.money('单位资金', g['unit_funds'])}，"
                      f"上年结转结余{p.money('上年结转', g['carryover'])}。"))
    out.append(_l(f"三、支出{W}总体情况说明", "subsection"))
    out.append(p.para(f"{d}{y}年支出合计{p.money('支出总计', total)}，其中：基本支出"
                      f"{p.money('基本支出', g['basic'], total)}；项目支出{p.money('项目支出', g['project'], total)}。"))
    out.append(_l(f"四、财政拨款收入支出{W}总体情况说明", "subsection"))
    out.append(p.para(f"{d}{y}年财政拨款收支总{W}{p.money('财政拨款收支总额', g['fiscal_total'])}，其中：一般公共预算收支{W}"
                      f"{p.money('一般公共预算拨款', g['general_total'])}，政府性基金收支{W}"
                      f"{p.money('政府性基金预算拨款', g['gov_fund'])}，{p.change(g['fiscal_total'], prev['fiscal'])}。"))
    out.append(_l(f"五、一般公共预算支出{W}情况说明", "subsection"))
    gt = g["general_total"]
    lead = f"{d}{y}年一般公共预算支出{W}{p.money('一般公共预算当年支出', gt)}，主要用于以下方面："
    out.append(p.para(lead + "；".join(class_list(p, ctx, "general_total", gt)) + "。"))
    out.append(_l(f"六、一般公共预算基本支出{W}情况说明", "subsection"))
    out.append(p.para(f"{d}{y}年一般公共预算基本支出{p.money('基本支出', g['basic'])}，其中：人员经费"
                      f"{p.money('人员经费', g['personnel'], g['basic'])}，主要包括：{econ_names(ctx, True)}；公用经费"
                      f"{p.money('公用经费', g['public'], g['basic'])}，主要包括：{econ_names(ctx, False)}。"))
    out.append(_l(f"七、{q}经费支出{W}情况说明", "subsection"))
    out += three_public_prose(p, ctx, f"{d}{y}年")
    out.append(_l(f"八、政府性基金{W}支出情况说明", "subsection"))
    out.append(p.para(f"{d}{y}年政府性基金{W}支出{p.money('政府性基金预算支出', g['gov_fund'])}。"))
    out.append(_l("九、其他重要事项的情况说明", "subsection"))
    out.append(_l("（一）机关运行经费支出情况"))
    out.append(p.para(f"{d}{y}年机关运行经费{W}{p.money('机关运行经费', g['public'])}，主要保障机构正常运转及正常履职需要，"
                      f"{p.change(g['public'], prev['operating'])}，主要原因是：{reason(ctx)}。"))
    out.append(_l("（二）政府采购支出情况"))
    out.append(procurement_prose(p, ctx, f"{d}{y}年"))
    out.append(_l("（三）绩效目标设置情况"))
    out.append(_l(perf_count_line(ctx, [x for x in b.projects if not x.carry])))
    out.append(_l("（四）国有资产占用情况"))
    out.append(_l(f"截至{y - 1}年底，本部门共有车辆{b.cars}辆，使用办公用房{b.office_area}平方米。"))
    return out


def build_henan(ctx: Ctx) -> list:
    """A Henan-style 部门预算公开: 概况, 情况说明, 名词解释, then 12 tables."""
    b, y, W, rng = ctx.budget, ctx.year, ctx.W, ctx.rng
    ctx.meta = lambda: meta_lines(ctx, b.dept_short, split_unit=True)
    ys = f"{y} " if ctx.spaced_year else str(y)
    blocks: list = [_l(f"{ys}年{b.dept}部门{W}公开", "doc_title"), blank(),
                    _l(f"{ys}年 {rng.randint(1, 4)} 月 {rng.randint(1, 28)} 日"), blank(), _l("目 录", "part"), blank()]
    for text in (f"第一部分 {b.dept}概况", "一、主要职责", "二、机构设置", "三、部门所属预算单位构成情况",
                 f"第二部分 {b.dept}{ys}年部门{W}情况说明", "第三部分 名词解释", f"附件：{b.dept}{ys}年部门{W}表"):
        blocks.append(_l(text, "bullet"))
    for i, name in enumerate(_HENAN_TOC, 1):
        blocks.append(_l(f"{chinese_numeral(i)}、{name.replace('“三公”', ctx.three_quote)}", "bullet"))
    blocks += [blank(), _l("第一部分", "part"), blank(), _l(f"{b.dept}概况", "section"), blank()]
    blocks += [_l(f"一、{b.dept}主要职责", "subsection"), blank()]
    for text in duty_lines(ctx):
        blocks += [_l(text), blank()]
    blocks += [_l("二、机构设置", "subsection"), blank()]
    for text in org_lines(ctx):
        blocks += [_l(text), blank()]
    blocks += [_l("三、预算单位构成情况", "subsection"), blank(),
               _l(f"纳入本部门{y}年部门{W}编制范围的预算单位共{len(b.units)}个，具体是："), blank()]
    for i, unit in enumerate(b.units, 1):
        blocks += [_l(f"{i}. {unit.name}{'本级' if unit.admin else ''}；"), blank()]
    blocks += [_l("第二部分", "part"), blank(), _l(f"{b.dept}{ys}年部门{W}情况说明", "section"), blank()]
    for line in h_prose(ctx):
        blocks += [line, blank()]
    blocks += [_l("第三部分", "part"), blank(), _l("名词解释", "section"), blank()]
    for line in glossary_lines(ctx):
        blocks += [line, blank()]
    blocks += [_l(f"附件：{b.dept}{ys}年部门{W}表"), blank()]
    general_items = aggregate(b, lambda r: r.item if not isinstance(r, Project) or r.carry
                              or r.source in ("general", "nontax") else None)
    gov_items = aggregate(b, lambda r: r.item if isinstance(r, Project) and r.source == "gov_fund"
                          and not r.carry else None)
    builders = (("summary", h_summary), ("income", h_income),
                ("expenditure", lambda c: h_expenditure(c, "expenditure", c.items)),
                ("fiscal_summary", h_fiscal),
                ("general_expenditure", lambda c: h_expenditure(c, "general_expenditure", general_items)),
                ("basic_economic", h_basic_economic), ("economic_summary", h_economic_summary),
                ("three_public", h_three_public),
                ("gov_fund_expenditure", lambda c: h_expenditure(c, "gov_fund_expenditure", gov_items)),
                ("projects", h_projects),
                ("performance_overall", lambda c: overall_table(c, HENAN_TITLES["performance_overall"][0])),
                ("performance_summary", h_performance_summary))
    for kind, builder in builders:
        if ctx.missing(kind):
            blocks.append(missing_marker(ctx, kind, HENAN_TITLES[kind][0 if W == "预算" else 1].format(y=y)))
            continue
        blocks.append(builder(ctx))
    return blocks


# --------------------------------------------------------------------------
# Generic family (designed here): 9 tables in 元, unit line above the title,
# 项目支出 before 基本支出 in some documents, only classes with money listed.
# --------------------------------------------------------------------------
GENERIC_TITLES = {
    "other": ("{y}年政府购买服务预算表", "{y}年政府购买服务决算表"),
    "summary": ("{y}年部门财务收支预算总表", "{y}年部门财务收支决算总表"),
    "income": ("{y}年部门收入预算表", "{y}年部门收入决算表"),
    "expenditure": ("{y}年部门支出预算表", "{y}年部门支出决算表"),
    "fiscal_summary": ("{y}年财政拨款收支预算总表", "{y}年财政拨款收支决算总表"),
    "general_expenditure": ("{y}年一般公共预算支出预算表", "{y}年一般公共预算支出决算表"),
    "basic_economic": ("{y}年一般公共预算基本支出预算表", "{y}年一般公共预算基本支出决算表"),
    "three_public": ("{y}年一般公共预算“三公”经费支出预算表", "{y}年一般公共预算“三公”经费支出决算表"),
    "operating_costs": ("{y}年机关运行经费预算财政拨款情况统计表", "{y}年机关运行经费决算财政拨款情况统计表"),
    "projects": ("{y}年项目支出预算表", "{y}年项目支出决算表"),
}


def g_table(ctx: Ctx, kind: str, cols: list, header: list, rows: list, two_sided: bool = False) -> Table:
    """A generic-family table: unit line above the title, 编制单位 below."""
    c = ctx.style.colon
    meta = [_l(f"编制单位{c}{ctx.budget.dept}")]
    if ctx.rng.random() < 0.3:
        meta.append(_l(f"金额单位{c}{ctx.style.unit}"))
    return new_table(ctx, kind, GENERIC_TITLES, cols, header, rows, meta, two_sided=two_sided,
                     note="本表无数据。", prefix=ctx.title_prefix, unit_first=f"单位{c}{ctx.style.unit}")


def _indent(ctx: Ctx, code: str, name: str) -> str:
    if not ctx.indent_names:
        return name
    return "\u3000" * {3: 0, 5: 1, 7: 2}[len(code)] + name


def _split_order(ctx: Ctx) -> tuple:
    return ("project", "basic") if ctx.project_first else ("basic", "project")


def _split_labels(ctx: Ctx) -> list:
    labels = {"basic": "基本支出", "project": "项目支出"}
    return [labels[k] for k in _split_order(ctx)]


def g_two_sided(ctx: Ctx, kind: str, income: list, value_keys: list, bottom: list, header: list) -> Table:
    """Two-sided summary tables listing only the classes that have money."""
    classes = [(code, m) for code, m in ctx.tree.items() if len(code) == 3 and m[value_keys[0]]]
    rows = []
    for i in range(max(len(income), len(classes))):
        left = income[i] if i < len(income) else ("", 0)
        if i < len(classes):
            code, m = classes[i]
            right = [f"{chinese_numeral(i + 1)}、{CLASS_NAMES[code]}"] + [nz(m[k]) for k in value_keys]
        else:
            right = [""] + [None] * len(value_keys)
        rows.append(TRow([left[0], nz(left[1])] + right))
    rows += bottom
    cols = [Col("name", side="income"), Col("value", "total", "income"), Col("name", side="expenditure")] + \
        [Col("value", "total" if k in ("total", "fiscal_total") else
             {"general_total": "general_budget"}.get(k, k), "expenditure") for k in value_keys]
    return g_table(ctx, kind, cols, header, rows, two_sided=True)


def g_summary(ctx: Ctx) -> Table:
    """部门财务收支预算总表 listing only classes with money."""
    g = ctx.grand
    keys = ["total"] + list(_split_order(ctx))
    income = [("一、一般公共预算拨款收入", g["general_budget"]), ("二、政府性基金预算拨款收入", g["gov_fund"]),
              ("三、国有资本经营预算拨款收入", 0), ("四、财政专户管理资金收入", 0), ("五、单位资金收入", g["unit_funds"])]
    totals = [nz(g[k]) for k in keys]
    bottom = [TRow(["本年收入合计", nz(g["current"]), "本年支出合计"] + totals),
              TRow(["上年结转结余", nz(g["carryover"]), "年末结转结余", None, None, None]),
              TRow(["收入总计", nz(g["total"]), "支出总计"] + totals)]
    header = [["收入", "", "支出", "", "", ""], ["项目", f"本年{ctx.W}", "项目", "合计"] + _split_labels(ctx)]
    return g_two_sided(ctx, "summary", income, keys, bottom, header)


def g_fiscal(ctx: Ctx) -> Table:
    """财政拨款收支预算总表."""
    g = ctx.grand
    keys = ["fiscal_total", "general_total", "gov_fund"]
    income = [("一、一般公共预算拨款", g["general_budget"]), ("二、政府性基金预算拨款", g["gov_fund"]),
              ("三、上年结转", g["carryover"])]
    bottom = [TRow(["收入总计", nz(g["fiscal_total"]), "支出总计"] + [nz(g[k]) for k in keys])]
    header = [["收入", "", "支出", "", "", ""], ["项目", f"{ctx.W}数", "项目", "合计", "一般公共预算", "政府性基金预算"]]
    return g_two_sided(ctx, "fiscal_summary", income, keys, bottom, header)


def g_code_table(ctx: Ctx, kind: str, keys: list, labels: list, include: Callable[[dict], bool],
                 measures: list | None = None) -> Table:
    """科目编码/科目名称 tables (收入, 支出, 一般公共预算支出)."""
    grand = sum_measures(ctx.tree, keys, include)
    rows = [TRow(["", "合计"] + [nz(grand[k]) for k in keys])]
    for code, m in ctx.tree.items():
        if include(m):
            rows.append(TRow([code, _indent(ctx, code, code_name(code))] + [nz(m[k]) for k in keys]))
    cols = [Col("code", code_kind="func"), Col("name")] + [Col("value", k) for k in (measures or keys)]
    return g_table(ctx, kind, cols, [["科目编码", "科目名称"] + labels], rows)


def g_basic_economic(ctx: Ctx) -> Table:
    """一般公共预算基本支出预算表 by economic code."""
    g, groups = ctx.grand, econ_groups(ctx, by_gov=False)
    rows = [TRow(["", "合计", nz(g["basic"]), nz(g["personnel"]), nz(g["public"])])]
    for cls in ("301", "302", "303"):
        members = {k[0]: v for k, v in groups.items() if k[0].startswith(cls)}
        if not members:
            continue
        personnel = cls != "302"
        total = sum(members.values())
        rows.append(TRow([cls, ECON_CLASSES[cls], total, total if personnel else None, None if personnel else total]))
        for econ, fen in members.items():
            rows.append(TRow([econ, _indent(ctx, "30101", ECON[econ][1]), fen, fen if personnel else None,
                              None if personnel else fen]))
    cols = [Col("code", code_kind="econ"), Col("name"), Col("value", "total"), Col("value", "personnel"),
            Col("value", "public")]
    return g_table(ctx, "basic_economic", cols, [["经济科目编码", "经济科目名称", "合计", "人员经费", "公用经费"]], rows)


def g_three_public(ctx: Ctx) -> Table:
    """一般公共预算“三公”经费支出预算表 (total first, items below)."""
    tp = ctx.budget.three_public
    q = ctx.three_quote
    rows = [TRow([f"{q}经费合计", nz(tp["total"])]), TRow(["1.因公出国（境）费", nz(tp["abroad"])]),
            TRow(["2.公务接待费", nz(tp["reception"])]), TRow(["3.公务用车购置及运行费", nz(tp["vehicles"])]),
            TRow(["其中：公务用车购置费", nz(tp["vehicle_purchase"])]),
            TRow(["\u3000\u3000\u3000公务用车运行维护费", nz(tp["vehicle_operation"])])]
    return g_table(ctx, "three_public", [Col("name"), Col("value", "total")], [["项目", f"{ctx.W}数"]], rows)


def g_operating(ctx: Ctx) -> Table:
    """机关运行经费 total and its 商品和服务 items."""
    groups = econ_groups(ctx, by_gov=False)
    rows = [TRow(["机关运行经费合计", nz(ctx.grand["public"])])]
    rows += [TRow([ECON[k[0]][1], fen]) for k, fen in groups.items() if k[0].startswith("302")]
    return g_table(ctx, "operating_costs", [Col("name"), Col("value", "total")], [["项目", "金额"]], rows)


_SERVICES = ("物业管理服务", "信息系统运行维护服务", "法律顾问服务", "审计服务", "印刷服务", "培训服务")


def g_services(ctx: Ctx) -> Table:
    """政府购买服务预算表: a table whose kind the parser does not know by name (it reads it as
    'other'); whole 百元 amounts, exact in 元 and in 万元."""
    names = ctx.rng.sample(_SERVICES, ctx.rng.randint(2, 4))
    amounts = [ctx.rng.randint(1, 300) * 10_000 for _ in names]
    rows = [TRow(["合计", sum(amounts)])] + [TRow([n, a]) for n, a in zip(names, amounts)]
    return g_table(ctx, "other", [Col("name"), Col("value", "total")], [["项目", "金额"]], rows)


def g_projects(ctx: Ctx) -> Table:
    """项目支出预算表 with current and carried-over projects."""
    b = ctx.budget

    def values(ps):
        v = project_values(ps, carry_column=True)
        return [v[0], v[1], v[2], v[5], v[6]]

    rows = [TRow(["合计", ""] + values(b.projects))]
    rows += [TRow([p.name, "上年结转项目" if p.carry else p.ptype] + values([p])) for p in b.projects]
    cols = [Col("name"), Col("text")] + [Col("value", k) for k in
                                         ("total", "general_budget", "gov_fund", "unit_funds", "carryover")]
    header = [["项目名称", "项目类型", "合计", "一般公共预算", "政府性基金预算", "单位资金", "上年结转"]]
    return g_table(ctx, "projects", cols, header, rows)


def g_prose(ctx: Ctx) -> list:
    """部门预算情况说明 in the generic wording."""
    p, b, g, y, W = Prose(ctx), ctx.budget, ctx.grand, ctx.year, ctx.W
    d, total, prev, cur = b.dept, g["total"], b.prev, g["current"]
    out = [_l(f"（一）收支{W}总体情况", "subsection")]
    out.append(p.para(f"{y}年{d}收入总计{p.money('收入总计', total)}，其中本年收入{p.money('本年收入', cur)}，"
                      f"上年结转结余{p.money('上年结转', g['carryover'])}；支出总计{p.money('支出总计', total)}，"
                      f"{p.change(total, prev['total'])}。"))
    out.append(_l(f"（二）收入{W}情况", "subsection"))
    out.append(p.para(f"本年收入中，一般公共预算拨款收入{p.money('一般公共预算拨款收入', g['general_budget'], cur)}；"
                      f"政府性基金预算拨款收入{p.money('政府性基金预算拨款收入', g['gov_fund'], cur)}；"
                      f"单位资金{p.money('单位资金', g['unit_funds'], cur)}。"))
    out.append(_l(f"（三）支出{W}情况", "subsection"))
    out.append(p.para(f"支出总计中，基本支出{p.money('基本支出', g['basic'], total)}，其中人员经费"
                      f"{p.money('人员经费', g['personnel'])}、公用经费{p.money('公用经费', g['public'])}；"
                      f"项目支出{p.money('项目支出', g['project'], total)}。"))
    out.append(p.para("按支出功能分类，" + "；".join(class_list(p, ctx, "total", total)) + "。"))
    out.append(_l(f"（四）{ctx.three_quote}经费{W}情况", "subsection"))
    out += three_public_prose(p, ctx, f"{y}年{d}")
    out.append(_l(f"（五）机关运行经费{W}情况", "subsection"))
    out.append(p.para(f"{y}年{d}机关运行经费{W}{p.money('机关运行经费', g['public'])}，"
                      f"{p.change(g['public'], prev['operating'])}。"))
    out.append(_l("（六）政府采购情况", "subsection"))
    out.append(procurement_prose(p, ctx, f"{y}年{d}"))
    return out


def build_generic(ctx: Ctx) -> list:
    """A third template: 9 tables in 元 with the unit line above the title."""
    b, y, W, rng = ctx.budget, ctx.year, ctx.W, ctx.rng
    ctx.title_prefix = b.dept if rng.random() < 0.4 else ""
    blocks: list = [_l(f"{b.dept}{y}年部门{W}", "doc_title"), blank()]
    sections = ("一、部门基本情况", f"二、部门{W}表", f"三、部门{W}情况说明", "四、项目绩效目标", "五、名词解释")
    blocks += [_l("目  录", "part"), blank()] + [_l(s, "bullet") for s in sections] + [blank()]
    blocks += [_l(sections[0], "part"), blank(), _l("（一）部门职责", "subsection"), blank()]
    for text in duty_lines(ctx)[:4]:
        blocks += [_l(text), blank()]
    blocks += [_l("（二）机构设置", "subsection"), blank()]
    for text in org_lines(ctx):
        blocks += [_l(text), blank()]
    blocks += [_l(sections[1], "part"), blank()]
    split = list(_split_order(ctx))
    labels = _split_labels(ctx)
    builders = (
        ("summary", g_summary),
        ("income", lambda c: g_code_table(c, "income", ["total", "general_budget", "gov_fund", "special_account",
                                                         "unit_funds", "carryover"],
                                          ["总计", "一般公共预算拨款", "政府性基金预算拨款", "财政专户管理资金", "单位资金",
                                           "上年结转"], lambda m: m["total"] > 0)),
        ("expenditure", lambda c: g_code_table(c, "expenditure", ["total"] + split, ["合计"] + labels,
                                               lambda m: m["total"] > 0)),
        ("fiscal_summary", g_fiscal),
        ("general_expenditure", lambda c: g_code_table(
            c, "general_expenditure", ["general_budget"] + [{"project": "project_general"}.get(k, k) for k in split],
            ["合计"] + labels, lambda m: m["general_budget"] > 0, ["total"] + split)),
        ("basic_economic", g_basic_economic), ("three_public", g_three_public),
        ("operating_costs", g_operating), ("projects", g_projects))
    if rng.random() < 0.5:  # a table of a kind known to no template: read, and kept apart, as 'other'
        builders += (("other", g_services),)
    for kind, builder in builders:
        if ctx.missing(kind):
            template = GENERIC_TITLES[kind][0 if W == "预算" else 1]
            blocks.append(missing_marker(ctx, kind, ctx.title_prefix + template.format(y=y)))
            continue
        blocks.append(builder(ctx))
    blocks += [_l(sections[2], "part"), blank()]
    for line in g_prose(ctx):
        blocks += [line, blank()]
    current = [p for p in b.projects if not p.carry]
    blocks += [_l(sections[3], "part"), blank(), _l(perf_count_line(ctx, current)), blank()]
    for project in current:
        blocks.append(perf_table(ctx, project, "项目支出绩效目标申报表", False))
    blocks += [_l(sections[4], "part"), blank()]
    for line in glossary_lines(ctx):
        blocks += [line, blank()]
    return blocks


# --------------------------------------------------------------------------
# Planted inconsistencies
# --------------------------------------------------------------------------
_MISSING_CANDIDATES = {
    "shanxi": ("income", "fiscal_summary", "general_expenditure", "basic_economic", "gov_fund_income",
               "gov_fund_expenditure", "state_capital", "three_public", "operating_costs", "projects_carryover"),
    "henan": ("income", "fiscal_summary", "general_expenditure", "basic_economic", "economic_summary",
              "three_public", "gov_fund_expenditure", "projects", "performance_overall", "performance_summary"),
    "generic": ("income", "fiscal_summary", "general_expenditure", "basic_economic", "three_public",
                "operating_costs", "projects"),
}
_FAMILY_TITLES = {"shanxi": SHANXI_TITLES, "henan": HENAN_TITLES, "generic": GENERIC_TITLES}
_TEXT_SUBJECTS = ("收入总计", "支出总计", "基本支出", "项目支出", "人员经费", "公用经费", "“三公”经费", "机关运行经费")
_PLANT_CHAINS = {
    "expenditure": (("total", "basic", "wages"), ("total", "basic", "goods_services"),
                    ("total", "basic", "household_subsidy"), ("total", "project", "project_operating"),
                    ("total", "project", "project_specific"), ("total", "basic"), ("total", "project")),
    "income": (("current", "general_budget"), ("total", "general_budget")),
}
_PLANT_CHAINS["general_expenditure"] = _PLANT_CHAINS["expenditure"]


def choose_plant(rng: random.Random, family: str, year: int, budget: Budget, style: Style,
                 henan_subtotals: bool) -> Plant:
    """Pick the rule (and its parameters) of the one planted inconsistency."""
    rules = ["children_sum", "text_vs_table", "three_public_items", "performance_vs_projects",
             "missing_table", "title_year"]
    current = [p for p in budget.projects if not p.carry]
    if family == "henan" and not henan_subtotals:
        rules.remove("children_sum")
    if budget.three_public["total"] == 0:
        rules.remove("three_public_items")
    if not current:
        rules.remove("performance_vs_projects")
    rule = rng.choice(rules)
    step = WAN_QUANTUM if style.unit == "万元" else FEN_PER_YUAN * rng.choice((1, 10, 100))
    plant = Plant(rule, delta=step * rng.randint(1, 60))
    if rule == "text_vs_table":
        plant.subject = rng.choice(_TEXT_SUBJECTS)
    elif rule == "performance_vs_projects":
        plant.project = rng.choice(current).name
    elif rule == "missing_table":
        plant.table_kind = rng.choice(_MISSING_CANDIDATES[family])
    elif rule == "title_year":
        titles = _FAMILY_TITLES[family]
        plant.table_kind = rng.choice([k for k, (tpl, _) in titles.items() if "{y}" in tpl])
        plant.year = year + rng.choice((-1, 1))
    return plant


def _signed(ctx: Ctx, value: int, delta: int) -> int:
    """Change amounts up or down, but never to zero or below."""
    return -delta if value > delta and ctx.rng.random() < 0.5 else delta


def _shift_row(ctx: Ctx, table: Table, row: TRow, measures: tuple) -> None:
    """Move the chained cells of one row by the same amount, so the row
    itself stays consistent and only its relation to other rows breaks."""
    index = {col.measure: i for i, col in enumerate(table.cols) if col.role == "value"}
    first = row.cells[index[measures[0]]]
    delta = _signed(ctx, first, ctx.plant.delta)
    for measure in measures:
        i = index[measure]
        row.cells[i] = (row.cells[i] or 0) + delta
    row.anchor = ctx.anchor()
    ctx.record_plant(table.kind, row.anchor, yuan_str(first), yuan_str(first + delta))


def plant_children_sum(ctx: Ctx, tables: list) -> None:
    """Shift one 项 row so its 款 no longer sums (children_sum)."""
    candidates = []
    for table in tables:
        if table.kind not in _PLANT_CHAINS:
            continue
        measures = {col.measure for col in table.cols if col.role == "value"}
        codes = {(_row_truth(table.cols, r.cells, None) or {}).get("code") for r in table.rows}
        chains = list(_PLANT_CHAINS[table.kind])
        ctx.rng.shuffle(chains)
        chains.sort(key=len, reverse=True)
        for row in table.rows:
            code = _row_truth(table.cols, row.cells, None)["code"]
            if not code or len(code) != 7 or code[:5] not in codes:
                continue
            for chain in chains:
                if set(chain) <= measures and all(
                        isinstance(row.cells[i], int) for i, col in enumerate(table.cols)
                        if col.role == "value" and col.measure in chain):
                    candidates.append((table, row, chain))
                    break
    if candidates:
        table, row, chain = ctx.rng.choice(candidates)
        _shift_row(ctx, table, row, chain)


def plant_three_public(ctx: Ctx, tables: list) -> None:
    """Shift the 三公 total away from its items (three_public_items)."""
    for table in tables:
        if table.kind != "three_public":
            continue
        measures = {col.measure for col in table.cols if col.role == "value"}
        chain = ("total", "general_budget") if "general_budget" in measures else ("total",)
        for row in table.rows:
            name = _row_truth(table.cols, row.cells, None)["name"]
            if "合计" in name or len(table.rows) == 1:
                _shift_row(ctx, table, row, chain)
                return


# --------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------
def _dealt(seed: int, index: int, choices: tuple, salt: str) -> str:
    """Deal choices from shuffled blocks so every choice appears in each
    block of len(choices) consecutive documents."""
    block, position = divmod(index, len(choices))
    order = list(choices)
    random.Random(f"{salt}:{seed}:{block}").shuffle(order)
    return order[position]


def is_planted(seed: int, index: int, fraction: float) -> bool:
    """Exactly ``fraction`` of any run of documents (to within one), chosen
    without reference to the corpus size."""
    if fraction <= 0:
        return False
    offset = random.Random(f"planted:{seed}").random()
    return int((index + 1) * fraction + offset) > int(index * fraction + offset)


def make_style(rng: random.Random, family: str) -> Style:
    """Draw the number-printing habits of one document."""
    if family == "generic":
        unit, quantum = "元", rng.choice((FEN_PER_YUAN, FEN_PER_YUAN, 1))
    else:
        unit, quantum = "万元", WAN_QUANTUM
    return Style(unit=unit, quantum=quantum, thousands=rng.random() < 0.4, yuan_int=rng.random() < 0.5,
                 prose_thousands=rng.random() < 0.3, prose_zero_bare=rng.random() < 0.6,
                 prose_space=family == "henan" and rng.random() < 0.6,
                 colon="：" if rng.random() < 0.8 else ":", level2_suffix=rng.random() < 0.7)


_BUILDERS = {"shanxi": build_shanxi, "henan": build_henan, "generic": build_generic}


def _file_name(index: int, family: str, rendering: str) -> str:
    suffix = ".txt.gz" if rendering == "gzip" else ".txt"
    return f"{index:06d}_{family}_{rendering}{suffix}"


def truth_name(file_name: str) -> str:
    """NAME.truth.json for NAME.txt / NAME.txt.gz."""
    stem = file_name[:-len(".txt.gz")] if file_name.endswith(".txt.gz") else file_name[:-len(".txt")]
    return stem + ".truth.json"


def _build(index: int, seed: int, planted: float, family: str) -> tuple[Ctx, list]:
    """Draw the budget and print it with the family's templates."""
    rng = random.Random(f"pybudget-corpus:{seed}:{index}")
    year = rng.randint(2019, 2026)
    kind = "final" if rng.random() < 0.2 else "budget"
    style = make_style(rng, family)
    budget = generate_budget(rng, family, year, style.quantum)
    for project in budget.projects:
        if not project.carry:
            project.perf = make_perf(rng, project, budget, year, not style.level2_suffix)
    henan_subtotals = rng.random() < 0.5
    plant = None
    if is_planted(seed, index, planted):
        plant = choose_plant(rng, family, year, budget, style, henan_subtotals)
    ctx = Ctx(rng, family, year, kind, style, budget, plant)
    ctx.name_first = rng.random() < 0.5
    ctx.perf_thousands = rng.random() < 0.6
    ctx.spaced_year = rng.random() < 0.5
    ctx.henan_subtotals = henan_subtotals
    ctx.indent_names = rng.random() < 0.5
    ctx.project_first = rng.random() < 0.5
    blocks = _BUILDERS[family](ctx)
    tables = [b for b in blocks if isinstance(b, Table)]
    if ctx.plants("children_sum"):
        plant_children_sum(ctx, tables)
    if ctx.plants("three_public_items"):
        plant_three_public(ctx, tables)
    return ctx, blocks


def _encode(lines: list[str], rendering: str) -> tuple[bytes, str]:
    """Line ends, character encoding and compression of one rendering."""
    newline = "\r\n" if rendering == "crlf" else "\n"
    encoding = "gb18030" if rendering == "gb18030" else "utf-8"
    data = (newline.join(lines) + newline).encode(encoding)
    if rendering == "gzip":
        data = gzip.compress(data, mtime=0)     # mtime=0 keeps the bytes reproducible
    return data, encoding


def generate_document(index: int, seed: int = 1, planted: float = 0.1,
                      families: Iterable[str] | None = None,
                      renderings: Iterable[str] | None = None) -> tuple[str, bytes, dict]:
    """Generate document ``index`` of corpus ``seed``.

    Returns (file name, file bytes, truth dict).  The result depends only on
    the arguments, never on other documents or on global random state."""
    family = _dealt(seed, index, tuple(families or FAMILIES), "family")
    rendering = _dealt(seed, index, tuple(renderings or RENDERINGS), "rendering")
    ctx, blocks = _build(index, seed, planted, family)
    base = rendering if rendering in ("tab", "layout", "markdown", "html", "csv", "ocr", "wrapped") else "tab"
    renderer = Renderer(base, ctx.rng, ctx.style)
    data, encoding = _encode(renderer.render(blocks), rendering)
    name = _file_name(index, family, rendering)
    truth = {
        "source": name, "family": family, "rendering": rendering, "encoding": encoding,
        "department": ctx.budget.dept, "year": ctx.year, "kind": ctx.kind,
        "tables": [table_truth(b) for b in blocks if isinstance(b, Table) and b.kind],
        "projects": ctx.projects_truth,
        "indicators": ctx.indicators_truth,
        "facts": [{"subject": f.subject, "value": yuan_str(f.fen), "share": f.share, "line": f.line}
                  for f in ctx.facts],
        "planted": [{"rule": p["rule"], "table": p["table"], "line": renderer.anchor_lines[p["anchor"]],
                     "expected": p["expected"], "actual": p["actual"]} for p in ctx.planted],
    }
    return name, data, truth


_JSON = json.JSONEncoder(ensure_ascii=False)   # one encoder: json.dumps(**kw) builds one per call


def dump_truth(truth: dict) -> str:
    """The truth as JSON with one table row / fact / indicator per line.

    Leaves go through the C encoder (``indent=`` would force the slow pure
    Python one, which dominated the run time)."""
    enc = _JSON.encode

    items = []
    for key, value in truth.items():
        if key == "tables":
            tables = []
            for table in value:
                head = enc({k: v for k, v in table.items() if k != "rows"})[:-1]
                rows = ",\n    ".join(enc(row) for row in table["rows"])
                tables.append(f'  {head}, "rows": [\n    {rows}]}}' if rows else f'  {head}, "rows": []}}')
            items.append(' "tables": [\n' + ",\n".join(tables) + "]")
        elif isinstance(value, list) and value:
            items.append(f" {enc(key)}: [\n  " + ",\n  ".join(enc(x) for x in value) + "]")
        else:
            items.append(f" {enc(key)}: {enc(value)}")
    return "{\n" + ",\n".join(items) + "\n}\n"


def generate_corpus(out_dir: str | Path, n: int = 200, seed: int = 1, planted: float = 0.1,
                    families: Iterable[str] | None = None,
                    renderings: Iterable[str] | None = None) -> list[str]:
    """Write ``n`` documents and their truth sidecars into ``out_dir``.

    Documents are written one at a time (nothing accumulates in memory but
    the list of file names, which is returned)."""
    families = tuple(families or FAMILIES)
    renderings = tuple(renderings or RENDERINGS)
    for value, allowed in ((families, FAMILIES), (renderings, RENDERINGS)):
        unknown = set(value) - set(allowed)
        if unknown:
            raise ValueError(f"unknown choice(s) {sorted(unknown)}; expected some of {allowed}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(n):
        name, data, truth = generate_document(index, seed, planted, families, renderings)
        (out / name).write_bytes(data)
        (out / truth_name(name)).write_text(dump_truth(truth), encoding="utf-8")
        names.append(name)
    return names


def _choices(values: list[str] | None) -> list[str] | None:
    """Accept both '--families shanxi henan' and '--families shanxi,henan'."""
    if not values:
        return None
    return [v for value in values for v in value.split(",") if v]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description="Generate a synthetic pybudget corpus with truth sidecars.")
    parser.add_argument("out_dir", help="directory to write NAME.txt[.gz] and NAME.truth.json into")
    parser.add_argument("-n", "--count", type=int, default=200, help="number of documents (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--planted", type=float, default=0.1,
                        help="share of documents with one planted inconsistency (default 0.1)")
    parser.add_argument("--families", nargs="+", help=f"template families, from {', '.join(FAMILIES)}")
    parser.add_argument("--renderings", nargs="+", help=f"renderings, from {', '.join(RENDERINGS)}")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        names = generate_corpus(args.out_dir, args.count, args.seed, args.planted,
                                _choices(args.families), _choices(args.renderings))
    except ValueError as error:
        parser.error(str(error))
    elapsed = time.perf_counter() - started
    print(f"wrote {len(names)} documents to {args.out_dir} in {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
