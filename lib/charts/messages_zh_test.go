package charts

import "testing"

// The Chinese text of names that notebooks 06–09 draw but do not write in
// their cells (categories and series from data sets and packages), which
// notebooks/zh's static check cannot see, and of the patterns.
func TestChapterMessagesChinese(t *testing.T) {
	cases := []struct{ en, zh string }{
		// 06: datasets.SymptomLabelNames, ConfusionMatrix's axes.
		{"other", "其他"},
		{"infectious", "感染性"},
		{"predicted", "预测"},
		{"actual", "实际"},
		{"Test set, epoch 4 (rows: true class)", "测试集，第 4 轮（行：真实类别）"},
		// 07: the model names the cells save, intent.Scorer names.
		{"TF-IDF + logistic regression", "TF-IDF + 逻辑回归"},
		{"MiniLM embeddings + logistic regression", "MiniLM 句向量 + 逻辑回归"},
		{"fine-tuned MiniLM (4504 steps)", "微调的 MiniLM（4504 步）"},
		{"max softmax probability", "最大 softmax 概率"},
		{"centroid cosine", "质心余弦"},
		{"nearest-neighbour cosine", "最近邻余弦"},
		// 08: fin-sentiment's labels, monitor.DefaultTopics.
		{"bearish", "看跌（bearish）"},
		{"bullish", "看涨（bullish）"},
		{"neutral", "中性（neutral）"},
		{"index all", "指数：全部（all）"},
		{"index rates", "指数：利率（rates）"},
		{"index $AAPL", "指数 $AAPL"},
		// 09.
		{"cold Recall@10", "冷启动召回率@10"},
		{"NDCG@10", "NDCG@10"},
	}
	for _, c := range cases {
		if got, ok := TranslateTo(Chinese, c.en); got != c.zh || !ok {
			t.Errorf("TranslateTo(Chinese, %q) = %q, %v; want %q", c.en, got, ok, c.zh)
		}
	}
}
