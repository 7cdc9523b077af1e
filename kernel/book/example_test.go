package book_test

import (
	"fmt"

	"github.com/founderlab/founderlab/kernel/book"
)

func ExampleParseEditions() {
	for _, lang := range []string{"en", "all", "fr"} {
		eds, all, err := book.ParseEditions(lang)
		fmt.Println(eds, all, err)
	}
	// Output:
	// [en] false <nil>
	// [en zh] true <nil>
	// [] false book: language "fr": want en, zh or all
}
