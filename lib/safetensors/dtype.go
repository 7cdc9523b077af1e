package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// DType is the element type of a tensor, spelled in headers as in the
// safetensors specification ("F32", "BF16", "BOOL", ...).
type DType uint8

// The element types. The zero value is Invalid.
const (
	Invalid DType = iota
	BOOL          // 1 byte, 0 or 1
	U8            // uint8
	I8            // int8
	I16           // int16
	U16           // uint16
	F16           // IEEE 754 binary16
	BF16          // bfloat16: the top 16 bits of a float32
	I32           // int32
	U32           // uint32
	F32           // IEEE 754 binary32
	F64           // IEEE 754 binary64
	I64           // int64
	U64           // uint64
	F8E4M3        // 8-bit float, 4 exponent bits, 3 mantissa bits, no infinities ("F8_E4M3")
	F8E5M2        // 8-bit float, 5 exponent bits, 2 mantissa bits ("F8_E5M2")
	numDTypes
)

var dtypeNames = [numDTypes]string{
	Invalid: "INVALID",
	BOOL:    "BOOL",
	U8:      "U8",
	I8:      "I8",
	I16:     "I16",
	U16:     "U16",
	F16:     "F16",
	BF16:    "BF16",
	I32:     "I32",
	U32:     "U32",
	F32:     "F32",
	F64:     "F64",
	I64:     "I64",
	U64:     "U64",
	F8E4M3:  "F8_E4M3",
	F8E5M2:  "F8_E5M2",
}

var dtypeSizes = [numDTypes]int{
	BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4,
	F32: 4, F64: 8, I64: 8, U64: 8, F8E4M3: 1, F8E5M2: 1,
}

// String returns the name used in safetensors headers, e.g. "F32".
func (d DType) String() string {
	if d < numDTypes {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Size returns the number of bytes of one element, or 0 for an invalid DType.
func (d DType) Size() int {
	if d < numDTypes {
		return dtypeSizes[d]
	}
	return 0
}

// Valid reports whether d is one of the defined element types.
func (d DType) Valid() bool { return d > Invalid && d < numDTypes }

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool {
	switch d {
	case F16, BF16, F32, F64, F8E4M3, F8E5M2:
		return true
	}
	return false
}

// ParseDType returns the DType spelled s in a safetensors header.
func ParseDType(s string) (DType, error) {
	for d := BOOL; d < numDTypes; d++ {
		if dtypeNames[d] == s {
			return d, nil
		}
	}
	return Invalid, fmt.Errorf("safetensors: unknown dtype %q", s)
}

// Float16ToFloat32 converts IEEE 754 binary16 bits to a float32, exactly
// (subnormals, infinities and NaN included).
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: mant * 2^-24
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// Float32ToFloat16 converts a float32 to IEEE 754 binary16 bits, rounding to
// nearest even; values too large become ±Inf and NaN stays NaN.
func Float32ToFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff { // Inf or NaN
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Subnormal half (or zero): value = m * 2^-24 with m = full mantissa >> shift.
		if e < -10 {
			return sign
		}
		m := mant | 0x800000
		shift := uint32(14 - e)
		half := m >> shift
		rem := m & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | uint16(half)
	}
	half := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && half&1 == 1) {
		half++ // may carry into the exponent, up to Inf: correct
	}
	return sign | uint16(half)
}

// BFloat16ToFloat32 converts bfloat16 bits to a float32 (exact).
func BFloat16ToFloat32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

// Float32ToBFloat16 converts a float32 to bfloat16 bits, rounding to nearest
// even; NaN stays NaN.
func Float32ToBFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 {
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// float8e4m3ToFloat32 decodes the "fn" variant used by safetensors (and
// PyTorch's float8_e4m3fn): bias 7, no infinities, 0x7f/0xff are NaN.
func float8e4m3ToFloat32(v uint8) float32 {
	sign := float32(1)
	if v&0x80 != 0 {
		sign = -1
	}
	exp := int(v>>3) & 0xf
	mant := float32(v & 7)
	if exp == 0xf && v&7 == 7 {
		return float32(math.NaN())
	}
	if exp == 0 {
		return sign * mant / 8 * (1.0 / 64) // 2^(1-7) * m/8
	}
	return sign * (1 + mant/8) * float32(math.Ldexp(1, exp-7))
}

// decodeFloat32 converts raw little-endian elements of type d into dst.
// len(src) must be len(dst)*d.Size().
func decodeFloat32(d DType, src []byte, dst []float32) error {
	le := binary.LittleEndian
	switch d {
	case F32:
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(src[4*i:]))
		}
	case F16:
		for i := range dst {
			dst[i] = Float16ToFloat32(le.Uint16(src[2*i:]))
		}
	case BF16:
		for i := range dst {
			dst[i] = BFloat16ToFloat32(le.Uint16(src[2*i:]))
		}
	case F64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(le.Uint64(src[8*i:])))
		}
	case F8E4M3:
		for i := range dst {
			dst[i] = float8e4m3ToFloat32(src[i])
		}
	case F8E5M2:
		for i := range dst {
			dst[i] = Float16ToFloat32(uint16(src[i]) << 8)
		}
	case BOOL, U8:
		for i := range dst {
			dst[i] = float32(src[i])
		}
	case I8:
		for i := range dst {
			dst[i] = float32(int8(src[i]))
		}
	case I16:
		for i := range dst {
			dst[i] = float32(int16(le.Uint16(src[2*i:])))
		}
	case U16:
		for i := range dst {
			dst[i] = float32(le.Uint16(src[2*i:]))
		}
	case I32:
		for i := range dst {
			dst[i] = float32(int32(le.Uint32(src[4*i:])))
		}
	case U32:
		for i := range dst {
			dst[i] = float32(le.Uint32(src[4*i:]))
		}
	case I64:
		for i := range dst {
			dst[i] = float32(int64(le.Uint64(src[8*i:])))
		}
	case U64:
		for i := range dst {
			dst[i] = float32(le.Uint64(src[8*i:]))
		}
	default:
		return fmt.Errorf("safetensors: cannot convert dtype %v to float32", d)
	}
	return nil
}

// decodeInt64 converts raw little-endian integer (or BOOL) elements into dst.
func decodeInt64(d DType, src []byte, dst []int64) error {
	le := binary.LittleEndian
	switch d {
	case BOOL, U8:
		for i := range dst {
			dst[i] = int64(src[i])
		}
	case I8:
		for i := range dst {
			dst[i] = int64(int8(src[i]))
		}
	case I16:
		for i := range dst {
			dst[i] = int64(int16(le.Uint16(src[2*i:])))
		}
	case U16:
		for i := range dst {
			dst[i] = int64(le.Uint16(src[2*i:]))
		}
	case I32:
		for i := range dst {
			dst[i] = int64(int32(le.Uint32(src[4*i:])))
		}
	case U32:
		for i := range dst {
			dst[i] = int64(le.Uint32(src[4*i:]))
		}
	case I64:
		for i := range dst {
			dst[i] = int64(le.Uint64(src[8*i:]))
		}
	case U64:
		for i := range dst {
			u := le.Uint64(src[8*i:])
			if u > math.MaxInt64 {
				return fmt.Errorf("safetensors: U64 element %d = %d overflows int64", i, u)
			}
			dst[i] = int64(u)
		}
	default:
		return fmt.Errorf("safetensors: cannot convert dtype %v to int64", d)
	}
	return nil
}
