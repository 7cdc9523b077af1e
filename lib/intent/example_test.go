package intent

import (
	"context"
	"fmt"
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
