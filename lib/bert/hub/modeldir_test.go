package hub

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelDirFromEnvironment follows notebook 06's `-p model=NAME`, which
// calls ModelDir(ctx, NAME): the client comes from the environment
// (HF_ENDPOINT, FOUNDERLAB_HUB_CACHE, FOUNDERLAB_OFFLINE), here pointed at
// a local server that answers like the Hub (bert-base-cased redirects to
// google-bert/bert-base-cased). No request leaves the machine.
func TestModelDirFromEnvironment(t *testing.T) {
	h, srv := newFakeHub(t)
	addModel(t, h, "google-bert/bert-base-cased")
	h.files["google-bert/bert-base-cased/tokenizer_config.json"] = []byte(`{"do_lower_case": false}`)
	h.renamed["bert-base-cased"] = "google-bert/bert-base-cased"
	cache := t.TempDir()
	t.Setenv(EnvEndpoint, srv.URL)
	t.Setenv(EnvCache, cache)
	t.Setenv(EnvToken, "")
	t.Setenv(EnvHFOff, "")
	snapshot := filepath.Join(cache, "models--bert-base-cased", "snapshots", h.commit)
	for _, tc := range []struct {
		name, model, offline string
		want                 string // the directory, or
		wantErr              []string
	}{
		{name: "offline before download", model: "bert-base-cased", offline: "1",
			wantErr: []string{"hub: bert-base-cased@main: offline (FOUNDERLAB_OFFLINE=1)", "not cached in " + cache}},
		{name: "download", model: "bert-base-cased", want: snapshot},
		{name: "offline from the cache", model: "bert-base-cased", offline: "1", want: snapshot},
		{name: "pinned commit", model: "bert-base-cased@" + h.commit, want: snapshot},
		{name: "unknown name", model: "bert-base-cazed",
			wantErr: []string{"hub: bert-base-cazed@main has no config.json", srv.URL + "/bert-base-cazed/resolve/main/config.json"}},
		{name: "invalid name", model: "bert base cased", wantErr: []string{`hub: repository "bert base cased": invalid name`}},
		{name: "invalid revision", model: "bert-base-cased@..", wantErr: []string{`hub: revision "..": invalid`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvOffline, tc.offline)
			dir, err := ModelDir(context.Background(), tc.model)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("ModelDir(%q) = %s, want an error", tc.model, dir)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("ModelDir(%q): error %q does not say %q", tc.model, err, w)
					}
				}
				return
			}
			if err != nil || dir != tc.want {
				t.Fatalf("ModelDir(%q) = %s, %v; want %s", tc.model, dir, err, tc.want)
			}
			for _, f := range []string{"config.json", "vocab.txt", "model.safetensors", "tokenizer_config.json"} {
				got, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil || !bytes.Equal(got, h.files["google-bert/bert-base-cased/"+f]) {
					t.Errorf("%s: differs from the server's (err %v)", f, err)
				}
			}
		})
	}
}
