package bert_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
	"github.com/gomlx/gomlx/pkg/core/graph"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// Run a checkpoint on token ids: the tiny random BertForSequenceClassification
// committed as a test fixture.
func ExampleLoadWeightsFile() {
	cfg, err := bert.ReadConfig("testdata/tiny/config.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := bert.LoadWeightsFile(cfg, "testdata/tiny/model.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := m.Run(context.Background(), bert.Batch{
		InputIDs:      [][]int32{{2, 15, 47, 33, 3}, {2, 7, 3, 0, 0}},
		AttentionMask: [][]int32{{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hidden states:", len(out.LastHiddenState), "×", len(out.LastHiddenState[0]), "×", len(out.LastHiddenState[0][0]))
	for _, l := range out.Logits {
		p := bert.Softmax(l)
		fmt.Printf("%.2f\n", p)
	}
	// transformers gives the same probabilities: [0.3581 0.4175 0.2245] and [0.4603 0.1593 0.3804].

	// Output:
	// hidden states: 2 × 5 × 32
	// [0.36 0.42 0.22]
	// [0.46 0.16 0.38]
}

// Sentence embeddings and semantic search. The tiny random model of the
// test fixtures, given a made-up vocabulary, stands in for a pretrained one
// here; with all-MiniLM-L6-v2 (bert.Load of the directory that
// bert.Pretrained returns) the same calls find the document closest in
// meaning.
func ExampleModel_Embed() {
	cfg, err := bert.ReadConfig("testdata/tiny/config.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := bert.LoadWeightsFile(cfg, "testdata/tiny/model.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	words := strings.Fields("[PAD] [UNK] [CLS] [SEP] [MASK] can i transfer money on sunday ? have a rash my arm . how do send funds to savings account")
	tok, err := tokenizer.New(tokenizer.NewVocab(words), tokenizer.DefaultConfig(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.SetTokenizer(tok); err != nil {
		fmt.Println(err)
		return
	}
	m.NormalizeEmbeddings = true // unit vectors: a dot product is the cosine

	docs := []string{"Can I transfer money on Sunday?", "I have a rash on my arm."}
	query := "How do I send funds to my savings account?"
	emb, err := m.Embed(context.Background(), append(docs, query)) // one batch
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(emb), "embeddings of", len(emb[0]), "numbers")
	best := bert.Nearest(emb[len(docs)], emb[:len(docs)], 1)[0]
	fmt.Printf("nearest: %s (cosine %.2f)\n", docs[best.Index], best.Score)
	// Output:
	// 3 embeddings of 32 numbers
	// nearest: I have a rash on my arm. (cosine 0.85)
}

// Build BertForSequenceClassification logits inside a training graph: the
// weights live in the context, dropout is on because the graph is marked as
// training, and the result can be differentiated on SimpleGo.
func ExampleClassifierLogits() {
	cfg, err := bert.ReadConfig("testdata/tiny/config.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := bert.LoadWeightsFile(cfg, "testdata/tiny/model.safetensors")
	if err != nil {
		fmt.Println(err)
		return
	}
	b := backend.Must()
	step := mlctx.MustNewExec(b, m.Vars().Checked(false), func(ctx *mlctx.Context, ids, mask *graph.Node) []*graph.Node {
		ctx.SetTraining(ids.Graph(), true)
		logits := bert.ClassifierLogits(ctx, &cfg, ids, nil, mask)
		loss := graph.ReduceAllSum(logits) // a stand-in for a real loss
		c := ctx.In("classifier")
		w := c.GetVariableByScopeAndName(c.Scope(), "weight").ValueGraph(ids.Graph())
		return []*graph.Node{logits, graph.Gradient(loss, w)[0]}
	})
	out := step.MustExec([][]int32{{2, 15, 47, 3}}, [][]int32{{1, 1, 1, 1}})
	fmt.Println("logits", out[0].Shape(), "gradient", out[1].Shape())
	// Output:
	// logits (Float32)[1 3] gradient (Float32)[3 32]
}

// Pretrained finds the chapters' model, installing it when it is missing
// and downloads are allowed; offline, the error says which command
// installs it.
func ExamplePretrained() {
	os.Setenv("FOUNDERLAB_MODELS", filepath.Join(os.TempDir(), "founderlab-example-no-models"))
	os.Setenv("FOUNDERLAB_OFFLINE", "1")
	defer os.Unsetenv("FOUNDERLAB_MODELS")
	defer os.Unsetenv("FOUNDERLAB_OFFLINE")
	_, err := bert.Pretrained(context.Background(), bert.DefaultModel)
	fmt.Println(strings.Contains(err.Error(), "run `founderlab models fetch all-minilm-l6-v2`"))
	// Output: true
}
