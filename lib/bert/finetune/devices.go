package finetune

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/distributed"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// ErrDevices is returned (wrapped) when Options.Devices cannot be honoured:
// more devices than the backend has, a batch size that does not split
// evenly over them, or a backend without distributed execution.
var ErrDevices = errors.New("finetune: devices")

// meshAxis is the name of the one axis of the data-parallel device mesh.
const meshAxis = "data"

// dataParallel is the device mesh of a data-parallel trainer: the batch
// axis of every input is split over the mesh's one axis, everything else
// (parameters, optimizer state, outputs) is replicated.
type dataParallel struct {
	mesh       *distributed.DeviceMesh
	batch      *distributed.ShardingSpec // inputs: axis 0 split over the mesh
	replicated *distributed.ShardingSpec // outputs
}

// DefaultDevices returns the number of devices a [Trainer] uses when
// Options.Devices is 0: every device of an XLA accelerator backend (GPU,
// TPU), and 1 on a CPU backend or SimpleGo, where the "devices" share the
// same cores and splitting the batch gains nothing.
func DefaultDevices(b backends.Backend) int {
	if b == nil || b.Name() != "xla" || strings.Contains(strings.ToLower(b.Description()), "cpu") {
		return 1
	}
	return max(1, b.NumDevices())
}

// resolveDevices checks Options.Devices against the backend and the batch
// size and returns the number of devices to train on.
func resolveDevices(b backends.Backend, opt Options) (int, error) {
	n := opt.Devices
	switch {
	case n < 0:
		return 0, fmt.Errorf("%w: Options.Devices is %d, want 0 (default) or more", ErrDevices, n)
	case n == 0:
		// The default never fails on the batch size: it takes the most
		// devices that split BatchSize evenly.
		n = DefaultDevices(b)
		for n > 1 && opt.BatchSize%n != 0 {
			n--
		}
	}
	if n == 1 {
		return 1, nil
	}
	if b.Name() != "xla" {
		return 0, fmt.Errorf("%w: Options.Devices is %d but backend %q has no distributed execution (use XLA)", ErrDevices, n, b.Name())
	}
	if have := b.NumDevices(); n > have {
		return 0, fmt.Errorf("%w: Options.Devices is %d but backend %s has %d", ErrDevices, n, b.Description(), have)
	}
	if opt.BatchSize%n != 0 {
		return 0, fmt.Errorf("%w: BatchSize %d does not split evenly over %d devices", ErrDevices, opt.BatchSize, n)
	}
	return n, nil
}

// newDataParallel builds the one-axis mesh over n devices.
func newDataParallel(n int) (*dataParallel, error) {
	mesh, err := distributed.NewDeviceMesh([]int{n}, []string{meshAxis})
	if err != nil {
		return nil, fmt.Errorf("%w: mesh of %d: %w", ErrDevices, n, err)
	}
	batch, err := distributed.NewShardingSpec(mesh, distributed.AxisSpec{meshAxis})
	if err != nil {
		return nil, fmt.Errorf("%w: sharding spec: %w", ErrDevices, err)
	}
	return &dataParallel{mesh: mesh, batch: batch, replicated: distributed.NewReplicatedShardingSpec(mesh)}, nil
}

// configure makes exec compile its graph for the mesh with XLA Shardy
// (GoMLX's AutoSharding strategy) given the number of inputs: the inputs
// split along the batch, the outputs replicated. Variables are replicated
// (the context's default for AutoSharding), so the compiler inserts the
// all-reduce of the gradients.
func (dp *dataParallel) configure(exec *mlctx.Exec, numInputs int) {
	specs := make([]*distributed.ShardingSpec, numInputs)
	for i := range specs {
		specs[i] = dp.batch
	}
	exec.AutoSharding(dp.mesh).WithInputShardingSpecs(specs...).WithOutputShardingSpecs(dp.replicated)
}

// exec runs exec on inputs split over the mesh and returns the outputs of
// the first device (all outputs are replicated).
func (dp *dataParallel) exec(exec *mlctx.Exec, inputs ...*tensors.Tensor) ([]*tensors.Tensor, error) {
	args := make([]any, len(inputs))
	for i, x := range inputs {
		d, err := distributed.ShardTensor(dp.batch, x)
		if err != nil {
			return nil, fmt.Errorf("shard input %d: %w", i, err)
		}
		args[i] = d
	}
	outs, err := exec.DistributedExec(args...)
	if err != nil {
		return nil, err
	}
	res := make([]*tensors.Tensor, len(outs))
	for i, o := range outs {
		if res[i], err = o.Shards()[0].LocalClone(); err != nil {
			return nil, fmt.Errorf("output %d: %w", i, err)
		}
		if err := o.FinalizeAll(); err != nil {
			return nil, fmt.Errorf("output %d: %w", i, err)
		}
	}
	return res, nil
}
