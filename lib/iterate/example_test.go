package iterate_test

import (
	"fmt"

	"github.com/founderlab/founderlab/lib/iterate"
)

func ExampleValue() {
	feedback := []float64{4, 8, 0}
	v, err := iterate.Value(feedback, 0.5, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v)
	// Output: [2 5 2.5]
}

func ExampleSampleSize() {
	n, err := iterate.SampleSize(0.10, 0.12, 0.05, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f visitors per arm\n", n+0.5)
	// Output: 3841 visitors per arm
}
