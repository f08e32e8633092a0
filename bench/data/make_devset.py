"""Build the labeled development set (postings.jsonl, intentions.jsonl, qrels.tsv).

Postings are assembled from hand-written, per-occupation pools of titles, duties, requirements
and employers (seeded, so the output is reproducible).  Intentions are written one by one below in
graduates' own words (deliberately not reusing the postings' phrasing).  Grades come from a
hand-made relatedness judgement between occupations, not from any text similarity:

* 2: the posting is the graduate's target occupation and its city is acceptable to them
  (an intended city, or the graduate names none);
* 1: the target occupation in a city the graduate did not name, or a closely related occupation
  the graduate could reasonably take (listed in ``RELATED`` / per intention ``also``);
* 0: anything else, including near-misses such as sales roles in software companies for a
  developer, and ALWAYS a posting whose minimum degree is above the graduate's.

Run: ``python bench/data/make_devset.py`` (writes next to this file).
"""

from __future__ import annotations

import json
import os
import random

DEGREES = ("专科", "本科", "硕士", "博士")
HERE = os.path.dirname(os.path.abspath(__file__))

CITIES = ["贵阳", "贵阳", "贵阳", "遵义", "遵义", "六盘水", "安顺", "毕节", "铜仁", "凯里", "都匀", "兴义"]

