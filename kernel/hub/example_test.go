package hub_test

import (
	"fmt"

	"github.com/founderlab/founderlab/kernel/hub"
)

func ExampleParseBytes() {
	n, err := hub.ParseBytes("1.5GiB")
	fmt.Println(n, err)
	// Output: 1610612736 <nil>
}

func ExampleLimits_Flags() {
	l := hub.DefaultLimits()
	fmt.Println(l.Flags())
	// Output: [--memory 2147483648 --cpus 1 --cpu-time 15m0s --cgroup founderlab-hub]
}
