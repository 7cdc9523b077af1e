package tokenizer_test

import (
	"fmt"
	"log"

	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

func Example() {
	// A real model would use tokenizer.Load("path/to/model") instead.
	vocab := tokenizer.NewVocab([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
		"the", "fever", "##s", "high", ",", "高", "烧"})
	tok, err := tokenizer.New(vocab, tokenizer.DefaultConfig(true))
	if err != nil {
		log.Fatal(err)
	}
	text := "High fevers, 高烧!"
	enc, err := tok.Encode(text)
	if err != nil {
		log.Fatal(err)
	}
	for i, id := range enc.IDs {
		o := enc.Offsets[i]
		fmt.Printf("%2d %-6s %q\n", id, enc.Tokens[i], text[o.Start:o.End])
	}
	fmt.Println(tok.Decode(enc.IDs, true))
	// Output:
	//  2 [CLS]  ""
	//  8 high   "High"
	//  6 fever  "fever"
	//  7 ##s    "s"
	//  9 ,      ","
	// 10 高      "高"
	// 11 烧      "烧"
	//  1 [UNK]  "!"
	//  3 [SEP]  ""
	// high fevers, 高 烧
}
