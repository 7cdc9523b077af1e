package charts

// The Chinese text of the chapters' charts whose packages do not add their
// own messages yet (notebooks 00, 02, 04 and 05: lib/persona, lib/canvas,
// lib/iterate and the titles in those notebooks' cells; notebooks 06–09:
// the titles, series and categories their cells give lib/charts, and the
// names lib/bert/finetune, lib/intent, lib/monitor and lib/recommend
// return that those cells draw), in the seed's terms. A chapter package may take its part over with [AddMessages] in
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

		// Shared by the machine-learning chapters (06–09); "loss" also in
		// lib/display/training, which 09 does not use.
		"predicted":  "预测",
		"actual":     "实际",
		"epoch":      "轮次（epoch）",
		"loss":       "损失",
		"accuracy":   "准确率",
		"train":      "训练集",
		"validation": "验证集",
		"dev":        "验证集",
		"test":       "测试集",

		// 06-bert-medical-diagnosis (lib/bert/finetune; datasets.SymptomLabelNames).
		"Accuracy and training loss per epoch":  "每个轮次的准确率与训练损失",
		"dev accuracy":                          "验证集准确率",
		"test accuracy":                         "测试集准确率",
		"train loss":                            "训练损失",
		"Test set, epoch {} (rows: true class)": "测试集，第 {} 轮（行：真实类别）",
		"other":                                 "其他",
		"infectious":                            "感染性",
		"Accuracy at the best dev epoch (mean over seeds)": "验证集最佳轮次的准确率（各种子的均值）",
		"Milliseconds per training step":                   "每个训练步的毫秒数",
		"ms per step":                                      "每步毫秒数",

		// 07-customer-service (lib/intent: Scorer names).
		"Training queries per intent":                  "每种意图的训练咨询数",
		"queries":                                      "咨询数",
		"Test accuracy per model":                      "各模型的测试集准确率",
		"TF-IDF + logistic regression":                 "TF-IDF + 逻辑回归",
		"MiniLM embeddings + logistic regression":      "MiniLM 句向量 + 逻辑回归",
		"fine-tuned MiniLM ({} steps)":                 "微调的 MiniLM（{} 步）",
		"Most-confused intents (embedding classifier)": "最易混淆的意图（句向量分类器）",
		"Out-of-scope recall against in-scope false rejection (held-out intents, mean over seeds)": "超出范围召回率与范围内误拒率（留出的意图，各种子的均值）",
		"in-scope false rejection": "范围内误拒率",
		"max softmax probability":  "最大 softmax 概率",
		"centroid cosine":          "质心余弦",
		"nearest-neighbour cosine": "最近邻余弦",

		// 08-sentiment-monitoring (lib/monitor: topic names of DefaultTopics).
		"Tweets per label":                 "各标签的推文数",
		"bearish":                          "看跌（bearish）",
		"bullish":                          "看涨（bullish）",
		"neutral":                          "中性（neutral）",
		"Validation accuracy and macro-F1": "验证集准确率与宏平均 F1",
		"macro-F1":                         "宏平均 F1",
		"Negative-share index per topic (EWMA of the hourly estimated bearish share)": "各主题的负面比例指数（每小时估计看跌比例的 EWMA）",
		"day":            "天",
		"index {}":       "指数 {}",
		"index all":      "指数：全部（all）",
		"index rates":    "指数：利率（rates）",
		"index earnings": "指数：财报（earnings）",
		"index crypto":   "指数：加密货币（crypto）",
		"index ratings":  "指数：评级（ratings）",
		"index macro":    "指数：宏观（macro）",
		"index energy":   "指数：能源（energy）",
		"alert (all)":    "预警（all）",
		"injected surge": "注入的激增",
		"Surges missed against false alarms as h moves": "随 h 变化的漏报激增与误报",

		// 09-recommendation (lib/recommend; model names stay as the
		// tables print them).
		"Ratings per movie (long tail)":     "每部电影的评分数（长尾）",
		"rank":                              "排名",
		"ratings":                           "评分数",
		"Ranking quality at 10":             "前 10 名的排序质量",
		"NDCG@10":                           "NDCG@10",
		"Recall@10":                         "召回率@10",
		"coverage@10":                       "覆盖率@10",
		"BPR on GoMLX: mean loss per epoch": "GoMLX 上的 BPR：每个轮次的平均损失",
		"Cold-start Recall@10":              "冷启动召回率@10",
		"cold Recall@10":                    "冷启动召回率@10",
		"Fit time on this machine (s)":      "本机上的拟合时间（秒）",
		"seconds":                           "秒",
	})
}
