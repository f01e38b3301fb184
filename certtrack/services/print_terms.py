"""The fixed wording of the printed documents for stored codes: establishment types, legal bases,
states, decisions and inspection terms, in the languages each document is printed in.

These are the documents' own words, like the labels of templates/pdf/: the reader's interface
language never changes them (a certificate is Kazakh/English/Chinese, a dossier English/Chinese),
so they are data here rather than interface strings of the catalogs.
"""

EXPORTING_COUNTRY = {"kk": "Қазақстан Республикасы", "ru": "Республика Казахстан",
                     "en": "Republic of Kazakhstan", "zh": "哈萨克斯坦共和国"}
# The authority a certificate and a dossier are addressed to (docs/domain.md §2).
GACC = {"kk": "ҚХР Бас кеден басқармасы",
        "ru": "Главное таможенное управление КНР (ГТУ КНР)",
        "en": "General Administration of Customs of the P. R. China (GACC)",
        "zh": "中华人民共和国海关总署"}

ESTABLISHMENT_TYPES = {
    "farm": {"kk": "Ферма", "ru": "Ферма", "en": "Farm", "zh": "农场"},
    "elevator": {"kk": "Астық элеваторы", "ru": "Зерновой элеватор", "en": "Grain elevator",
                 "zh": "粮食仓储库"},
    "flour_mill": {"kk": "Ұн тарту кәсіпорны", "ru": "Мукомольное предприятие",
                   "en": "Flour mill", "zh": "面粉加工厂"},
    "oilseed_plant": {"kk": "Майлы дақылдарды өңдеу зауыты",
                      "ru": "Завод по переработке масличных культур", "en": "Oilseed plant",
                      "zh": "油籽加工厂"},
    "feed_mill": {"kk": "Құрама жем зауыты", "ru": "Комбикормовый завод", "en": "Feed mill",
                  "zh": "饲料加工厂"},
    "slaughterhouse": {"kk": "Мал сою кәсіпорны", "ru": "Убойное предприятие",
                       "en": "Slaughterhouse", "zh": "屠宰厂"},
    "cutting_plant": {"kk": "Ет бөлшектеу цехы", "ru": "Цех разделки мяса",
                      "en": "Cutting plant", "zh": "分割厂"},
    "meat_processor": {"kk": "Ет өңдеу кәсіпорны", "ru": "Мясоперерабатывающее предприятие",
                       "en": "Meat processing plant", "zh": "肉类加工厂"},
    "cold_store": {"kk": "Тоңазытқыш қойма", "ru": "Холодильный склад", "en": "Cold store",
                   "zh": "冷库"},
    "dairy": {"kk": "Сүт өңдеу зауыты", "ru": "Молочный завод", "en": "Dairy plant",
              "zh": "乳品加工厂"},
    "honey_packing": {"kk": "Бал өлшеп-орау кәсіпорны", "ru": "Предприятие по фасовке мёда",
                      "en": "Honey packing plant", "zh": "蜂蜜包装厂"},
}
# The GACC rules a registration was listed under (Registration.regime; docs/domain.md §4).
LEGAL_BASES = {  # docs/glossary.md
    "248": {"kk": "ҚХР Бас кеден басқармасының № 248 декреті",
            "ru": "Декрет ГТУ КНР (GACC) № 248",
            "en": "GACC Decree No. 248", "zh": "海关总署第248号令"},
    "280": {"kk": "ҚХР Бас кеден басқармасының № 280 бұйрығы",
            "ru": "Приказ ГТУ КНР (GACC) № 280",
            "en": "GACC Order No. 280", "zh": "海关总署第280号令"},
}

