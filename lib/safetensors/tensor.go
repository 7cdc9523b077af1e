package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// Tensor is a named, typed, shaped block of little-endian bytes in row-major
// order, as stored in a safetensors file.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// numElements returns the product of shape, or an error when a dimension is
// negative or the product (times elemSize) overflows int64.
func numElements(shape []int, elemSize int) (n int64, nbytes int64, err error) {
	var prod uint64 = 1
	for i, d := range shape {
		if d < 0 {
			return 0, 0, fmt.Errorf("dimension %d is negative (%d)", i, d)
		}
		hi, lo := bits.Mul64(prod, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, 0, fmt.Errorf("shape %v has too many elements", shape)
		}
		prod = lo
	}
	hi, lo := bits.Mul64(prod, uint64(elemSize))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, 0, fmt.Errorf("shape %v is too large in bytes", shape)
	}
	return int64(prod), int64(lo), nil
}

// NewTensor returns a Tensor after checking that len(data) equals the number
// of elements of shape times the size of dtype.
func NewTensor(name string, dtype DType, shape []int, data []byte) (Tensor, error) {
	if !dtype.Valid() {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: invalid dtype %v", name, dtype)
	}
	_, nbytes, err := numElements(shape, dtype.Size())
	if err != nil {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	if int64(len(data)) != nbytes {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: %v%v needs %d bytes, got %d",
			name, dtype, shape, nbytes, len(data))
	}
	return Tensor{Name: name, DType: dtype, Shape: append([]int(nil), shape...), Data: data}, nil
}

// FromFloat32 encodes values as a tensor of the given floating-point dtype
// (F32, F64, F16 or BF16; half types round to nearest even).
func FromFloat32(name string, dtype DType, shape []int, values []float32) (Tensor, error) {
	n, _, err := numElements(shape, 1)
	if err != nil {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	if n != int64(len(values)) {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: shape %v has %d elements, got %d values",
			name, shape, n, len(values))
	}
	le := binary.LittleEndian
	data := make([]byte, len(values)*dtype.Size())
	switch dtype {
	case F32:
		for i, v := range values {
			le.PutUint32(data[4*i:], math.Float32bits(v))
		}
	case F64:
		for i, v := range values {
			le.PutUint64(data[8*i:], math.Float64bits(float64(v)))
		}
	case F16:
		for i, v := range values {
			le.PutUint16(data[2*i:], Float32ToFloat16(v))
		}
	case BF16:
		for i, v := range values {
			le.PutUint16(data[2*i:], Float32ToBFloat16(v))
		}
	default:
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: FromFloat32 cannot encode %v", name, dtype)
	}
	return Tensor{Name: name, DType: dtype, Shape: append([]int(nil), shape...), Data: data}, nil
}

// FromInt64 encodes values as a tensor of the given integer dtype (I64, I32,
// I8, U8 or BOOL); a value out of the dtype's range is an error.
func FromInt64(name string, dtype DType, shape []int, values []int64) (Tensor, error) {
	n, _, err := numElements(shape, 1)
	if err != nil {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	if n != int64(len(values)) {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: shape %v has %d elements, got %d values",
			name, shape, n, len(values))
	}
	lo, hi := int64(0), int64(0)
	switch dtype {
	case I64:
		lo, hi = math.MinInt64, math.MaxInt64
	case I32:
		lo, hi = math.MinInt32, math.MaxInt32
	case I8:
		lo, hi = math.MinInt8, math.MaxInt8
	case U8:
		lo, hi = 0, math.MaxUint8
	case BOOL:
		lo, hi = 0, 1
	default:
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: FromInt64 cannot encode %v", name, dtype)
	}
	le := binary.LittleEndian
	data := make([]byte, len(values)*dtype.Size())
	for i, v := range values {
		if v < lo || v > hi {
			return Tensor{}, fmt.Errorf("safetensors: tensor %q: element %d = %d out of range for %v", name, i, v, dtype)
		}
		switch dtype {
		case I64:
			le.PutUint64(data[8*i:], uint64(v))
		case I32:
			le.PutUint32(data[4*i:], uint32(int32(v)))
		default:
			data[i] = byte(v)
		}
	}
	return Tensor{Name: name, DType: dtype, Shape: append([]int(nil), shape...), Data: data}, nil
}

// Len returns the number of elements (the product of Shape; 1 for a scalar).
func (t Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// check verifies that Data has the size DType and Shape imply.
func (t Tensor) check() error {
	if !t.DType.Valid() {
		return fmt.Errorf("safetensors: tensor %q: invalid dtype %v", t.Name, t.DType)
	}
	_, nbytes, err := numElements(t.Shape, t.DType.Size())
	if err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", t.Name, err)
	}
	if int64(len(t.Data)) != nbytes {
		return fmt.Errorf("safetensors: tensor %q: %v%v needs %d bytes, has %d",
			t.Name, t.DType, t.Shape, nbytes, len(t.Data))
	}
	return nil
}

// Float32 converts the elements to float32, whatever the numeric dtype:
// F16, BF16, F8 and small integers exactly, F64 and 64-bit integers rounded.
func (t Tensor) Float32() ([]float32, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	out := make([]float32, len(t.Data)/t.DType.Size())
	if err := decodeFloat32(t.DType, t.Data, out); err != nil {
		return nil, fmt.Errorf("safetensors: tensor %q: %w", t.Name, err)
	}
	return out, nil
}

// Int64 converts integer (or BOOL) elements to int64. Floating-point tensors
// are an error, as is a U64 element above math.MaxInt64.
func (t Tensor) Int64() ([]int64, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	out := make([]int64, len(t.Data)/t.DType.Size())
	if err := decodeInt64(t.DType, t.Data, out); err != nil {
		return nil, fmt.Errorf("safetensors: tensor %q: %w", t.Name, err)
	}
	return out, nil
}