# occupation: industry, titles, duties, requirements, majors, employers, degree weights, salary
OCC: dict[str, dict] = {
    "backend": dict(
        industry=["软件和信息技术服务", "大数据电子信息"],
        titles=["Java开发工程师", "后端开发工程师", "Java软件工程师（政务云方向）", "服务端研发工程师", "Go语言开发工程师"],
        duties=["参与政务服务平台后端接口的设计与编码", "负责微服务模块的开发、联调和上线", "根据需求文档完成业务功能开发并编写单元测试",
                "优化数据库查询和系统性能，排查线上问题", "参与系统架构评审，编写技术文档"],
        reqs=["熟悉Java语言，掌握Spring Boot、MyBatis等框架", "熟悉MySQL数据库和Redis缓存", "了解Linux常用命令和Git",
              "有分布式或微服务项目经验者优先", "计算机相关专业，编程基础扎实"],
        majors=[["软件工程", "计算机科学与技术"], ["计算机科学与技术"], ["软件工程", "网络工程"]],
        employers=["贵州数智云科技有限公司", "贵阳高新区某软件公司", "云上贵州大数据产业发展有限公司", "贵州黔程天下信息技术有限公司"],
        degree=[0.2, 0.65, 0.15, 0], salary=(6000, 12000)),
    "frontend": dict(
        industry=["软件和信息技术服务"],
        titles=["Web前端开发工程师", "前端工程师（Vue方向）", "小程序开发工程师"],
        duties=["负责公司Web页面和移动端H5页面的开发", "与设计师、后端工程师配合完成交互功能", "维护组件库，提升页面加载速度"],
        reqs=["熟悉HTML、CSS、JavaScript", "掌握Vue或React框架", "了解微信小程序开发", "有良好的审美和代码规范意识"],
        majors=[["软件工程", "数字媒体技术"], ["计算机科学与技术"]],
        employers=["贵州数智云科技有限公司", "贵阳某互联网科技公司", "贵州多彩网络科技有限公司"],
        degree=[0.4, 0.6, 0, 0], salary=(5000, 10000)),
    "tester": dict(
        industry=["软件和信息技术服务"],
        titles=["软件测试工程师", "测试开发工程师", "质量保障（QA）工程师"],
        duties=["编写测试用例，执行功能测试和回归测试", "记录和跟踪缺陷，推动问题解决", "搭建自动化测试脚本"],
        reqs=["熟悉软件测试流程和方法", "会使用Python或Java编写自动化脚本者优先", "细心、有责任心"],
        majors=[["软件工程", "计算机科学与技术"], ["计算机应用技术"]],
        employers=["贵州数智云科技有限公司", "贵阳某软件外包公司", "贵州电子政务服务公司"],
        degree=[0.5, 0.5, 0, 0], salary=(4500, 8000)),
    "data": dict(
        industry=["大数据电子信息"],
        titles=["大数据开发工程师", "数据分析师", "数据治理工程师", "数据仓库工程师", "BI数据分析专员"],
        duties=["负责数据采集、清洗和入库，建设数据仓库", "基于Hadoop、Spark处理海量数据", "搭建报表和可视化看板，为业务提供数据支持",
                "参与政务数据共享交换平台的数据治理", "编写SQL完成统计分析"],
        reqs=["熟悉SQL，掌握Python或Scala", "了解Hadoop、Hive、Spark、Flink等大数据组件", "统计学、数学或计算机相关专业",
              "能熟练使用Excel和Tableau等可视化工具"],
        majors=[["数据科学与大数据技术", "计算机科学与技术"], ["统计学", "数据科学与大数据技术"], ["大数据技术"]],
        employers=["云上贵州大数据产业发展有限公司", "贵阳大数据交易所", "贵州数据宝网络科技有限公司", "贵安新区某数据中心"],
        degree=[0.15, 0.6, 0.25, 0], salary=(6000, 13000)),
    "ops": dict(
        industry=["大数据电子信息"],
        titles=["数据中心运维工程师", "网络运维工程师", "IDC机房运维专员", "云平台运维工程师"],
        duties=["负责数据中心服务器、网络设备的日常巡检和维护", "处理机房告警和故障，做好值班记录", "部署和维护云平台虚拟化环境",
                "配置交换机、路由器和防火墙"],
        reqs=["熟悉Linux系统和TCP/IP网络协议", "持有CCNA、HCIA等认证者优先", "能适应倒班"],
        majors=[["网络工程", "计算机网络技术"], ["计算机应用技术", "通信工程"]],
        employers=["贵安新区某数据中心", "中国移动贵州公司数据中心", "贵州某云计算服务公司"],
        degree=[0.6, 0.4, 0, 0], salary=(4500, 8000)),
    "it_sales": dict(  # near-miss for developers
        industry=["软件和信息技术服务", "大数据电子信息"],
        titles=["大数据解决方案销售经理", "软件产品销售代表", "政企客户经理（云计算产品）", "IT渠道销售专员"],
        duties=["负责公司大数据平台和软件产品在本区域的市场推广与销售", "拜访政府和企业客户，挖掘项目需求", "完成销售指标，维护客户关系",
                "配合技术团队完成方案讲解和投标"],
        reqs=["具有较强的沟通表达能力和抗压能力", "有软件或云计算产品销售经验者优先", "接受出差", "市场营销或计算机相关专业均可"],
        majors=[["市场营销", "计算机科学与技术"], [], ["市场营销"]],
        employers=["贵州数智云科技有限公司", "云上贵州大数据产业发展有限公司", "贵州某软件公司"],
        degree=[0.5, 0.5, 0, 0], salary=(4000, 12000)),
    "mech": dict(
        industry=["先进装备制造"],
        titles=["机械设计工程师", "数控工艺技术员", "设备维修技术员", "装配工艺工程师", "航空零部件数控操作工"],
        duties=["负责零部件图纸绘制和三维建模", "编制数控加工程序和工艺卡片", "负责生产设备的点检、保养和故障维修",
                "现场解决装配过程中的工艺问题"],
        reqs=["熟练使用AutoCAD、SolidWorks", "熟悉数控机床操作和编程", "机械设计制造及其自动化相关专业", "能吃苦耐劳，适应车间工作"],
        majors=[["机械设计制造及其自动化"], ["数控技术", "机电一体化技术"], ["机械设计制造及其自动化", "机械电子工程"]],
        employers=["贵州航空工业某制造公司", "贵阳某精密机械有限公司", "遵义某装备制造公司"],
        degree=[0.5, 0.5, 0, 0], salary=(4500, 9000)),
    "nev": dict(
        industry=["新能源汽车"],
        titles=["动力电池工艺工程师", "新能源汽车整车装调技术员", "电池包测试工程师", "电机控制器研发工程师"],
        duties=["负责动力电池电芯和模组生产工艺的优化", "新能源汽车整车下线检测与调试", "进行电池包充放电和安全测试，分析测试数据",
                "参与电驱动系统的软硬件开发"],
        reqs=["车辆工程、电气工程或材料相关专业", "了解锂电池工作原理", "熟悉汽车电气系统", "能适应生产现场工作"],
        majors=[["车辆工程", "新能源汽车工程"], ["电气工程及其自动化", "材料科学与工程"], ["新能源汽车技术"]],
        employers=["贵阳某新能源汽车有限公司", "贵州某动力电池公司", "安顺某汽车零部件公司"],
        degree=[0.3, 0.5, 0.2, 0], salary=(5000, 11000)),
    "chem": dict(
        industry=["磷化工/现代化工"],
        titles=["化工工艺工程师", "磷化工生产技术员", "化工安全员", "化学分析检验员", "磷酸铁锂材料研发工程师"],
        duties=["负责湿法磷酸、黄磷等装置的工艺运行和参数控制", "监控生产装置，处理工艺异常", "开展安全检查和隐患排查",
                "负责原料和产品的化学分析检测", "开展电池正极材料的实验研究"],
        reqs=["化学工程与工艺、应用化学相关专业", "熟悉化工单元操作", "能适应倒班和化工生产环境", "有化验员证书者优先"],
        majors=[["化学工程与工艺", "应用化学"], ["应用化学"], ["化学工程与工艺"]],
        employers=["贵州磷化（集团）有限责任公司", "瓮福集团某化工公司", "开阳某磷化工企业", "福泉某新材料公司"],
        degree=[0.35, 0.5, 0.15, 0], salary=(5000, 9000)),
    "alu": dict(
        industry=["铝及铝加工"],
        titles=["铝加工工艺技术员", "电解铝生产技术员", "冶金工程师", "铝合金材料研发工程师"],
        duties=["负责铝板带轧制、挤压工艺的现场管理", "控制电解槽技术条件，提高电流效率", "分析产品质量缺陷并改进工艺",
                "开展铝合金成分和性能研究"],
        reqs=["冶金工程、材料成型及控制工程相关专业", "了解金属材料热处理", "能适应高温车间环境"],
        majors=[["冶金工程", "材料成型及控制工程"], ["材料科学与工程", "冶金工程"]],
        employers=["贵州某铝业股份有限公司", "清镇某铝加工公司", "遵义某铝业公司"],
        degree=[0.4, 0.45, 0.15, 0], salary=(5000, 9000)),
    "pharma": dict(
        industry=["健康医药"],
        titles=["药品质量检验员（QC）", "制药工艺技术员", "药品注册专员", "中药材研发助理"],
        duties=["按照药典和SOP完成原辅料、成品的检验", "负责制剂车间生产工艺执行和批记录", "整理药品注册申报资料",
                "参与苗药、中药材有效成分研究"],
        reqs=["药学、药物制剂、中药学相关专业", "熟悉GMP规范", "会使用高效液相色谱等仪器者优先"],
        majors=[["药学", "药物制剂"], ["中药学", "药学"], ["制药工程"]],
        employers=["贵州某制药股份有限公司", "贵阳某苗药集团", "修文某医药科技公司"],
        degree=[0.3, 0.5, 0.2, 0], salary=(4500, 8000)),
    "nurse": dict(
        industry=["健康医药"],
        titles=["临床护士", "护士（急诊科）", "护理岗", "社区护士"],
        duties=["负责病区患者的日常护理和健康宣教", "执行医嘱，完成输液、采血等基础护理操作", "参与急危重症患者的抢救配合",
                "做好护理记录和交接班"],
        reqs=["护理学或护理专业", "持有护士执业资格证或已通过考试", "能适应倒班", "有三甲医院实习经历者优先"],
        majors=[["护理学", "护理"], ["护理"]],
        employers=["贵州医科大学附属医院", "遵义某人民医院", "黔东南州某医院", "贵阳某民营医院"],
        degree=[0.55, 0.45, 0, 0], salary=(4000, 7000)),
    "food": dict(
        industry=["生态特色食品"],
        titles=["食品质量检测员", "食品生产技术员", "辣椒制品研发专员", "茶叶加工技术员"],
        duties=["负责原料验收和成品微生物、理化指标检测", "管理食品生产线工艺和卫生", "开发辣椒酱、火锅底料等新产品",
                "负责都匀毛尖等茶叶的加工和品质控制"],
        reqs=["食品科学与工程、食品质量与安全相关专业", "熟悉食品安全标准和HACCP体系", "了解茶叶加工工艺者优先"],
        majors=[["食品科学与工程", "食品质量与安全"], ["茶学"], ["食品质量与安全"]],
        employers=["贵阳某辣椒食品公司", "都匀某茶业公司", "湄潭某茶叶集团", "遵义某食品有限公司"],
        degree=[0.5, 0.5, 0, 0], salary=(4000, 7000)),
    "liquor": dict(
        industry=["优质烟酒"],
        titles=["白酒酿造技术员", "酒体品评与勾调员", "白酒质量检验员", "卷烟工艺技术员"],
        duties=["参与酱香型白酒制曲、下沙、蒸馏等酿造环节", "负责基酒品评、分级和勾调", "检测酒样的理化指标",
                "负责卷烟制丝工艺参数控制"],
        reqs=["酿酒工程、生物工程或食品相关专业", "能适应高温作业环境", "有品酒师证书者优先"],
        majors=[["酿酒工程", "生物工程"], ["食品科学与工程", "酿酒工程"], ["烟草"]],
        employers=["仁怀某酱香酒业公司", "茅台镇某酒厂", "贵州某中烟工业公司"],
        degree=[0.5, 0.5, 0, 0], salary=(4500, 9000)),
    "power": dict(
        industry=["清洁高效电力"],
        titles=["变电运维值班员", "光伏电站运维工程师", "水电站运行值班员", "电气工程师", "风电场检修技术员"],
        duties=["负责变电站设备巡视、倒闸操作和事故处理", "负责光伏电站组件、逆变器的运行维护", "监控水电机组运行，做好值班记录",
                "负责电气一次、二次设备的调试与检修"],
        reqs=["电气工程及其自动化、电力系统相关专业", "持有电工证者优先", "能适应偏远山区电站工作和倒班"],
        majors=[["电气工程及其自动化"], ["电力系统自动化技术", "电气工程及其自动化"], ["发电厂及电力系统"]],
        employers=["贵州某电网公司", "乌江某水电开发公司", "威宁某新能源发电公司", "贵州某发电集团"],
        degree=[0.4, 0.55, 0.05, 0], salary=(5000, 10000)),
    "mining": dict(
        industry=["基础能源"],
        titles=["采矿技术员", "煤矿安全管理员", "地质测量技术员", "矿山机电技术员"],
        duties=["负责井下采掘工作面的技术管理", "开展煤矿安全检查和瓦斯监测", "负责矿区地质测量和储量计算", "维护矿井提升和通风设备"],
        reqs=["采矿工程、安全工程或地质相关专业", "能适应井下工作环境", "身体健康"],
        majors=[["采矿工程", "安全工程"], ["地质工程", "测绘工程"], ["煤矿开采技术"]],
        employers=["六盘水某能源集团", "毕节某煤业公司", "盘州某煤矿"],
        degree=[0.55, 0.45, 0, 0], salary=(6000, 11000)),
    "build": dict(
        industry=["新型建材"],
        titles=["建材质检员", "土建施工员", "工程造价员", "装配式建筑深化设计员"],
        duties=["负责水泥、混凝土和新型墙材的质量检测", "负责施工现场进度、质量和安全管理", "编制工程量清单和预算，审核结算",
                "负责预制构件深化设计和图纸审核"],
        reqs=["土木工程、工程造价或材料相关专业", "熟悉广联达等造价软件", "会使用CAD制图", "有施工员或质检员证书者优先"],
        majors=[["土木工程", "工程管理"], ["工程造价"], ["无机非金属材料工程", "土木工程"]],
        employers=["贵州某建材集团", "贵阳某装配式建筑科技公司", "遵义某建筑工程公司"],
        degree=[0.55, 0.45, 0, 0], salary=(4500, 8000)),
    "tour": dict(
        industry=["旅游"],
        titles=["导游", "酒店前厅主管储备", "景区运营专员", "研学旅行指导师"],
        duties=["带领游客游览黄果树、荔波小七孔等景区并讲解", "负责酒店前台接待、入住和客户投诉处理", "策划景区节庆活动和线上推广",
                "设计并带领中小学生研学课程"],
        reqs=["旅游管理、酒店管理相关专业", "普通话标准，形象气质佳", "持导游证者优先", "能讲英语者优先"],
        majors=[["旅游管理"], ["酒店管理", "旅游管理"], []],
        employers=["安顺某旅游集团", "贵阳某国际酒店", "荔波某景区管理公司", "西江千户苗寨某文旅公司"],
        degree=[0.6, 0.4, 0, 0], salary=(3500, 6500)),
    "agri": dict(
        industry=["现代山地特色高效农业"],
        titles=["农业技术员", "植保技术员", "食用菌种植技术员", "畜牧兽医技术员"],
        duties=["负责茶园、果园的种植技术指导", "开展病虫害调查与绿色防控", "指导合作社农户科学种植", "负责生猪养殖场防疫和疾病诊治"],
        reqs=["农学、园艺、植物保护或动物医学相关专业", "愿意扎根基层乡村", "会驾驶者优先"],
        majors=[["农学", "园艺"], ["植物保护"], ["动物医学", "畜牧兽医"]],
        employers=["黔东南某农业科技公司", "铜仁某生态农业公司", "遵义某现代农业园区", "毕节某畜牧公司"],
        degree=[0.6, 0.4, 0, 0], salary=(3500, 6000)),
    "teacher": dict(
        industry=["教育"],
        titles=["小学数学教师", "初中语文教师", "高中英语教师", "幼儿园教师", "特岗教师（小学全科）", "信息技术教师",
                "初中数学教师", "初中英语教师"],
        duties=["承担班级学科教学工作，认真备课上课", "做好班主任工作和家校沟通", "参与学校教研活动", "负责幼儿一日生活照料和游戏活动组织"],
        reqs=["持有相应学段教师资格证", "师范类专业优先", "普通话二级甲等以上", "热爱教育事业"],
        majors=[["小学教育", "数学与应用数学"], ["汉语言文学"], ["英语"], ["学前教育"], ["教育技术学", "计算机科学与技术"]],
        employers=["贵阳某区教育局", "遵义某中学", "黔南州某县特岗招聘", "贵阳某民办学校"],
        degree=[0.3, 0.65, 0.05, 0], salary=(4000, 7000)),
    "acct": dict(
        industry=["金融", "大数据电子信息", "优质烟酒"],
        titles=["会计", "财务专员", "出纳", "税务会计", "审计助理"],
        duties=["负责日常账务处理和凭证录入", "编制月度财务报表和纳税申报", "负责现金收付和银行对账", "协助完成年度审计工作"],
        reqs=["会计学、财务管理相关专业", "熟练使用用友、金蝶等财务软件", "持初级会计职称者优先", "细致认真"],
        majors=[["会计学", "财务管理"], ["会计"], ["审计学", "会计学"]],
        employers=["贵州数智云科技有限公司", "某会计师事务所贵阳分所", "仁怀某酱香酒业公司", "贵州某农商银行"],
        degree=[0.4, 0.55, 0.05, 0], salary=(4000, 7000)),
    "sales": dict(
        industry=["优质烟酒", "生态特色食品", "批发零售"],
        titles=["销售代表", "区域销售经理", "白酒品牌推广专员", "门店销售主管储备"],
        duties=["开拓区域经销商和终端门店", "完成月度销售目标，回收货款", "组织品鉴会和促销活动", "维护客户关系，收集市场信息"],
        reqs=["性格开朗，沟通能力强", "能适应出差", "有驾照者优先", "专业不限"],
        majors=[[], ["市场营销"], ["市场营销", "工商管理"]],
        employers=["仁怀某酱香酒业公司", "贵阳某辣椒食品公司", "贵州某连锁超市", "遵义某食品有限公司"],
        degree=[0.7, 0.3, 0, 0], salary=(3500, 10000)),
    "media": dict(
        industry=["批发零售", "旅游"],
        titles=["电商运营专员", "新媒体运营", "直播带货主播", "短视频策划"],
        duties=["负责淘宝、抖音店铺的日常运营和活动策划", "撰写公众号推文和短视频脚本", "直播讲解贵州特产，提升转化", "分析店铺数据，优化商品详情页"],
        reqs=["电子商务、市场营销或新闻传播相关专业", "熟悉抖音、小红书等平台规则", "会使用剪映、PS者优先"],
        majors=[["电子商务", "市场营销"], ["网络与新媒体"], []],
        employers=["贵阳某电商公司", "贵州某农特产品电商平台", "安顺某旅游集团"],
        degree=[0.6, 0.4, 0, 0], salary=(4000, 8000)),
}
# hand-made relatedness: an intention targeting the key can reasonably take these (grade 1)
RELATED = {
    "backend": {"frontend", "tester", "data"}, "frontend": {"backend", "tester"},
    "tester": {"backend", "frontend"}, "data": {"backend", "ops"}, "ops": {"data"},
    "it_sales": {"sales"}, "mech": {"nev", "alu"}, "nev": {"mech"}, "chem": {"pharma"},
    "alu": {"mech"}, "pharma": {"chem", "food"}, "nurse": set(), "food": {"liquor", "pharma"},
    "liquor": {"food"}, "power": set(), "mining": set(), "build": set(), "tour": {"media"},
    "agri": {"food"}, "teacher": set(), "acct": set(), "sales": {"it_sales", "media"},
    "media": {"sales"},
}
# how many postings per occupation
COUNTS = {"backend": 16, "data": 14, "it_sales": 11, "nurse": 11, "teacher": 16, "acct": 11, "sales": 11}
#: postings per occupation when not in COUNTS
DEFAULT_COUNT = 10
#: of every this many postings, one is re-posted as a near-duplicate (same employer and title, the
#: duties reordered, another city or salary), as employers re-post jobs on several sites
NEAR_DUPLICATE_EVERY = 5


