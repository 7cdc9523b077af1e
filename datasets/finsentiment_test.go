package datasets

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReadFinSentiment(t *testing.T) {
	const data = "text,label\n$BYND - JPMorgan reels in expectations,0\n\"Stocks rally, $SPY up\",1\nFed minutes at 2pm,2\n"
	ts, err := ReadFinSentiment(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []FinTweet{{"$BYND - JPMorgan reels in expectations", Bearish}, {"Stocks rally, $SPY up", Bullish}, {"Fed minutes at 2pm", Neutral}}
	if fmt.Sprint(ts) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", ts, want)
	}
	texts, labels := FinTexts(ts)
	if texts[1] != "Stocks rally, $SPY up" || labels[0] != Bearish || labels[2].String() != "neutral" {
		t.Errorf("FinTexts: %q %v", texts, labels)
	}
	for _, bad := range []struct{ in, msg string }{
		{"text,category\na,b\n", "lacks the columns"},
		{"text,label\nhello,3\n", "line 2: label \"3\""},
		{"text,label\nhello,x\n", "line 2: label"},
		{"text,label\nok,1\n  ,1\n", "line 3: empty text"},
		{"text,label\n\xff\xfe,1\n", "line 2: text is not valid UTF-8"},
		{"text,label\n", "no rows"},
		{"text,label\n\"broken,1\n", "fin-sentiment:"},
		{"", "header"},
	} {
		_, err := ReadFinSentiment(strings.NewReader(bad.in))
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: error %v, want one containing %q", bad.in, err, bad.msg)
		}
	}
}

// TestReadFinSentimentBounded feeds an endless stream of rows: the reader
// stops at MaxFinSentimentBytes with an error.
func TestReadFinSentimentBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	r := io.MultiReader(strings.NewReader("text,label\n"), endless("$X up again,1\n"))
	_, err := ReadFinSentiment(r)
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("error %v, want the size bound", err)
	}
}

type endless string

func (e endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], e)
	}
	return n, nil
}

func TestFinLabelString(t *testing.T) {
	for l, want := range map[FinLabel]string{Bearish: "bearish", Bullish: "bullish", Neutral: "neutral", 7: "FinLabel(7)"} {
		if got := l.String(); got != want {
			t.Errorf("%d: %q, want %q", l, got, want)
		}
	}
}
