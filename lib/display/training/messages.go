package training

import "github.com/founderlab/founderlab/lib/charts"

// The live chart's text in the Chinese edition of the notebooks; the
// TensorBoard tags of its series stay as TensorBoard shows them.
func init() {
	charts.AddMessages(charts.Chinese, map[string]string{
		"Training: step {}": "训练：第 {} 步",
		"loss":              "损失",
		"learning rate":     "学习率",
		"gradient norm":     "梯度范数",
		"metrics":           "评估指标",
		"step":              "步",
	})
}
