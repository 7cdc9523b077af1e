package charts

// The Chinese text of the chapters' charts whose packages do not add their
// own messages yet (notebooks 00, 02, 04 and 05: lib/persona, lib/canvas,
// lib/iterate and the titles in those notebooks' cells), in the seed's
// terms. A chapter package may take its part over with [AddMessages] in
// its own init function (lib/swot does). Text read from data files (names
// of revenue streams, funnel steps, factors) is shown as written there;
// the column names of the two persona data sets are translated.
func init() {
	AddMessages(Chinese, map[string]string{
		// 00-welcome.
		"Age and monthly spend by persona": "各用户画像的年龄与月消费",
		"age":                              "年龄",
		"€ per month":                      "每月消费（€）",

		// 02-personas (lib/persona).
		"Customers by channel": "各渠道的客户数",
		"Horeca":               "酒店餐饮（Horeca）",
		"Retail":               "零售（Retail）",
		"Final J of each k-means++ restart (K = {})": "每次 k-means++ 重启的最终 J（K = {}）",
		"Elbow: inertia J over K (knee at K = {})":   "肘部图：惯性 J 随 K 的变化（拐点 K = {}）",
		"inertia J":              "惯性 J",
		"Mean silhouette over K": "平均轮廓系数随 K 的变化",
		"silhouette":             "轮廓系数",
		"Customers on the first two principal components":    "客户在前两个主成分上的投影",
		"PC{} ({} of variance)":                              "主成分 {}（方差占比 {}）",
		"Persona centroids (z-scores against all customers)": "用户画像质心（相对全体客户的 z 分数）",
		"Customers per persona":                              "各用户画像的客户数",
		"Survey personas (z-scores)":                         "调查中的用户画像（z 分数）",
		"rows":                                               "行数",
		"Fresh":                                              "生鲜",
		"Milk":                                               "牛奶",
		"Grocery":                                            "杂货",
		"Frozen":                                             "冷冻食品",
		"Detergents_Paper":                                   "洗涤用品与纸品",
		"Delicassen":                                         "熟食",
		"income":                                             "收入",
		"sessions_per_week":                                  "每周使用次数",
		"monthly_spend":                                      "月消费",
		"features_used":                                      "使用功能数",
		"support_tickets":                                    "工单数",
		"price_sensitivity":                                  "价格敏感度",
		"tech_enthusiasm":                                    "技术热情",
		"brand_loyalty":                                      "品牌忠诚度",
		"social_influence":                                   "社会影响",

		// 04-business-model (lib/canvas).
		"Revenue vs cost per month":              "每月收入与成本",
		"Revenue by stream per month":            "各收入流的月收入",
		"Money flows over the horizon":           "整个期间的资金流向",
		"Van Westendorp price sensitivity meter": "Van Westendorp 价格敏感度测试",
		"revenue":                                "收入",
		"total cost":                             "总成本",
		"cumulative profit":                      "累计利润",
		"month":                                  "月份",
		"break-even: month {}":                   "盈亏平衡：第 {} 月",
		"Revenue":                                "收入",
		"Profit":                                 "利润",
		"Funding":                                "融资",
		"Fixed costs":                            "固定成本",
		"Variable costs":                         "可变成本",
		"Acquisition":                            "获客成本",
		"B2B revenue":                            "B2B 收入",
		"B2C revenue":                            "B2C 收入",
		"too cheap":                              "太便宜",
		"cheap":                                  "便宜",
		"not cheap":                              "不便宜",
		"expensive":                              "贵",
		"not expensive":                          "不贵",
		"too expensive":                          "太贵",
		"price":                                  "价格",
		"rate":                                   "比例",

		// 05-product-iteration (lib/iterate).
		"Perceived value over raw feedback": "感知价值与原始反馈",
		"feedback Rₖ":                       "反馈 Rₖ",
		"week":                              "周",
		"Acceptance rate by arm (A: control, B: variant)": "各组的接受率（A：对照组，B：实验组）",
		"conversion rate (%) with 95 % Wilson intervals":  "转化率（%）及 95 % Wilson 置信区间",
		"interval":         "区间",
		"test {}: A":       "测试 {}：A",
		"test {}: B":       "测试 {}：B",
		"NPS answers":      "NPS 答卷",
		"promoters (9–10)": "推荐者（9–10）",
		"passives (7–8)":   "被动者（7–8）",
		"detractors (0–6)": "贬损者（0–6）",
		"Pilot funnel":     "试点漏斗",
		"RICE score":       "RICE 得分",
	})
}
