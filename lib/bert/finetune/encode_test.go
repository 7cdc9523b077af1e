package finetune

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/bert/tokenizer"
	"github.com/founderlab/founderlab/lib/metrics"
)

func TestEncode(t *testing.T) {
	vocab := filepath.Join(t.TempDir(), "vocab.txt")
	// ids: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 i=4 have=5 a=6 fever=7
	os.WriteFile(vocab, []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\ni\nhave\na\nfever\n"), 0o644)
	tok, err := tokenizer.FromVocabFile(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Encode(context.Background(), tok, []string{"I have a fever", "fever"}, []int{1, 0}, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		NewExample([]int{2, 4, 5, 6, 3}, []int{0, 0, 0, 0, 0}, []int{1, 1, 1, 1, 1}, 1), // truncated to 5
		NewExample([]int{2, 7, 3, 0, 0}, []int{0, 0, 0, 0, 0}, []int{1, 1, 1, 0, 0}, 0), // padded to 5
	}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("Encode =\n%+v\nwant\n%+v", ex, want)
	}
	for _, tc := range []struct {
		texts  []string
		labels []int
		max    int
		want   string
	}{
		{[]string{"a"}, nil, 5, "1 texts and 0 labels"},
		{[]string{"a"}, []int{0}, 1, "maxLength 1"},
	} {
		if _, err := Encode(context.Background(), tok, tc.texts, tc.labels, tc.max); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Encode(%v, %v, %d) err = %v, want %q", tc.texts, tc.labels, tc.max, err, tc.want)
		}
	}
}

func TestHistoryFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "history.json")
	test := metrics.Report{N: 4, Accuracy: 0.75}
	h := History{Epochs: []EpochResult{{Epoch: 1, TrainLoss: 0.5, Dev: metrics.Report{N: 3, F1: 0.5}, Test: &test}}, BestEpoch: 1, Steps: 7}
	if err := h.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadHistory(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, h) {
		t.Errorf("ReadHistory = %+v, want %+v", got, h)
	}
	os.WriteFile(p, []byte("{not json"), 0o644)
	if _, err := ReadHistory(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadHistory of a broken file: %v", err)
	}
}
