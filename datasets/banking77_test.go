package datasets

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadBanking77(t *testing.T) {
	const data = "text,category\nI am still waiting on my card?,card_arrival\n\"Hi, my PIN is blocked\",pin_blocked\n"
	qs, err := ReadBanking77(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []BankingQuery{{"I am still waiting on my card?", "card_arrival"}, {"Hi, my PIN is blocked", "pin_blocked"}}
	if fmt.Sprint(qs) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", qs, want)
	}
	texts, cats := BankingTexts(qs)
	if texts[1] != "Hi, my PIN is blocked" || cats[0] != "card_arrival" {
		t.Errorf("BankingTexts: %q %q", texts, cats)
	}
	for _, bad := range []struct{ in, msg string }{
		{"text,label\na,b\n", "lacks the columns"},
		{"text,category\nhello,\n", "line 2: empty"},
		{"text,category\n", "no rows"},
		{"text,category\n\"broken,x\n", "banking77:"},
		{"", "header"},
	} {
		_, err := ReadBanking77(strings.NewReader(bad.in))
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: error %v, want one containing %q", bad.in, err, bad.msg)
		}
	}
}