PLACES = [("贵安", "贵安"), ("贵阳", "贵阳"), ("遵义", "遵义"), ("安顺", "安顺"), ("仁怀", "仁怀"), ("茅台镇", "仁怀"),
          ("都匀", "都匀"), ("湄潭", "湄潭"), ("清镇", "清镇"), ("开阳", "开阳"), ("福泉", "福泉"), ("修文", "修文"),
          ("威宁", "威宁"), ("盘州", "六盘水"), ("六盘水", "六盘水"), ("毕节", "毕节"), ("铜仁", "铜仁"), ("黔东南", "凯里"),
          ("荔波", "荔波"), ("西江", "凯里"), ("黔南", "都匀")]


def city_of(employer: str, rng: random.Random) -> str:
    for key, city in PLACES:
        if employer.startswith(key):
            return city
    return rng.choice(CITIES)


def make_postings(rng: random.Random) -> list[dict]:
    out = []
    n = 0
    for occ, o in OCC.items():
        for k in range(COUNTS.get(occ, DEFAULT_COUNT)):
            n += 1
            title = o["titles"][k % len(o["titles"])]
            duties = rng.sample(o["duties"], k=min(len(o["duties"]), rng.randint(2, 3)))
            reqs = rng.sample(o["reqs"], k=min(len(o["reqs"]), rng.randint(2, 3)))
            employer = rng.choice(o["employers"])
            deg = rng.choices(DEGREES, weights=o["degree"])[0]
            if occ in ("data", "nev", "chem", "alu", "pharma") and k == 0:
                deg = "硕士"  # a few research-type postings per field
            if occ == "data" and k == 1:
                deg = "博士"
            lo, hi = o["salary"]
            smin = rng.randrange(lo, (lo + hi) // 2, 500)
            smax = smin + rng.randrange(1000, hi - lo + 1500, 500)
            desc = "岗位职责：" + "；".join(f"{j + 1}.{d}" for j, d in enumerate(duties)) + "。任职要求：" + "；".join(reqs) + "。"
            if rng.random() < 0.5:
                desc += rng.choice(["公司提供五险一金、带薪年假。", "包住宿，提供工作餐。", "工作地点可协商，表现优秀者可转岗。",
                                    "欢迎2022届应届毕业生投递。", "入职后有系统的岗前培训。"])
            out.append(dict(id=f"P{n:03d}", employer=employer, title=title, industry=rng.choice(o["industry"]),
                            description=desc, majors=rng.choice(o["majors"]), education=deg,
                            city=city_of(employer, rng), salary_min=smin, salary_max=smax,
                            headcount=rng.choice([1, 1, 2, 3, 5, 10]), _occ=occ))
    for src in out[::NEAR_DUPLICATE_EVERY][:]:
        n += 1
        dup = dict(src, id=f"P{n:03d}")
        parts = dup["description"].split("。任职要求：")
        duties = parts[0].removeprefix("岗位职责：").split("；")
        rng.shuffle(duties)
        dup["description"] = "岗位职责：" + "；".join(duties) + "。任职要求：" + parts[1]
        if rng.random() < 0.5:
            dup["city"] = rng.choice(CITIES)
        else:
            dup["salary_max"] = dup["salary_max"] + 500
        if rng.random() < 0.3:
            dup["title"] = dup["title"] + rng.choice(["（急招）", "（2025届）", "-校招"])
        out.append(dup)
    return out


# Intentions, one by one, in graduates' words.  target: occupation; also: extra occupations this
# graduate would accept (grade 1) beyond RELATED.
INTENTIONS: list[dict] = [
    dict(target="backend", major="软件工程", education="本科", industries=["互联网", "软件"], positions=["Java后台开发"],
         cities=["贵阳"], salary_expectation=7000, skills="Java、Spring Boot、MySQL、Git",
         statement="大学四年主要写Java，做过一个校园二手交易平台的后台，想留在贵阳当程序员。"),
    dict(target="backend", major="计算机科学与技术", education="硕士", industries=["大数据"], positions=["服务端开发", "架构方向"],
         cities=["贵阳", "贵安"], salary_expectation=10000, skills="Go、Java、Kafka、Docker",
         statement="研究生阶段在实验室参与分布式存储项目，希望从事高并发服务端研发。"),
    dict(target="backend", major="网络工程", education="专科", industries=["IT"], positions=["程序员"], cities=[],
         salary_expectation=5000, skills="Java基础、SQL、HTML",
         statement="专科学历，自学了SpringBoot做过小项目，哪里都可以去，只要能写代码。"),
    dict(target="frontend", major="数字媒体技术", education="本科", industries=["互联网"], positions=["前端开发"],
         cities=["贵阳"], salary_expectation=6000, skills="Vue3、TypeScript、CSS动画",
         statement="喜欢做好看的网页，毕设做了一个多彩贵州文旅的H5展示页面。"),
    dict(target="frontend", major="计算机应用技术", education="专科", industries=["软件"], positions=["小程序开发", "网页制作"],
         cities=["遵义", "贵阳"], salary_expectation=4500, skills="微信小程序、JavaScript、uni-app",
         statement="在校期间接过几个小程序外包，想找一份前端方面的工作。"),
    dict(target="tester", major="软件工程", education="专科", industries=["软件"], positions=["软件测试"],
         cities=["贵阳"], salary_expectation=4500, skills="测试用例设计、Postman、Python",
         statement="觉得自己做事比较细心，实习时在测试组找bug，想继续做测试这一块。"),
    dict(target="data", major="数据科学与大数据技术", education="本科", industries=["大数据"], positions=["大数据开发"],
         cities=["贵阳", "贵安"], salary_expectation=7000, skills="Hadoop、Spark、Hive、Python",
         statement="专业就是大数据，做过用Spark分析共享单车订单的课程设计，想进贵州的大数据企业。"),
    dict(target="data", major="统计学", education="硕士", industries=["大数据", "金融"], positions=["数据分析"],
         cities=["贵阳"], salary_expectation=9000, skills="R语言、SQL、机器学习建模、Tableau",
         statement="统计学硕士，擅长建模和可视化，希望做偏业务的数据分析岗位。"),
    dict(target="data", major="大数据技术", education="专科", industries=["数据服务"], positions=["数据标注", "数据清洗"],
         cities=[], salary_expectation=4000, skills="Excel、SQL入门、Python爬虫",
         statement="大专学的大数据技术，能处理表格数据，也写过一点爬虫，想找数据处理类工作。"),
    dict(target="ops", major="计算机网络技术", education="专科", industries=["数据中心", "通信"], positions=["网络运维", "机房运维"],
         cities=["贵安", "贵阳"], salary_expectation=5000, skills="Linux、华为交换机配置、HCIA",
         statement="考了华为HCIA证书，能接受倒班，想去贵安的数据中心做运维。"),
    dict(target="it_sales", major="市场营销", education="本科", industries=["软件", "大数据"], positions=["销售", "客户经理"],
         cities=["贵阳"], salary_expectation=6000, skills="客户沟通、商务谈判、PPT",
         statement="性格外向，对科技行业感兴趣，想卖软件和云服务这类产品，提成高一点也愿意。"),
    dict(target="mech", major="机械设计制造及其自动化", education="本科", industries=["装备制造", "航空"], positions=["机械设计"],
         cities=["贵阳", "安顺"], salary_expectation=6000, skills="SolidWorks、AutoCAD、有限元分析",
         statement="毕设是一个自动上下料机构的设计，希望在航空或装备企业画图搞设计。"),
    dict(target="mech", major="数控技术", education="专科", industries=["制造业"], positions=["数控车工", "加工中心操作"],
         cities=["遵义", "贵阳"], salary_expectation=5000, skills="FANUC系统编程、看图纸、UG编程",
         statement="动手能力强，在实训车间练了两年数控车床，想进工厂当技术工人。"),
    dict(target="nev", major="车辆工程", education="本科", industries=["新能源汽车"], positions=["整车调试", "电池测试"],
         cities=["贵阳", "安顺"], salary_expectation=6500, skills="汽车电路、CAN总线、电池管理系统",
         statement="从小喜欢车，大学参加过大学生方程式电车赛队，希望进新能源车企。"),
    dict(target="nev", major="材料科学与工程", education="硕士", industries=["新能源", "电池"], positions=["电池材料研发"],
         cities=[], salary_expectation=10000, skills="正极材料合成、XRD表征、电化学测试",
         statement="研究方向是锂离子电池正极材料，想做动力电池相关的研发。", also={"chem"}),
    dict(target="chem", major="化学工程与工艺", education="本科", industries=["化工"], positions=["工艺工程师", "生产技术"],
         cities=["贵阳", "福泉", "开阳"], salary_expectation=6000, skills="化工原理、Aspen模拟、DCS操作",
         statement="在化工厂实习过三个月，了解磷酸生产流程，愿意去开阳或福泉的磷化工企业。"),
    dict(target="chem", major="应用化学", education="专科", industries=["化工", "检测"], positions=["化验员"],
         cities=[], salary_expectation=4000, skills="滴定分析、分光光度计、化验记录",
         statement="学的应用化学，做实验很仔细，想当化验员，地方无所谓。", also={"food", "pharma"}),
    dict(target="alu", major="冶金工程", education="本科", industries=["有色金属", "铝"], positions=["冶金技术员"],
         cities=["清镇", "贵阳"], salary_expectation=6000, skills="冶金原理、金相分析、热处理",
         statement="冶金专业，对铝合金加工比较了解，不怕高温车间，希望在清镇那边工作。"),
    dict(target="pharma", major="药学", education="本科", industries=["医药"], positions=["药品检验", "QC"],
         cities=["贵阳", "修文"], salary_expectation=5000, skills="高效液相色谱、GMP、药物分析",
         statement="药学本科，实习在药企质检部做过含量测定，想继续干质量检验。"),
    dict(target="pharma", major="中药学", education="硕士", industries=["医药", "中医药"], positions=["中药研发"],
         cities=["贵阳"], salary_expectation=8000, skills="天然产物提取、薄层色谱、文献检索",
         statement="硕士课题是苗药有效成分提取，想在本地医药企业从事研发。"),
    dict(target="nurse", major="护理", education="专科", industries=["医疗"], positions=["护士"],
         cities=["遵义"], salary_expectation=4000, skills="静脉输液、心肺复苏、护理文书",
         statement="已经通过护士资格考试，在医院实习了八个月，想回遵义老家当护士。"),
    dict(target="nurse", major="护理学", education="本科", industries=["医院"], positions=["临床护理", "急诊护理"],
         cities=["贵阳", "凯里"], salary_expectation=5000, skills="急救护理、重症监护、健康宣教",
         statement="在三甲医院急诊科实习过，抗压能力强，希望去大医院做临床护理。"),
    dict(target="food", major="食品质量与安全", education="本科", industries=["食品"], positions=["食品检验", "品控"],
         cities=["贵阳", "遵义"], salary_expectation=5000, skills="微生物检验、HACCP、理化检测",
         statement="学食品安全的，对贵州辣椒和火锅底料的生产很感兴趣，希望做品控。"),
    dict(target="food", major="茶学", education="专科", industries=["茶产业"], positions=["茶叶加工", "制茶"],
         cities=["都匀", "湄潭"], salary_expectation=4000, skills="绿茶加工、茶叶审评",
         statement="家里就是种茶的，学了茶学专业，想去都匀或湄潭的茶企做加工。", also={"agri"}),
    dict(target="liquor", major="酿酒工程", education="本科", industries=["白酒"], positions=["酿酒技术", "品酒"],
         cities=["仁怀", "遵义"], salary_expectation=6000, skills="酱香工艺、品评勾调、微生物发酵",
         statement="学酿酒工程就是冲着茅台镇去的，想从一线酿造做起，以后做勾调师。"),
    dict(target="power", major="电气工程及其自动化", education="本科", industries=["电力", "电网"], positions=["变电运维", "电气工程师"],
         cities=[], salary_expectation=6000, skills="继电保护、电气一次设备、PLC",
         statement="电气专业，考了高压电工证，愿意去山区电站或者变电站工作。"),
    dict(target="power", major="发电厂及电力系统", education="专科", industries=["新能源发电"], positions=["光伏运维", "风电运维"],
         cities=["毕节", "六盘水", "威宁"], salary_expectation=4500, skills="光伏组件检修、逆变器维护、电工证",
         statement="对清洁能源很看好，想去威宁那边的光伏或者风电场做运维。"),
    dict(target="mining", major="采矿工程", education="本科", industries=["煤炭", "能源"], positions=["采矿技术员"],
         cities=["六盘水", "毕节"], salary_expectation=7000, skills="采矿设计、矿山测量、AutoCAD",
         statement="六盘水人，学采矿的，愿意下井，想在家乡的煤矿企业干技术。"),
    dict(target="build", major="工程造价", education="专科", industries=["建筑"], positions=["造价员", "预算员"],
         cities=["贵阳", "遵义"], salary_expectation=4500, skills="广联达、工程量计算、CAD",
         statement="考了造价员相关证书，会用广联达算量套价，想做预算方面的工作。"),
    dict(target="build", major="无机非金属材料工程", education="本科", industries=["建材"], positions=["建材检测", "质检"],
         cities=[], salary_expectation=5000, skills="水泥检测、混凝土配合比设计",
         statement="专业方向是水泥和新型墙体材料，想进建材企业做质量检测。"),
    dict(target="tour", major="旅游管理", education="专科", industries=["旅游", "文旅"], positions=["导游", "景区讲解"],
         cities=["安顺", "荔波"], salary_expectation=4000, skills="导游证、普通话二甲、英语口语",
         statement="考了导游证，喜欢给人讲贵州的山水和民族文化，想去黄果树或者荔波带团。"),
    dict(target="tour", major="酒店管理", education="本科", industries=["酒店", "旅游"], positions=["酒店管理培训生"],
         cities=["贵阳"], salary_expectation=5000, skills="前台接待、Opera系统、英语",
         statement="在五星级酒店实习过半年前台，想从管培生做起走酒店管理路线。"),
    dict(target="agri", major="农学", education="专科", industries=["农业"], positions=["农技员"],
         cities=["铜仁", "凯里"], salary_expectation=3500, skills="果树栽培、病虫害防治、无人机植保",
         statement="农村长大，想回乡下指导大家种猕猴桃和茶叶，愿意扎根基层。"),
    dict(target="agri", major="动物医学", education="本科", industries=["畜牧", "养殖"], positions=["兽医", "养殖技术"],
         cities=["毕节", "遵义"], salary_expectation=5000, skills="猪病诊断、疫苗免疫、解剖",
         statement="动物医学毕业，在养猪场实习过，想做养殖场的防疫兽医。"),
    dict(target="teacher", major="数学与应用数学", education="本科", industries=["教育"], positions=["数学老师", "中小学教师"],
         cities=["贵阳"], salary_expectation=5000, skills="教师资格证（初中数学）、课件制作",
         statement="师范生，已经拿到教师资格证，梦想是当一名初中数学老师。"),
    dict(target="teacher", major="学前教育", education="专科", industries=["教育"], positions=["幼师"],
         cities=["都匀", "凯里"], salary_expectation=3500, skills="钢琴、舞蹈、儿童绘画",
         statement="喜欢小朋友，会弹琴跳舞，想去幼儿园当老师。"),
    dict(target="teacher", major="汉语言文学", education="本科", industries=["教育", "事业单位"], positions=["语文教师", "特岗教师"],
         cities=[], salary_expectation=4000, skills="普通话一乙、写作、教学设计",
         statement="愿意去乡村学校支教，准备报考特岗计划，教语文。"),
    dict(target="acct", major="会计学", education="本科", industries=["金融", "企业财务"], positions=["会计", "财务"],
         cities=["贵阳"], salary_expectation=5000, skills="初级会计职称、金蝶、Excel函数",
         statement="已经考过初级会计，熟悉记账报税流程，想在贵阳找一份稳定的财务工作。"),
    dict(target="acct", major="审计学", education="硕士", industries=["会计师事务所"], positions=["审计"],
         cities=["贵阳"], salary_expectation=7000, skills="审计底稿、CPA在考、财务分析",
         statement="审计硕士，CPA过了三门，想进事务所做审计。"),
    dict(target="sales", major="工商管理", education="专科", industries=["快消", "白酒"], positions=["销售"],
         cities=["遵义", "仁怀"], salary_expectation=5000, skills="驾驶证、客户开发、地推",
         statement="能说会道，不怕跑市场，想卖酒或者卖食品，收入多劳多得就行。"),
    dict(target="media", major="电子商务", education="专科", industries=["电商", "农产品"], positions=["直播", "网店运营"],
         cities=["贵阳"], salary_expectation=4500, skills="抖音直播、剪映剪辑、店铺数据分析",
         statement="做过家乡土特产的抖音直播，粉丝有几千，想专门做电商直播运营。"),
    dict(target="media", major="网络与新媒体", education="本科", industries=["文旅", "传媒"], positions=["新媒体编辑", "短视频"],
         cities=["贵阳", "安顺"], salary_expectation=5000, skills="文案写作、短视频拍摄、公众号排版",
         statement="擅长写推文和拍短视频，想帮贵州的景区或者品牌做宣传。", also={"tour"}),
    # near-miss heavy: a developer who also writes about "销售系统", and a sales grad who knows software
    dict(target="backend", major="信息管理与信息系统", education="本科", industries=["软件"], positions=["ERP开发", "后端开发"],
         cities=["贵阳", "遵义"], salary_expectation=6000, skills="Java、Oracle、ERP二次开发",
         statement="毕设给一家酒企做了销售管理系统的后端，想继续做企业信息系统开发，不想做销售。"),
    dict(target="data", major="经济统计学", education="本科", industries=["政务数据", "大数据"], positions=["数据分析员"],
         cities=["贵阳"], salary_expectation=6000, skills="SPSS、Python数据分析、Power BI",
         statement="对用数据辅助决策很感兴趣，参加过统计建模大赛，希望做数据分析。"),
    dict(target="nurse", major="护理", education="专科", industries=["养老", "社区医疗"], positions=["社区护士", "护理员"],
         cities=["都匀", "凯里"], salary_expectation=3500, skills="老年护理、慢病管理、护士执业证",
         statement="比较喜欢和老人打交道，想在社区卫生服务中心做护理。"),
    dict(target="power", major="电力系统自动化技术", education="专科", industries=["水电"], positions=["水电站值班员"],
         cities=["遵义", "铜仁"], salary_expectation=4500, skills="电气运行、值班操作、电工证",
         statement="家在乌江边上，想去水电站做运行值班。"),
    # --- added for issue 18: more occupations per graduate type, and graduates whose statement and
    # skills say one thing while the positions they chose say another; those are labelled by the
    # positions (the graduate's most deliberate signal)
    dict(target="teacher", major="软件工程", education="本科", industries=["教育"], positions=["信息技术教师", "初中数学教师"],
         cities=["贵阳"], salary_expectation=7000, skills="Java、Spring Boot、MySQL、Git",
         statement="大学四年主要写Java，做过一个校园二手交易平台的后台，想留在贵阳当程序员。"),
    dict(target="data", major="软件工程", education="本科", industries=["大数据"], positions=["数据分析师", "BI分析"],
         cities=["贵阳"], salary_expectation=7000, skills="Java、Spring Boot、MySQL",
         statement="写了三年Java后台，做过二手交易平台的后端，现在想转去做数据分析。"),
    dict(target="pharma", major="护理学", education="本科", industries=["医药"], positions=["药品质量检验", "QC检验员"],
         cities=["贵阳"], salary_expectation=5000, skills="静脉输液、护理文书、急救",
         statement="在医院护理岗实习过一年，但更想去药企做质量检验工作。"),
    dict(target="sales", major="化学工程与工艺", education="本科", industries=["白酒", "快消"], positions=["销售代表", "区域销售"],
         cities=["遵义"], salary_expectation=6000, skills="化工原理、DCS操作、化验分析",
         statement="化工专业毕业，在磷化工厂实习过，但觉得自己更适合跑市场做销售。"),
    dict(target="tour", major="计算机科学与技术", education="专科", industries=["旅游"], positions=["导游", "景区讲解员"],
         cities=["安顺"], salary_expectation=4000, skills="Python、网页制作、Linux",
         statement="学的是计算机，会写点Python，但是喜欢到处走，想去景区带团讲解。"),
    dict(target="acct", major="数据科学与大数据技术", education="本科", industries=["金融"], positions=["会计", "出纳"],
         cities=["贵阳"], salary_expectation=5000, skills="Hadoop、Spark、Python",
         statement="本专业是大数据，做过Spark课程设计，不过考了初级会计，打算做财务。"),
    dict(target="nurse", major="药学", education="专科", industries=["医院"], positions=["护士", "护理员"],
         cities=["遵义"], salary_expectation=4000, skills="药物分析、GMP、高效液相色谱",
         statement="在药企质检部实习过含量测定，家里人希望我去医院当护士。"),
    dict(target="backend", major="旅游管理", education="本科", industries=["软件"], positions=["Java开发工程师", "后端开发"],
         cities=["贵阳"], salary_expectation=6000, skills="导游证、英语口语、前台接待",
         statement="旅游管理毕业，做过景区讲解，后来报了培训班，想转行当程序员。"),
    dict(target="mech", major="电子商务", education="专科", industries=["制造业"], positions=["数控操作工", "设备维修技术员"],
         cities=["遵义"], salary_expectation=5000, skills="抖音直播、店铺运营、剪映",
         statement="做过一段时间网店运营，觉得不稳定，想进工厂学技术。"),
    dict(target="food", major="酿酒工程", education="本科", industries=["食品"], positions=["食品检验", "品控专员"],
         cities=["贵阳"], salary_expectation=5000, skills="酱香工艺、品评勾调、微生物发酵",
         statement="学酿酒的，做过酒厂制曲实习，现在想去辣椒或调味品厂做品控。"),
    dict(target="teacher", major="英语", education="本科", industries=["教育"], positions=["初中英语教师"],
         cities=["贵阳"], salary_expectation=4500, skills="专八、教师资格证（初中英语）、课件制作",
         statement="曾在外贸公司实习做翻译和客户沟通，最终还是想当英语老师。"),
    dict(target="power", major="市场营销", education="专科", industries=["电力"], positions=["光伏电站运维", "变电运维值班员"],
         cities=["毕节", "威宁"], salary_expectation=4500, skills="客户沟通、商务谈判、驾驶证",
         statement="做了两年销售，考了电工证，想换去电站做运维，工作稳定一些。"),
    # ordinary graduates, more of the thin occupations
    dict(target="tester", major="计算机应用技术", education="专科", industries=["软件外包"], positions=["测试工程师", "QA"],
         cities=["贵阳", "贵安"], salary_expectation=4500, skills="功能测试、Jmeter、禅道",
         statement="实习三个月一直在跑测试用例和提缺陷，对质量保障挺感兴趣。"),
    dict(target="ops", major="通信工程", education="本科", industries=["云计算"], positions=["云平台运维"],
         cities=["贵安"], salary_expectation=6000, skills="Linux、KVM虚拟化、Shell脚本",
         statement="做过校园网的运维助理，熟悉服务器部署，想进数据中心。"),
    dict(target="alu", major="材料成型及控制工程", education="专科", industries=["铝加工"], positions=["轧制工艺技术员"],
         cities=["清镇", "遵义"], salary_expectation=5000, skills="挤压工艺、热处理、质量分析",
         statement="实习在铝板厂轧制车间，能吃苦，愿意倒班。"),
    dict(target="liquor", major="生物工程", education="专科", industries=["酒业"], positions=["酿造工", "制曲"],
         cities=["仁怀"], salary_expectation=5000, skills="发酵工程、微生物培养",
         statement="仁怀本地人，想在酒厂从基层酿造做起。"),
    dict(target="mining", major="安全工程", education="本科", industries=["煤矿"], positions=["安全管理员"],
         cities=["盘州", "六盘水"], salary_expectation=6500, skills="安全评价、瓦斯检测、注册安全工程师在考",
         statement="学安全工程的，愿意下矿井，想做煤矿安全管理。"),
    dict(target="build", major="土木工程", education="本科", industries=["建筑"], positions=["施工员", "土建技术员"],
         cities=["贵阳"], salary_expectation=5500, skills="CAD、施工组织设计、测量放线",
         statement="在工地实习过半年，想做现场施工管理，以后考建造师。"),
    dict(target="agri", major="植物保护", education="本科", industries=["农业"], positions=["植保技术员"],
         cities=["遵义", "铜仁"], salary_expectation=4500, skills="病虫害识别、农药使用、无人机飞防",
         statement="喜欢跑田间地头，想为山区果园和茶园做病虫害防治。"),
    dict(target="pharma", major="制药工程", education="本科", industries=["制药"], positions=["制药工艺技术员"],
         cities=["修文", "贵阳"], salary_expectation=5500, skills="GMP、固体制剂工艺、批记录",
         statement="在制剂车间实习过，熟悉压片和包衣，想做生产工艺。"),
    dict(target="chem", major="化学工程与工艺", education="硕士", industries=["新材料", "化工"], positions=["磷酸铁锂研发"],
         cities=["福泉", "贵阳"], salary_expectation=9000, skills="材料合成、XRD、电化学测试",
         statement="硕士做磷酸铁锂前驱体，想去福泉的新材料公司搞研发。", also={"nev"}),
    dict(target="it_sales", major="计算机科学与技术", education="本科", industries=["云计算"], positions=["政企客户经理", "售前"],
         cities=["贵阳"], salary_expectation=7000, skills="方案讲解、投标文件、客户拜访",
         statement="懂技术也喜欢和人打交道，想卖云计算和大数据平台。"),
    dict(target="media", major="新闻学", education="本科", industries=["传媒"], positions=["新媒体运营", "短视频策划"],
         cities=["贵阳"], salary_expectation=5000, skills="公众号运营、选题策划、Premiere",
         statement="在报社新媒体部实习过，做过几条十万加的推文。"),
    dict(target="frontend", major="软件工程", education="本科", industries=["互联网"], positions=["Web前端", "React开发"],
         cities=["贵阳"], salary_expectation=7000, skills="React、TypeScript、Webpack",
         statement="做过一个校园活动报名的网站前端，想继续做前端。"),
    dict(target="nev", major="新能源汽车技术", education="专科", industries=["汽车"], positions=["整车装调", "下线检测"],
         cities=["贵阳"], salary_expectation=5000, skills="汽车电气、故障诊断、低压电工证",
         statement="在4S店实习修过电动车，想进新能源车厂做装调。"),
    dict(target="acct", major="财务管理", education="专科", industries=["企业"], positions=["出纳", "会计助理"],
         cities=["遵义"], salary_expectation=4000, skills="用友、Excel、点钞",
         statement="想回遵义找一份出纳或者会计的工作。"),
    dict(target="sales", major="市场营销", education="本科", industries=["快消", "零售"], positions=["区域销售经理", "门店主管"],
         cities=["贵阳"], salary_expectation=6000, skills="渠道开发、门店管理、数据报表",
         statement="做过超市门店的管培生实习，想做快消品销售。"),
    dict(target="tour", major="旅游管理", education="本科", industries=["研学", "教育旅游"], positions=["研学导师"],
         cities=["贵阳", "安顺"], salary_expectation=4500, skills="活动策划、导游证、急救证",
         statement="带过几次中小学生的研学营，想专门做研学旅行。"),
    dict(target="data", major="计算机科学与技术", education="硕士", industries=["大数据"], positions=["数据仓库工程师", "数据治理"],
         cities=["贵阳", "贵安"], salary_expectation=11000, skills="Hive、Flink、数据建模",
         statement="研究生阶段做政务数据治理项目，想进大数据企业做数仓。"),
    dict(target="backend", major="软件工程", education="专科", industries=["软件"], positions=["Go开发"],
         cities=["贵阳"], salary_expectation=5500, skills="Go、Gin、Redis",
         statement="自学了Go语言，写过一个接口服务，希望留在贵阳。"),
    dict(target="nurse", major="护理", education="专科", industries=["医院"], positions=["急诊护士"],
         cities=["贵阳"], salary_expectation=4500, skills="心肺复苏、急救护理、护士执业证",
         statement="只想留在贵阳，在急诊科实习过，反应快。"),
    dict(target="teacher", major="小学教育", education="本科", industries=["教育"], positions=["小学数学教师", "特岗教师"],
         cities=["都匀", "凯里"], salary_expectation=4000, skills="教师资格证（小学数学）、班主任工作",
         statement="愿意去州里的乡镇小学，想当数学老师和班主任。"),
    dict(target="food", major="食品科学与工程", education="本科", industries=["茶叶", "食品"], positions=["食品研发"],
         cities=["贵阳", "湄潭"], salary_expectation=5000, skills="配方开发、感官评价、食品工艺",
         statement="喜欢研究吃的，想开发辣椒酱、茶饮这类贵州特色新产品。"),
    dict(target="mech", major="机械电子工程", education="本科", industries=["航空"], positions=["装配工艺工程师"],
         cities=["安顺", "贵阳"], salary_expectation=6000, skills="装配工艺、SolidWorks、公差分析",
         statement="想去安顺的航空企业做装配工艺。"),
    dict(target="power", major="电气工程及其自动化", education="本科", industries=["电力"], positions=["电气工程师"],
         cities=["贵阳"], salary_expectation=6500, skills="电气设计、继电保护、AutoCAD",
         statement="只考虑贵阳，想做电气设备调试检修。"),
    dict(target="agri", major="动物医学", education="专科", industries=["畜牧"], positions=["畜牧兽医技术员"],
         cities=["毕节"], salary_expectation=4000, skills="疫苗接种、猪病防治",
         statement="毕节人，想回家乡养殖场做兽医。"),
]


def grade(intent: dict, post: dict) -> int:
    if DEGREES.index(post["education"]) > DEGREES.index(intent["education"]):
        return 0
    occ = post["_occ"]
    target = intent["target"]
    city_ok = not intent["cities"] or post["city"] in intent["cities"]
    if occ == target:
        return 2 if city_ok else 1
    if occ in RELATED[target] or occ in intent.get("also", set()):
        return 1
    return 0


def main() -> None:
    rng = random.Random(20220501)
    postings = make_postings(rng)
    qrels = []
    with open(os.path.join(HERE, "intentions.jsonl"), "w", encoding="utf-8") as f:
        for n, it in enumerate(INTENTIONS, 1):
            rec = {k: v for k, v in it.items() if k not in ("target", "also")}
            rec["id"] = f"G{n:03d}"
            it["id"] = rec["id"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "postings.jsonl"), "w", encoding="utf-8") as f:
        for p in postings:
            f.write(json.dumps({k: v for k, v in p.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "qrels.tsv"), "w", encoding="utf-8") as f:
        for it in INTENTIONS:
            for p in postings:
                g = grade(it, p)
                if g:
                    f.write(f"{it['id']}\t{p['id']}\t{g}\n")
                    qrels.append(g)
    print(f"{len(INTENTIONS)} intentions, {len(postings)} postings, {len(OCC)} occupations, "
          f"{sum(1 for g in qrels if g == 2)} grade-2 and {sum(1 for g in qrels if g == 1)} grade-1 pairs")


if __name__ == "__main__":
    main()
