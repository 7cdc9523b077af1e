package safetensors_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/lib/safetensors"
)

func Example() {
	dir, err := os.MkdirTemp("", "safetensors-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	// Store a 2×3 weight matrix as bfloat16 and a bias as float32.
	w, err := safetensors.FromFloat32("dense.weight", safetensors.BF16, []int{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	if err != nil {
		log.Fatal(err)
	}
	b, err := safetensors.FromFloat32("dense.bias", safetensors.F32, []int{2}, []float32{0.5, -0.5})
	if err != nil {
		log.Fatal(err)
	}
	if err := safetensors.WriteFile(path, []safetensors.Tensor{w, b}, map[string]string{"format": "pt"}); err != nil {
		log.Fatal(err)
	}

	f, err := safetensors.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for _, ti := range f.Tensors() {
		fmt.Println(ti.Name, ti.DType, ti.Shape)
	}
	values, shape, err := f.Float32("dense.weight")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(shape, values)
	// Output:
	// dense.bias F32 [2]
	// dense.weight BF16 [2 3]
	// [2 3] [1 2 3 4 5 6]
}
