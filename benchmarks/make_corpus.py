"""Synthetic corpus generator for pybudget.

Writes Chinese government department budget / final-account disclosure
documents (部门预算公开 / 部门决算公开) the way they look after PDF-to-text
conversion, each next to a truth sidecar ``NAME.truth.json`` holding the
figures a parser should recover.  Everything here is written from this
module's own templates; the real seed documents are never read.

Usage::

    python benchmarks/make_corpus.py OUT_DIR -n 200 --seed 1 \\
        [--planted 0.1] [--families shanxi henan generic] \\
        [--renderings tab layout markdown ocr wrapped crlf gb18030 gzip]

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
  - row ``level`` is derived from the printed code (3/5/7 digits ->
    类/款/项) for function and economic codes, and is null when no code is
    printed or when the code is a unit/project code;
  - the horizontal 三公 table's single data row has ``name`` "";
  - ``performance`` tables carry no rows (their figures are in
    ``projects`` and ``indicators``); the 部门整体绩效目标表's indicators
    have ``project`` null;
  - indicator ``comparator`` is "=" for a bare number ("100%", "1个") and
    null for qualitative values ("及时");
  - fact ``value`` is the figure as printed (which differs from the table
    when a ``text_vs_table`` inconsistency was planted);
  - ``planted`` ``expected``/``actual`` are 元 strings for amounts, year
    strings for ``title_year``, and the table title / null for
    ``missing_table``.
"""
from __future__ import annotations

import argparse
import gzip
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
RENDERINGS = ("tab", "layout", "markdown", "ocr", "wrapped", "crlf", "gb18030", "gzip")

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
    province: str
    city: str
    county: str | None
    prefix: str       # what precedes the agency name: 朔州市朔城区 / 稷山县 / 三门峡市
    short: str        # Henan tables abbreviate to 市/县/区
    level: str        # 省 / 市 / 县


@dataclass
class Unit:
    name: str
    code: str         # six-digit unit code (Henan tables)
    admin: bool       # 行政单位 (the department itself) vs 事业单位
    staff: int
    run_item: str     # function item its basic expenditure is charged to


@dataclass
class EconLine:
    unit: int
    econ: str
    item: str
    fen: int


@dataclass
class Indicator:
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
               "operating": grand["public"], "fiscal": grand["fiscal_total"], **tp}
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


def _split_funds(rng: random.Random, fen: int, source: str) -> dict:
    """Who pays for a project: 中央/省级/市县/单位自筹 shares (fen, exact)."""
    funds = dict.fromkeys(("central", "provincial", "local", "self_funded"), 0)
    if source == "unit_funds":
        funds["self_funded"] = fen
        return funds
    roll = rng.random()
    if roll < 0.65 or fen < 2 * FEN_PER_YUAN * 100:
        funds["local"] = fen
    elif roll < 0.8:
        funds["central"] = fen
    elif roll < 0.9:
        funds["provincial"] = fen
    else:
        part = fen * rng.randint(2, 8) // 10 // FEN_PER_YUAN * FEN_PER_YUAN
        funds["central"], funds["local"] = part, fen - part
    return funds


def make_perf(rng: random.Random, project: Project, budget: Budget, year: int, short_level2: bool) -> Perf:
    """Everything a project's 绩效目标表 prints."""
    topic = re.sub(r"^(关于提前下达|关于下达)?(\d{4}年)?|(工作经费|专项经费|补助资金|项目|运转经费|专项资金的通知|资金)$",
                   "", project.name) or project.name
    years = 1 if rng.random() < 0.7 else rng.choice((2, 3))
    annual = _split_funds(rng, project.fen, project.source)
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
    subject: str
    fen: int
    share: str | None
    line: int = 0


@dataclass
class Line:
    text: str = ""
    role: str = "text"   # text blank doc_title part section subsection toc toc_part bullet glossary
    anchors: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    extra: str = ""      # toc page number / glossary body


@dataclass(frozen=True)
class Col:
    role: str                   # code | name | value | text
    measure: str | None = None
    side: str | None = None
    code_kind: str | None = None  # func | econ | unit | project | revenue


@dataclass
class TRow:
    cells: list                 # str | int (fen) | None
    truth: bool = True
    anchor: str | None = None
    free: bool = False          # long free-text row: never column-aligned


@dataclass
class Table:
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
    if side is not None and not name and not values and not code_parts:
        return None
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


