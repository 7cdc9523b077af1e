package swot

import "github.com/founderlab/founderlab/lib/charts"

// The Chinese text of this package's charts and of the feasibility
// notebook's chart titles (notebooks/zh/03-feasibility), in the seed's
// terms. Text that comes from an analysis file (factor, line and product
// names) is shown as written there, except the standard names of the
// feasibility criteria (TELOS and market).
func init() {
	charts.AddMessages(charts.Chinese, map[string]string{
		// SWOT matrix.
		"Strengths":     "优势 S",
		"Weaknesses":    "劣势 W",
		"Opportunities": "机会 O",
		"Threats":       "威胁 T",
		"Helpful":       "有利",
		"Harmful":       "不利",
		"Internal":      "内部",
		"External":      "外部",
		"(none)":        "（无）",
		"score {}":      "得分 {}",
		// Criteria radar (TELOS and market), TRL, tornado.
		"Technical":            "技术",
		"Economic":             "经济",
		"Legal and regulatory": "法律与监管",
		"Operational":          "运营",
		"Schedule":             "进度",
		"Market":               "市场",
		"score":                "得分",
		"maximum":              "满分",
		"TRL":                  "TRL",
		"input −{}":            "输入 −{}",
		"input +{}":            "输入 +{}",
		"NPV change from {}":   "NPV 相对 {} 的变化",
		"discount rate":        "折现率",
		"Our triage assistant": "我们的分诊助手",
		// Notebook 03's titles.
		"Weighted SWOT: factors by contribution": "加权 SWOT 分析：各因素的贡献",
		"Feasibility score (intended reading)":   "可行性得分（按本意读）",
		"F × 100":                                "F × 100",
		"Feasibility criteria":                   "可行性准则",
		"Technology readiness level":             "技术成熟度 TRL",
		"Net and cumulative cash flow":           "净现金流与累计现金流",
		"net flow":                               "净现金流",
		"cumulative":                             "累计",
		"year {}":                                "第 {} 年",
		"Tornado: NPV sensitivity":               "龙卷风图：NPV 敏感性",
		"Competitor feature profiles":            "竞品功能概况",
	})
}
