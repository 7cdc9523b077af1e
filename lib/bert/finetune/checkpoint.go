package finetune

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// CheckpointFile is the name of the checkpoint inside a checkpoint directory.
const CheckpointFile = "checkpoint.safetensors"

// stateKey is the safetensors metadata key holding the JSON training state.
const stateKey = "founderlab.finetune.state"

var toST = map[dtypes.DType]safetensors.DType{
	dtypes.Float32: safetensors.F32, dtypes.Float64: safetensors.F64,
	dtypes.Int64: safetensors.I64, dtypes.Int32: safetensors.I32,
	dtypes.Uint64: safetensors.U64, dtypes.Uint32: safetensors.U32,
}

// SaveCheckpoint writes every variable of ctx (model weights, optimizer
// moments and step, the random-number state used by dropout) and state,
// encoded as JSON, to path as one safetensors file. The file is written to a
// temporary file in the same directory, synced and renamed into place, so an
// interruption at any point leaves the previous checkpoint intact.
func SaveCheckpoint(path string, ctx *mlctx.Context, state any) error {
	js, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("finetune: checkpoint %s: encode state: %w", path, err)
	}
	var ts []safetensors.Tensor
	var firstErr error
	for v := range ctx.IterVariables() {
		if firstErr != nil || !v.HasValue() {
			continue
		}
		dt, ok := toST[v.DType()]
		if !ok {
			firstErr = fmt.Errorf("variable %s has dtype %s, not storable", v.ScopeAndName(), v.DType())
			continue
		}
		val, err := v.Value()
		if err != nil {
			firstErr = fmt.Errorf("variable %s: %w", v.ScopeAndName(), err)
			continue
		}
		var data []byte
		if err := val.ConstBytes(func(b []byte) { data = append([]byte(nil), b...) }); err != nil {
			firstErr = fmt.Errorf("variable %s: %w", v.ScopeAndName(), err)
			continue
		}
		if data == nil {
			data = []byte{}
		}
		t, err := safetensors.NewTensor(v.ScopeAndName(), dt, v.Shape().Dimensions, data)
		if err != nil {
			firstErr = err
			continue
		}
		ts = append(ts, t)
	}
	if firstErr != nil {
		return fmt.Errorf("finetune: checkpoint %s: %w", path, firstErr)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("finetune: checkpoint %s: %w", path, err)
	}
	if err := safetensors.WriteFile(path, ts, map[string]string{stateKey: string(js)}); err != nil {
		return fmt.Errorf("finetune: checkpoint %s: %w", path, err)
	}
	return nil
}

// LoadCheckpoint reads a checkpoint written by [SaveCheckpoint]: it sets (or
// creates) every variable of ctx stored in it and decodes the training state
// into state. It returns an error wrapping os.ErrNotExist when there is no
// checkpoint at path.
func LoadCheckpoint(path string, ctx *mlctx.Context, state any) error {
	ts, meta, err := safetensors.ReadFile(path)
	if err != nil {
		return fmt.Errorf("finetune: load checkpoint: %w", err)
	}
	js, ok := meta[stateKey]
	if !ok {
		return fmt.Errorf("finetune: %s is not a fine-tuning checkpoint (no %q metadata)", path, stateKey)
	}
	if err := json.Unmarshal([]byte(js), state); err != nil {
		return fmt.Errorf("finetune: %s: decode state: %w", path, err)
	}
	fromST := map[safetensors.DType]dtypes.DType{}
	for k, v := range toST {
		fromST[v] = k
	}
	for _, t := range ts {
		dt, ok := fromST[t.DType]
		if !ok {
			return fmt.Errorf("finetune: %s: tensor %s has dtype %s", path, t.Name, t.DType)
		}
		val := tensors.FromShape(shapes.Make(dt, t.Shape...))
		if len(t.Data) > 0 {
			if err := val.MutableBytes(func(b []byte) { copy(b, t.Data) }); err != nil {
				return fmt.Errorf("finetune: %s: tensor %s: %w", path, t.Name, err)
			}
		}
		scope, name := splitScopeAndName(t.Name)
		if v := ctx.GetVariableByScopeAndName(scope, name); v != nil {
			if !v.Shape().Equal(val.Shape()) {
				return fmt.Errorf("finetune: %s: variable %s has shape %s in the checkpoint but %s in the model", path, t.Name, val.Shape(), v.Shape())
			}
			if err := v.SetValue(val); err != nil {
				return fmt.Errorf("finetune: %s: variable %s: %w", path, t.Name, err)
			}
			continue
		}
		v := ctx.InAbsPath(scope).Checked(false).VariableWithValue(name, val)
		if strings.HasPrefix(scope, OptimizerScope) || strings.HasPrefix(name, "#") {
			v.SetTrainable(false)
		}
	}
	return nil
}

// splitScopeAndName splits "/a/b/name" into "/a/b" and "name".
func splitScopeAndName(s string) (scope, name string) {
	i := strings.LastIndex(s, mlctx.ScopeSeparator)
	if i <= 0 {
		return mlctx.RootScope, s[i+1:]
	}
	return s[:i], s[i+1:]
}

// removeStaleTemps deletes temporary files left in dir by a writer that was
// killed before renaming them into place.
func removeStaleTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

// hasCheckpoint reports whether path exists.
func hasCheckpoint(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
