package hub_test

import (
	"context"
	"fmt"
	"log"

	"github.com/founderlab/founderlab/lib/bert/hub"
)

// ModelDir takes a Hub name (downloaded once into the cache, then served
// from it, also offline) or a local directory.
func ExampleModelDir() {
	dir, err := hub.ModelDir(context.Background(), "google/bert_uncased_L-2_H-128_A-2")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dir) // e.g. ~/.cache/founderlab/hub/models--google--bert_uncased_L-2_H-128_A-2/snapshots/<commit>
}
