package jupyter

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestSignKnownVector(t *testing.T) {
	// Computed independently with Python: hmac.new(b"secret", header+parent+metadata+content, sha256).
	got := Sign([]byte("secret"), []byte(`{"msg_id":"1"}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"1"}`))
	const want = "260b97890d61eb0e6ad1283eaca56d59541c56327271b249b87dde0226568bfb"
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if Sign(nil, []byte("x")) != "" {
		t.Fatal("empty key must give an empty signature")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	key := []byte("k3y")
	m, err := NewMessage("sess", "execute_request", map[string]any{"code": "fmt.Println(1)"})
	if err != nil {
		t.Fatal(err)
	}
	m.Identities = [][]byte{[]byte("id1"), []byte("id2")}
	m.Parent = Header{MsgID: "p", MsgType: "x", Session: "s"}
	m.Buffers = [][]byte{{1, 2, 3}}
	frames, err := Encode(m, key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(frames[2], delimiter) || len(frames) != 2+6+1 {
		t.Fatalf("bad framing: %q", frames)
	}
	got, err := Decode(frames, key)
	if err != nil {
		t.Fatal(err)
	}
	if got.Header != m.Header || got.Parent != m.Parent || len(got.Identities) != 2 || !bytes.Equal(got.Buffers[0], []byte{1, 2, 3}) {
		t.Fatalf("round trip: got %+v", got)
	}
	var content map[string]string
	if err := json.Unmarshal(got.Content, &content); err != nil || content["code"] != "fmt.Println(1)" {
		t.Fatalf("content = %s", got.Content)
	}
}

func TestDecodeRejects(t *testing.T) {
	key := []byte("k3y")
	m, _ := NewMessage("sess", "status", map[string]any{"execution_state": "idle"})
	good, _ := Encode(m, key)
	clone := func() [][]byte {
		out := make([][]byte, len(good))
		for i := range good {
			out[i] = append([]byte(nil), good[i]...)
		}
		return out
	}
	tests := []struct {
		name   string
		frames func() [][]byte
		key    []byte
		bad    bool // want ErrBadSignature
	}{
		{"tampered content", func() [][]byte { f := clone(); f[5] = []byte(`{"execution_state":"busy"}`); return f }, key, true},
		{"tampered header", func() [][]byte {
			f := clone()
			f[2] = bytes.Replace(f[2], []byte("status"), []byte("statuz"), 1)
			return f
		}, key, true},
		{"wrong key", clone, []byte("other"), true},
		{"signature not hex", func() [][]byte { f := clone(); f[1] = []byte("zz"); return f }, key, true},
		{"empty signature", func() [][]byte { f := clone(); f[1] = nil; return f }, key, true},
		{"no delimiter", func() [][]byte { return clone()[1:] }, key, false},
		{"too few frames", func() [][]byte { return clone()[:4] }, key, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.frames(), tt.key)
			if err == nil {
				t.Fatal("Decode accepted a bad message")
			}
			if tt.bad != errors.Is(err, ErrBadSignature) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// Without a key, signatures are not checked (protocol: signing disabled).
	f := clone()
	f[1] = []byte("anything")
	if _, err := Decode(f, nil); err != nil {
		t.Fatalf("unsigned mode: %v", err)
	}
}
