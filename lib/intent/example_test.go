package intent

import (
	"context"
	"fmt"
	"strings"
)

// An assistant answers from an intent's template, from the FAQ, or hands
// over. (The example uses a toy hashing embedder; notebooks use
// all-MiniLM-L6-v2 through lib/bert.)
func ExampleAssistant_Reply() {
	a, _ := toyAssistant(nil)
	for _, q := range []string{"my card has still not arrived", "what are your opening hours", "tell me a joke about penguins"} {
		r, err := a.Reply(context.Background(), q)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s %s\n", r.Why, r.Answer)
	}
	// Output:
	// intent     Track your card in the app.
	// retrieved  Chat support is open 9 to 5.
	// hand-over  I'm not sure I can help with that, so I'm passing you to a colleague who will reply here shortly.
}

func ExampleReadCSV() {
	in := "text,category\nwhere is my card?,card_arrival\n,pin_blocked\n"
	_, _, err := ReadCSV(strings.NewReader(in), "train.csv")
	fmt.Println(err)
	texts, cats, _ := ReadCSV(strings.NewReader("text,category\nwhere is my card?,card_arrival\n"), "train.csv")
	fmt.Println(texts, cats)
	// Output:
	// intent: train.csv: line 3: empty text: bad CSV of labelled queries
	// [where is my card?] [card_arrival]
}

func ExampleOtherDomain() {
	q := OtherDomain()
	fmt.Println(len(q), q[0].Domain+":", q[0].Text)
	// Output:
	// 288 weather: What's the weather going to be like in Lisbon tomorrow?
}