def ocr_number(text: str, rng: random.Random) -> str:
    """OCR damage inside a number: '733. 90', '50, 000' or full-width digits."""
    roll = rng.random()
    if roll < 0.45 and "." in text:
        return text.replace(".", ". ", 1)
    if roll < 0.7 and "," in text:
        return text.replace(",", ", ", 1)
    if roll < 0.9:
        return text.translate(_FULLWIDTH_DIGITS)
    return text


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
        self.gap = "  " + " " * rng.randint(0, 2)

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
            else:
                self.line(block)
        return self.lines

    # -- text lines ------------------------------------------------------
    def line(self, line: Line) -> None:
        if line.role == "blank":
            self.blank()
            return
        text = self.decorate(line)
        if self.mode == "ocr" and line.role in ("text", "glossary"):
            text = ocr_prose(text, self.rng)
        number = self.emit(text, line.anchors)
        for fact in line.facts:
            fact.line = number

    def decorate(self, line: Line) -> str:
        mode, text = self.mode, line.text
        if line.role in ("toc", "toc_part"):
            if mode == "layout":
                return f"{text} {'.' * self.rng.randint(6, 30)} {line.extra}"
            if mode == "markdown" and line.role == "toc_part":
                return f"<b>{text}</b> .....\t{line.extra}"
            return f"{text}.....\t{line.extra}"
        if line.role == "bullet":
            return f"- {text}"
        if line.role == "glossary":
            if mode == "markdown":
                return f"{text}、**{line.extra.split('：', 1)[0]}**：{line.extra.split('：', 1)[1]}"
            return f"{text}、{line.extra}"
        if mode == "markdown":
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
                cells = [ocr_number(c, self.rng) if _NUMBER_CELL.match(c) and self.rng.random() < 0.3
                         else c for c in cells]
            tails = None
            if self.mode == "wrapped" and not row.free:
                cells, tails = self.wrap_cells(cells, table)
            self.emit("\t".join(cells), [row.anchor] if row.anchor else [])
            if tails:
                self.emit("\t".join(tails))
            if self.mode == "wrapped" and count == next_break and count < len(body):
                self.page_break(header)
                next_break += self.rng.randint(14, 30)

    def wrap_cells(self, cells: list, table: Table) -> tuple[list, list | None]:
        """Long names spill onto a continuation line in the same column."""
        heads, tails, wrapped = list(cells), [""] * len(cells), False
        for i, (col, text) in enumerate(zip(table.cols, cells)):
            if col.role == "name" and len(text) >= 11 and self.rng.random() < 0.6:
                cut = self.rng.randint(max(4, len(text) // 2), len(text) - 2)
                heads[i], tails[i], wrapped = text[:cut], text[cut:], True
        return heads, (tails if wrapped else None)

    def page_break(self, header: list) -> None:
        """Residue of a PDF page break inside a table: blank, page number,
        blank, then the table header again."""
        self.page += 1
        self.lines.append("")
        self.lines.append(self.rng.choice((f"- {self.page} -", f"— {self.page} —", str(self.page))))
        self.lines.append("")
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
        for cells in header:
            self.emit(self.layout_line(cells, widths, numeric=False))
        for row, cells in body:
            if row.free:
                text = "    ".join(c for c in cells if c)
            else:
                text = self.layout_line(cells, widths, numeric=True)
            self.emit(text, [row.anchor] if row.anchor else [])

    def layout_line(self, cells: list, widths: list, numeric: bool) -> str:
        parts = []
        for i, text in enumerate(cells):
            pad = widths[i] - display_width(text)
            if numeric and _NUMBER_CELL.match(text):
                parts.append(" " * pad + text)
            else:
                parts.append(text + " " * pad)
        return self.gap.join(parts).rstrip()


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
            printed = fen + plant.delta
            anchor = self.ctx.anchor()
            self.ctx.record_plant(None, anchor, yuan_str(fen), yuan_str(printed))
        if not any(fact.subject == subject for fact, _ in self.pending):
            self.pending.append((Fact(subject, printed, share), anchor))
        text = self._text(printed)
        return text + f"，占{share}%" if share is not None else text

    def change(self, current: int, previous: int) -> str:
        """'比上年增加42.64万元，增长5.30%' (no fact: it is not a stated total)."""
        if current == previous:
            return "与上年持平"
        if previous == 0:
            return f"比上年增加{self._text(current)}"
        diff = current - previous
        word, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        return f"比上年{word}{self._text(abs(diff))}，{trend}{percent_str(abs(diff), previous)}%"

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
    entries = list(GLOSSARY)
    if ctx.rng.random() < 0.5:
        ctx.rng.shuffle(entries)
    return [Line(chinese_numeral(i), "glossary", extra=f"{term}：{body}")
            for i, (term, body) in enumerate(entries, 1)]