# The dossier's words (English · Chinese) for the states, decisions and inspection terms.
STATES = {
    "draft": ("Draft", "草稿"), "submitted": ("Submitted", "已提交"),
    "under_review": ("Under review", "审核中"),
    "returned": ("Returned for corrections", "退回补正"), "rejected": ("Rejected", "已拒绝"),
    "inspection_scheduled": ("Inspection scheduled", "已安排检查"),
    "inspected": ("Inspected", "已完成检查"),
    "corrective_actions": ("Corrective actions", "整改中"),
    "lab_testing": ("Laboratory testing", "实验室检测中"),
    "conclusion_negative": ("Negative conclusion", "结论：不合格"),
    "conclusion_positive": ("Positive conclusion", "结论：合格"),
    "recommended": ("Recommended to GACC", "已向海关总署推荐"),
    "submitted_to_gacc": ("Submitted to GACC", "已提交海关总署"),
    "gacc_returned": ("Returned by GACC", "海关总署退回"),
    "gacc_refused": ("Refused by GACC", "海关总署拒绝"),
    "registered": ("Registered in China", "已在华注册"), "withdrawn": ("Withdrawn", "已撤回"),
    "active": ("Registration in force", "注册有效"),
    "suspended": ("Registration suspended", "注册暂停"),
    "revoked": ("Registration revoked", "注册撤销"),
    "cancelled": ("Registration cancelled", "注册注销"),
    "expired": ("Registration expired", "注册过期"),
    "invalidated": ("Registration invalidated", "注册失效"),
}
# The decisions an application's timeline keeps (workflow Action and RegistrationAction): the
# uploads, edits and notes between them stay in the application's own audit trail.
DECISIONS = {
    "submit": ("Application submitted", "提交申请"),
    "resubmit": ("Application resubmitted", "重新提交申请"),
    "withdraw": ("Application withdrawn", "撤回申请"),
    "start_review": ("Completeness check started", "开始完整性审查"),
    "return_for_corrections": ("Returned for corrections", "退回补正"),
    "reject": ("Application rejected", "拒绝申请"),
    "schedule_inspection": ("Inspection scheduled", "安排检查"),
    "record_inspection": ("Inspection recorded", "记录检查结果"),
    "require_corrective_actions": ("Corrective actions required", "要求整改"),
    "submit_corrective_evidence": ("Corrective-action evidence submitted", "提交整改证据"),
    "verify_corrective_actions": ("Corrective actions verified", "整改验证"),
    "send_to_lab": ("Samples sent to the laboratory", "送实验室检测"),
    "record_lab_results": ("Laboratory results complete", "实验室检测完成"),
    "conclude_negative": ("Negative conclusion", "作出不合格结论"),
    "conclude_positive": ("Positive conclusion", "作出合格结论"),
    "recommend": ("Recommended to GACC", "向海关总署推荐"),
    "submit_to_gacc": ("Sent to GACC", "提交海关总署"),
    "record_gacc_return": ("GACC requested corrections", "海关总署要求补正"),
    "resubmit_to_gacc": ("Sent back to GACC", "重新提交海关总署"),
    "record_gacc_refusal": ("GACC refusal recorded", "海关总署拒绝"),
    "record_registration": ("Registration recorded", "记录注册"),
    "suspend": ("Registration suspended", "暂停注册"),
    "amend_suspension": ("Suspension's end changed", "变更暂停截止日期"),
    "resume": ("Registration resumed", "恢复注册"),
    "revoke": ("Registration revoked", "撤销注册"),
    "cancel": ("Registration cancelled", "注销注册"),
    "invalidate": ("Registration invalidated", "注册失效"),
    "expire": ("Registration expired", "注册到期"),
}
INSPECTION_MODES = {"document": ("Document review", "文件审查"),
                    "video": ("Video inspection", "视频检查"),
                    "on_site": ("On-site inspection", "现场检查")}
FINDING_STATUSES = {"open": ("Open", "未整改"),
                    "evidence_submitted": ("Evidence submitted", "已提交整改证据"),
                    "closed": ("Closed", "已关闭")}
APPLICATION_KINDS = {"new": ("New registration", "新注册"), "renewal": ("Renewal", "延续注册"),
                     "change": ("Change", "变更")}


def bilingual(table: dict[str, tuple[str, str]], code: str | None) -> str:
    """A code's English and Chinese words, "Closed · 已关闭"; empty for no code.

    A code the table lacks (a vocabulary grew) prints in words, never with its underscores.
    """
    if not code:
        return ""
    english, chinese = table.get(code, (code.replace("_", " ").capitalize(), ""))
    return f"{english} · {chinese}" if chinese else english
# The exporter's questionnaire as the dossier prints it: each question, and the answers that
# are codes, in English and Chinese.
QUESTIONS = (
    ("haccp_status", ("HACCP", "HACCP体系")),
    ("haccp_details", ("HACCP plan or certificate", "HACCP计划或证书")),
    ("traceability", ("Traceability procedure", "追溯程序")),
    ("production_capacity", ("Production capacity, tonnes per day", "生产能力（吨/日）")),
    ("storage_capacity", ("Storage capacity, tonnes", "仓储能力（吨）")),
    ("water_source", ("Water source", "水源")),
    ("staff_count", ("Staff", "员工人数")),
    ("last_inspection_date", ("Last official inspection", "最近一次官方检查")),
    ("last_inspection_authority", ("Inspecting authority", "检查机构")),
)
ANSWERS = {
    "haccp_status": {"none": ("No HACCP system yet", "尚未建立HACCP体系"),
                     "plan": ("HACCP plan in place", "已制定HACCP计划"),
                     "certified": ("HACCP certified", "已获HACCP认证")},
    "water_source": {"municipal": ("Municipal supply", "市政供水"),
                     "well": ("Own well", "自备水井"),
                     "surface": ("Surface water", "地表水"), "other": ("Other", "其他")},
}
