package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/datasets"
)

// fakeT records how MissingData ends a test: Fatalf and Skip stop the
// goroutine as the testing package's do.
type fakeT struct {
	testing.TB
	fatal, skip string
}

func (f *fakeT) Helper()             {}
func (f *fakeT) Name() string        { return "TestFake/sub" }
func (f *fakeT) Logf(string, ...any) {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeT) Skip(args ...any) {
	f.skip = fmt.Sprint(args...)
	runtime.Goexit()
}

// endMissing runs MissingData on a fake test and returns it.
func endMissing(reason string) *fakeT {
	f := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		MissingData(f, reason)
	}()
	<-done
	return f
}

func TestMissingDataSkipsAndRecords(t *testing.T) {
	skips := filepath.Join(t.TempDir(), "skips.txt")
	t.Setenv(EnvSkips, skips)
	t.Setenv(EnvRequireData, "")
	f := endMissing("needs data set x:\n  not there")
	if f.skip != "needs data set x: not there" || f.fatal != "" {
		t.Fatalf("skip %q fatal %q, want a one-line skip", f.skip, f.fatal)
	}
	endMissing("needs data set y: gone")
	b, err := os.ReadFile(skips)
	if err != nil {
		t.Fatal(err)
	}
	want := "internal/testenv TestFake/sub: needs data set x: not there\ninternal/testenv TestFake/sub: needs data set y: gone\n"
	if string(b) != want {
		t.Errorf("skips file:\n%s\nwant:\n%s", b, want)
	}
}

func TestMissingDataFailsWhenRequired(t *testing.T) {
	skips := filepath.Join(t.TempDir(), "skips.txt")
	t.Setenv(EnvSkips, skips)
	t.Setenv(EnvRequireData, "1")
	f := endMissing("needs data set x: not there")
	if f.skip != "" || !strings.HasPrefix(f.fatal, "needs data set x: not there") || !strings.Contains(f.fatal, EnvRequireData) {
		t.Fatalf("skip %q fatal %q, want a failure naming $%s", f.skip, f.fatal, EnvRequireData)
	}
	if _, err := os.Stat(skips); err == nil {
		t.Error("a failure was recorded as a skip")
	}
}

func TestFetchDataMissingOffline(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(datasets.EnvDataDir, dir)
	t.Setenv(datasets.EnvOffline, "1")
	t.Setenv(datasets.EnvMirror, "") // a local mirror is no download from the network
	if s, err := DataStore(); err != nil || s.Dir != dir || !s.Offline {
		t.Fatalf("DataStore() = %+v, %v; want %s offline", s, err, dir)
	}
	_, err := FetchData("wholesale")
	if err == nil {
		t.Fatal("no error for a missing data set")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "needs data set wholesale: ") || !strings.Contains(msg, dir) ||
		!strings.Contains(msg, datasets.EnvDataDir) || strings.Contains(msg, "\n") {
		t.Errorf("reason %q: want one line naming the data set, the directory and $%s", msg, datasets.EnvDataDir)
	}
	if _, err := FetchData("no-such-set"); err == nil || !strings.Contains(err.Error(), "unknown data set") {
		t.Errorf("unknown data set: %v", err)
	}
}

func TestDataStoreDefault(t *testing.T) {
	t.Setenv(datasets.EnvDataDir, "")
	t.Setenv(datasets.EnvOffline, "")
	s, err := DataStore()
	if err != nil {
		t.Fatal(err)
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(filepath.Dir(root), "shared", "datasets")
	if _, err := os.Stat(shared); err == nil {
		if s.Dir != shared || !s.Offline {
			t.Errorf("store %s offline %v; want the read-only copies in %s", s.Dir, s.Offline, shared)
		}
		return
	}
	user, _ := datasets.Dir()
	if s.Dir != user || s.Offline || s.Client == nil {
		t.Errorf("store %s offline %v; want the user's %s with bounded downloads", s.Dir, s.Offline, user)
	}
}

// TestRequireData needs the real wholesale data set: it checks that the
// test's environment then points at it.
func TestRequireData(t *testing.T) {
	dir := RequireData(t, "wholesale")
	if os.Getenv(datasets.EnvDataDir) != dir || os.Getenv(datasets.EnvOffline) != "1" {
		t.Errorf("$%s=%q $%s=%q after RequireData, want %s and 1", datasets.EnvDataDir, os.Getenv(datasets.EnvDataDir),
			datasets.EnvOffline, os.Getenv(datasets.EnvOffline), dir)
	}
	p, err := datasets.Path(t.Context(), "wholesale", "wholesale_customers.csv")
	if err != nil || filepath.Dir(filepath.Dir(p)) != dir {
		t.Errorf("datasets.Path = %s, %v; want it under %s", p, err, dir)
	}
}

func TestNotebookData(t *testing.T) {
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"id": "a", "cell_type": "markdown", "metadata": {}, "source": "persona.LoadWholesale(ctx) in prose"},
 {"id": "b", "cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "cases, _ := datasets.LoadSymptom2Disease(ctx)\np, _ := datasets.Path(ctx, \"netflix\", \"netflix_titles.csv\")\nstore.Fetch(ctx, \"netflix\")\ndatasets.Path(ctx, \"nope\", \"x\")"}]}`
	p := filepath.Join(t.TempDir(), "x.ipynb")
	if err := os.WriteFile(p, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := NotebookData(p)
	if err != nil || !slices.Equal(got, []string{"netflix", "symptom2disease"}) {
		t.Errorf("NotebookData = %v, %v; want [netflix symptom2disease]", got, err)
	}
	// The chapters that read data are recognised.
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	for nb, want := range map[string]string{"02-personas.ipynb": "wholesale", "06-bert-medical-diagnosis.ipynb": "symptom2disease"} {
		got, err := NotebookData(filepath.Join(root, "notebooks", nb))
		if err != nil || !slices.Contains(got, want) {
			t.Errorf("%s: NotebookData = %v, %v; want %s among them", nb, got, err, want)
		}
	}
}

func TestMissingErrorReasons(t *testing.T) {
	s := &datasets.Store{Dir: "/data"}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("lookup example.org: no such host")}
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("datasets: assets: /data/w/f.csv is %w and downloads are off", datasets.ErrMissing), "not in /data and downloads are off ($FOUNDERLAB_OFFLINE)"},
		{fmt.Errorf("datasets: assets: download https://x/f.csv: %w\n(no network? ...)", dial), "not in /data and the download failed (dial tcp: lookup example.org: no such host)"},
		{fmt.Errorf("datasets: download: %w", &url.Error{Op: "Get", URL: "https://x", Err: dial}), "not in /data and the download failed (dial tcp: lookup example.org: no such host)"},
		{fmt.Errorf("datasets: download: %w", context.DeadlineExceeded), "not in /data and the download took over " + fetchTimeout.String()},
		{errors.New("datasets: assets: download https://x/f.csv: 404 Not Found\n(no network?)"), "download https://x/f.csv: 404 Not Found (no network?)"},
	} {
		want := "needs data set w: " + c.want + `; run "founderlab data fetch w" or set FOUNDERLAB_DATA`
		if got := missingError("w", s, c.err).Error(); got != want {
			t.Errorf("reason for %q:\n got %s\nwant %s", c.err, got, want)
		}
	}
}
