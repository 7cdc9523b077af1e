package install

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type tarEntry struct {
	name, body string
	typ        byte
}

// writeKit writes a tar with the entries and, unless manifest is nil, a
// manifest listing *manifest.
func writeKit(t *testing.T, entries []tarEntry, manifest *KitManifest) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kit.tar")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: typ}
		if typ == tar.TypeSymlink {
			hdr.Size, hdr.Linkname = 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	if manifest != nil {
		b, _ := json.Marshal(manifest)
		tw.WriteHeader(&tar.Header{Name: KitManifestName, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	f.Close()
	return p
}

func listed(entries ...tarEntry) *KitManifest {
	m := &KitManifest{Format: kitFormat}
	for _, e := range entries {
		h := sha256.Sum256([]byte(e.body))
		m.Files = append(m.Files, KitFile{Path: e.name, Size: int64(len(e.body)), SHA256: hex.EncodeToString(h[:])})
	}
	return m
}

func TestUnpackKit(t *testing.T) {
	data := tarEntry{name: "datasets/wholesale/wholesale_customers.csv", body: "Channel,Region\n1,2\n"}
	wheel := tarEntry{name: "wheels/x.whl", body: "PK..."}
	damaged := listed(data, wheel)
	damaged.Files[1].SHA256 = strings.Repeat("0", 64)
	future := listed(data)
	future.Format = 99
	tests := []struct {
		name     string
		entries  []tarEntry
		manifest *KitManifest
		wantErr  string
	}{
		{"good", []tarEntry{data, wheel}, listed(data, wheel), ""},
		{"no manifest", []tarEntry{data}, nil, "not a FounderLab kit"},
		{"unlisted file", []tarEntry{data, wheel}, listed(data), "wheels/x.whl is not listed"},
		{"listed but absent", []tarEntry{data}, listed(data, wheel), "wheels/x.whl is listed in the manifest but missing"},
		{"damaged", []tarEntry{data, wheel}, damaged, "the kit is damaged"},
		{"escaping path", []tarEntry{{name: "../evil", body: "x"}}, listed(tarEntry{name: "../evil", body: "x"}), "clean relative path"},
		{"absolute path", []tarEntry{{name: "/tmp/evil", body: "x"}}, nil, "clean relative path"},
		{"symlink", []tarEntry{{name: "datasets/link", typ: tar.TypeSymlink}}, nil, "not a regular file"},
		{"duplicate", []tarEntry{data, data}, listed(data), "appears twice"},
		{"future format", []tarEntry{data}, future, "format 99"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kit := writeKit(t, tc.entries, tc.manifest)
			parent := t.TempDir()
			dir, err := unpackKit(kit, parent)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(data.name)))
				if err != nil || string(b) != data.body {
					t.Fatalf("unpacked %q, %v", b, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), kit) {
				t.Fatalf("err = %v, want one naming the kit and %q", err, tc.wantErr)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Errorf("a rejected kit left %d entries in the prefix", len(entries))
			}
		})
	}
}
