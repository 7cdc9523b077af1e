package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldenValue decodes golden.json numbers, where "inf", "-inf", "nan" are strings.
type goldenValue float64

func (g *goldenValue) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"inf"`:
		*g = goldenValue(math.Inf(1))
	case `"-inf"`:
		*g = goldenValue(math.Inf(-1))
	case `"nan"`:
		*g = goldenValue(math.NaN())
	default:
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return err
		}
		*g = goldenValue(f)
	}
	return nil
}

// TestGolden reads a file written by the reference Python implementation
// (testdata/make_golden.py) and compares every value with torch's float().
func TestGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]struct {
		Shape   []int
		Float32 []goldenValue
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	f, err := Open("testdata/golden.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.Metadata(); got["format"] != "pt" || got["note"] != "golden" || len(got) != 2 {
		t.Errorf("metadata = %v", got)
	}
	if len(f.Names()) != len(want) {
		t.Errorf("names = %v, want %d tensors", f.Names(), len(want))
	}
	for name, w := range want {
		vals, shape, err := f.Float32(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !slices.Equal(shape, w.Shape) {
			t.Errorf("%s: shape %v, want %v", name, shape, w.Shape)
		}
		if len(vals) != len(w.Float32) {
			t.Errorf("%s: %d values, want %d", name, len(vals), len(w.Float32))
			continue
		}
		for i, v := range vals {
			if wv := float32(w.Float32[i]); v != wv && !(v != v && wv != wv) {
				t.Errorf("%s[%d] = %g, want %g", name, i, v, wv)
			}
		}
	}
	tensor, err := f.Tensor("i64")
	if err != nil {
		t.Fatal(err)
	}
	ints, err := tensor.Int64()
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{0, 1, -1, 127, -128, 42, -7, 100, 1 << 40, -(1 << 40)}; !slices.Equal(ints, want) {
		t.Errorf("i64 = %v, want %v", ints, want)
	}
	if _, err := f.Tensor("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing tensor: err = %v, want ErrNotFound", err)
	}
}

func allDTypeTensors(t *testing.T) []Tensor {
	t.Helper()
	var ts []Tensor
	add := func(tt Tensor, err error) {
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tt)
	}
	fl := []float32{1, -2.5, 0.125, 1e3, -0, 65504}
	for _, d := range []DType{F32, F64, F16, BF16} {
		add(FromFloat32("w."+d.String(), d, []int{2, 3}, fl))
	}
	in := []int64{0, 1, 1, 0, 1, 0}
	for _, d := range []DType{I64, I32, I8, U8, BOOL} {
		add(FromInt64("i."+d.String(), d, []int{3, 2}, in))
	}
	add(NewTensor("raw.u16", U16, []int{2}, []byte{1, 0, 0xff, 0xff}))
	add(NewTensor("raw.i16", I16, []int{2}, []byte{1, 0, 0xff, 0xff}))
	add(NewTensor("raw.u32", U32, []int{1}, []byte{0xff, 0xff, 0xff, 0xff}))
	add(NewTensor("raw.u64", U64, []int{1}, []byte{2, 0, 0, 0, 0, 0, 0, 0}))
	add(NewTensor("raw.f8e4m3", F8E4M3, []int{4}, []byte{0x38, 0xb8, 0x01, 0x7e}))
	add(NewTensor("raw.f8e5m2", F8E5M2, []int{3}, []byte{0x3c, 0xc0, 0x7c}))
	add(NewTensor("scalar", F32, nil, []byte{0, 0, 0x80, 0x3f}))
	add(NewTensor("empty", F32, []int{0, 5}, nil))
	return ts
}

func TestWriteReadRoundTrip(t *testing.T) {
	ts := allDTypeTensors(t)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	meta := map[string]string{"format": "pt", "ünïcode": "✓"}
	if err := WriteFile(path, ts, meta); err != nil {
		t.Fatal(err)
	}
	got, gotMeta, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotMeta) != 2 || gotMeta["ünïcode"] != "✓" {
		t.Errorf("metadata = %v", gotMeta)
	}
	byName := map[string]Tensor{}
	for _, g := range got {
		byName[g.Name] = g
	}
	for _, w := range ts {
		g, ok := byName[w.Name]
		if !ok {
			t.Errorf("%s missing", w.Name)
			continue
		}
		if g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: got %v%v % x, want %v%v % x", w.Name, g.DType, g.Shape, g.Data, w.DType, w.Shape, w.Data)
		}
	}
	// Every float and integer tensor converts back to its values.
	for _, d := range []DType{F32, F64, F16, BF16} {
		v, err := byName["w."+d.String()].Float32()
		if err != nil {
			t.Fatal(err)
		}
		want := []float32{1, -2.5, 0.125, 1e3, -0, 65504}
		if d == BF16 {
			want[5] = 65536 // 65504 needs 11 significant bits; bfloat16 has 8
		}
		if !slices.Equal(v, want) {
			t.Errorf("%v: %v, want %v", d, v, want)
		}
	}
	for _, d := range []DType{I64, I32, I8, U8, BOOL} {
		v, err := byName["i."+d.String()].Int64()
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{0, 1, 1, 0, 1, 0}; !slices.Equal(v, want) {
			t.Errorf("%v: %v, want %v", d, v, want)
		}
	}
	for name, want := range map[string][]float32{
		"raw.u16":    {1, 65535},
		"raw.i16":    {1, -1},
		"raw.u32":    {4294967295},
		"raw.u64":    {2},
		"raw.f8e4m3": {1, -1, 1.0 / 512, 448},
		"raw.f8e5m2": {1, -2, float32(math.Inf(1))},
		"scalar":     {1},
		"empty":      {},
	} {
		v, err := byName[name].Float32()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v, want) {
			t.Errorf("%s: %v, want %v", name, v, want)
		}
	}
	if _, err := byName["w.F32"].Int64(); err == nil {
		t.Error("Int64 of F32 tensor: no error")
	}
	// Layout: header padded to 8 bytes, each tensor aligned to its element size.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(raw)
	if n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, ti := range f.Tensors() {
		if ti.Begin%int64(ti.DType.Size()) != 0 {
			t.Errorf("%s (%v) at offset %d is misaligned", ti.Name, ti.DType, ti.Begin)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	good, _ := FromFloat32("a", F32, []int{2}, []float32{1, 2})
	if err := WriteFile(path, []Tensor{good}, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := Tensor{Name: "b", DType: F32, Shape: []int{3}, Data: make([]byte, 8)}
	if err := WriteFile(path, []Tensor{good, bad}, nil); err == nil || !strings.Contains(err.Error(), `"b"`) {
		t.Errorf("bad tensor: err = %v", err)
	}
	if err := WriteFile(path, []Tensor{good, good}, nil); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate tensor: err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("failed WriteFile changed the existing file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the file (temp files left behind?)", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "dir.safetensors"), []Tensor{good}, nil); err == nil {
		t.Error("write into missing directory: no error")
	}
}

func TestFloat16Exhaustive(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := Float16ToFloat32(uint16(h))
		back := Float32ToFloat16(f)
		if f != f { // NaN stays NaN
			if back&0x7c00 != 0x7c00 || back&0x3ff == 0 {
				t.Fatalf("NaN %#04x -> %#04x", h, back)
			}
			continue
		}
		if back != uint16(h) {
			t.Fatalf("%#04x -> %g -> %#04x", h, f, back)
		}
	}
	// Known values.
	for _, c := range []struct {
		h uint16
		f float32
	}{{0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504}, {0x0001, 5.960464477539063e-08}, {0x0400, 6.103515625e-05}, {0x3555, 0.33325195}} {
		if got := Float16ToFloat32(c.h); got != c.f {
			t.Errorf("Float16ToFloat32(%#04x) = %g, want %g", c.h, got, c.f)
		}
	}
}

// nearest checks that enc(f) is a correctly rounded (ties to even) encoding
// by comparing with its neighbours.
func checkNearest(t *testing.T, name string, f float32, h uint16, dec func(uint16) float32) {
	t.Helper()
	got := float64(dec(h))
	if math.IsInf(got, 0) || math.IsInf(float64(f), 0) {
		return
	}
	d := math.Abs(got - float64(f))
	for _, nb := range []uint16{h - 1, h + 1} {
		if nb>>15 != h>>15 {
			continue
		}
		v := float64(dec(nb))
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		dn := math.Abs(v - float64(f))
		if dn < d || (dn == d && h&1 == 1) {
			t.Fatalf("%s(%g) = %#04x (%g), but %#04x (%g) is nearer or even", name, f, h, got, nb, v)
		}
	}
}

func TestFloat32ToHalfRounding(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		var f float32
		switch i % 3 {
		case 0: // anywhere in half range, subnormals included
			f = float32(math.Ldexp(rng.Float64()*2-1, rng.IntN(44)-26))
		case 1: // any float32 bit pattern
			f = math.Float32frombits(rng.Uint32())
		default: // exact ties between two halves
			h := uint16(rng.IntN(0x7bfe))
			f = (Float16ToFloat32(h) + Float16ToFloat32(h+1)) / 2
		}
		if f != f {
			continue
		}
		h := Float32ToFloat16(f)
		if math.Abs(float64(f)) < 65520 {
			checkNearest(t, "Float32ToFloat16", f, h, Float16ToFloat32)
		} else if h&0x7fff != 0x7c00 {
			t.Fatalf("Float32ToFloat16(%g) = %#04x, want ±Inf", f, h)
		}
		b := Float32ToBFloat16(f)
		checkNearest(t, "Float32ToBFloat16", f, b, BFloat16ToFloat32)
	}
	if b := Float32ToBFloat16(float32(math.NaN())); BFloat16ToFloat32(b) == BFloat16ToFloat32(b) {
		t.Error("bfloat16 NaN lost")
	}
}

// build assembles a safetensors file from a header string and data bytes.
func build(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func TestHostileFiles(t *testing.T) {
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, 1<<62)
	overLen := make([]byte, 8+10)
	binary.LittleEndian.PutUint64(overLen, 11)
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"short", []byte{1, 2, 3}, "too short"},
		{"huge header length", huge, "exceeds the 100000000-byte limit"},
		{"header past end", overLen, "truncated"},
		{"not json", build("[1,2]   ", nil), "does not start with '{'"},
		{"bad json", build(`{"a":`, nil), "header JSON"},
		{"trailing garbage", build(`{} {}`, nil), "after the header object"},
		{"invalid utf8", build("{\"\xff\":1}", nil), "UTF-8"},
		{"duplicate", build(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}`, nil), "duplicate key"},
		{"entry not object", build(`{"a":5}`, nil), "not an object"},
		{"unknown dtype", build(`{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}`, []byte{0}), `unknown dtype "Q4"`},
		{"missing shape", build(`{"a":{"dtype":"U8","data_offsets":[0,1]}}`, []byte{0}), "missing shape"},
		{"missing offsets", build(`{"a":{"dtype":"U8","shape":[1]}}`, []byte{0}), "missing data_offsets"},
		{"negative dim", build(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`, []byte{0}), "shape[0]"},
		{"fractional dim", build(`{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}`, []byte{0}), "shape[0]"},
		{"overflowing shape", build(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, make([]byte, 8)), "too many elements"},
		{"overflowing bytes", build(`{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}`, make([]byte, 8)), "too large in bytes"},
		{"size mismatch", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), "needs 8 bytes"},
		{"three offsets", build(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}`, []byte{0}), "has 3 numbers"},
		{"reversed offsets", build(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}`, []byte{0}), "end before they begin"},
		{"huge offset", build(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[99999999999,100000000000]}}`, []byte{0}), "run past"},
		{"offset overflows int64", build(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,99999999999999999999]}}`, []byte{0}), "data_offsets[1]"},
		{"truncated data", build(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, make([]byte, 10)), "run past the 10-byte data section"},
		{"overlap", build(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}`, make([]byte, 3)), "overlap"},
		{"hole", build(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}`, make([]byte, 3)), "hole of 1 bytes"},
		{"trailing bytes", build(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, make([]byte, 5)), "trailing or missing"},
		{"metadata not strings", build(`{"__metadata__":{"a":1}}`, nil), "__metadata__"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tc.file), int64(len(tc.file)), "evil.safetensors")
			if err == nil {
				t.Fatalf("accepted; want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "evil.safetensors") {
				t.Errorf("error %q; want it to contain %q and the file name", err, tc.want)
			}
		})
	}
	// Accepted edge cases: padding spaces, null metadata, zero-size tensors, no tensors.
	for _, ok := range [][]byte{
		build(`{"__metadata__":null}   `, nil),
		build(`{}`, nil),
		build(`{"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"BOOL","shape":[],"data_offsets":[2,3]}}`, []byte{1, 2, 1}),
	} {
		if _, err := NewReader(bytes.NewReader(ok), int64(len(ok)), ""); err != nil {
			t.Errorf("rejected valid file %q: %v", ok, err)
		}
	}
}

func TestOpenTruncatedFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/golden.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range []int{0, 7, 8, 100, len(raw) - 1} {
		p := filepath.Join(dir, "cut.safetensors")
		if err := os.WriteFile(p, raw[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		if f, err := Open(p); err == nil {
			f.Close()
			t.Errorf("file cut to %d bytes accepted", n)
		} else if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name the file", err)
		}
	}
	if _, err := Open(dir); err == nil {
		t.Error("opening a directory: no error")
	}
}

func FuzzNewReader(f *testing.F) {
	golden, err := os.ReadFile("testdata/golden.safetensors")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add(build(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}`, []byte{1, 2, 0, 0x3c}))
	f.Add(build(`{"__metadata__":{"k":"v"},"x":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]}}`, []byte{0x80, 0x3f}))
	f.Add(build(`{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, make([]byte, 8)))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz")
		if err != nil {
			return
		}
		// Accepted: tensors must tile the data section and be readable.
		var total int64
		for _, ti := range rd.Tensors() {
			total += ti.End - ti.Begin
			tt, err := rd.Tensor(ti.Name)
			if err != nil {
				t.Fatalf("accepted file but tensor %q unreadable: %v", ti.Name, err)
			}
			if _, err := tt.Float32(); err != nil {
				t.Fatalf("tensor %q: Float32: %v", ti.Name, err)
			}
		}
		if total != int64(len(data))-rd.dataStart {
			t.Fatalf("tensors cover %d bytes of a %d-byte data section", total, int64(len(data))-rd.dataStart)
		}
		// Round trip through the writer.
		all, err := rd.All()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, all, rd.Metadata()); err != nil {
			t.Fatalf("re-write: %v", err)
		}
		rd2, err := NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "rewritten")
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		all2, err := rd2.All()
		if err != nil || len(all2) != len(all) {
			t.Fatalf("re-read: %d tensors, %v", len(all2), err)
		}
		for i := range all {
			if all[i].Name != all2[i].Name || all[i].DType != all2[i].DType ||
				!slices.Equal(all[i].Shape, all2[i].Shape) || !bytes.Equal(all[i].Data, all2[i].Data) {
				t.Fatalf("tensor %q changed in round trip", all[i].Name)
			}
		}
	})
}
