package persona

import (
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
)

func TestAcceleratedOnlyForAccelerators(t *testing.T) {
	tests := []struct {
		env  string
		want bool
	}{
		{"go", false},
		{"go:parallelism=1", false},
		{"xla:cpu", false},
		{"xla:cuda", true},
		{"stablehlo:cuda", true},
	}
	for _, tt := range tests {
		t.Setenv(backend.EnvBackend, tt.env)
		if got := accelerated(); got != tt.want {
			t.Errorf("$%s=%q: accelerated() = %v, want %v", backend.EnvBackend, tt.env, got, tt.want)
		}
	}
}
