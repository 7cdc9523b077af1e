package charts

import (
	"context"
	"encoding/gob"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// envDisplayHelper makes the test binary act as a GoNB cell program.
const envDisplayHelper = "FOUNDERLAB_CHARTS_DISPLAY_HELPER"

// TestDisplayHelperProcess is the cell program of TestDisplayThroughGoNBPipe:
// started with GoNB's pipe variables, it displays two charts, a third as in
// Colab, and shows one failing chart, as notebook cells would.
func TestDisplayHelperProcess(t *testing.T) {
	if os.Getenv(envDisplayHelper) != "1" {
		t.Skip("helper process for TestDisplayThroughGoNBPipe")
	}
	if !gonbui.IsNotebook {
		t.Fatal("GoNB pipe variables are set but gonbui.IsNotebook is false")
	}
	for _, title := range []string{"Feasibility", "Second"} {
		if err := Display(Gauge(title, "score", 72, 0, 100)); err != nil {
			t.Fatal(err)
		}
	}
	os.Setenv("COLAB_RELEASE_TAG", "release-colab-test")
	if err := Display(Gauge("Colab", "score", 72, 0, 100)); err != nil {
		t.Fatal(err)
	}
	Show(nil) // an error, shown in the cell
}

// TestDisplayThroughGoNBPipe plays the GoNB kernel: it creates the named
// pipes, runs a cell program that calls Display and Show, and decodes what
// the kernel would receive: display_data bundles with the chart document,
// text/html, image/svg+xml and text/plain, then the error as HTML. The
// first chart of the session carries ECharts, the second does not, and the
// one shown in Colab loads it from the CDN.
func TestDisplayThroughGoNBPipe(t *testing.T) {
	if os.Getenv(envDisplayHelper) != "" {
		t.Skip("inside the helper process")
	}
	prefixOrSkip(t)
	nodeOrSkip(t)
	dir := t.TempDir()
	toKernel, fromKernel := filepath.Join(dir, "gonb_pipe"), filepath.Join(dir, "gonb_pipe_back")
	for _, p := range []string{toKernel, fromKernel} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("named pipes unavailable: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDisplayHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), envDisplayHelper+"=1", EnvAssets+"=", "COLAB_RELEASE_TAG=", "GONB_TMP_DIR="+t.TempDir(),
		protocol.GONB_PIPE_ENV+"="+toKernel, protocol.GONB_PIPE_BACK_ENV+"="+fromKernel)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The kernel side: open the back pipe for the program's reader, read what
	// the program displays until it exits, and answer its sync requests
	// (Display waits for GoNB with gonbui.Sync) as GoNB does.
	back := make(chan *os.File, 1)
	go func() {
		f, err := os.OpenFile(fromKernel, os.O_WRONLY, 0)
		if err == nil {
			back <- f
		}
	}()
	type result struct {
		msgs  []protocol.DisplayData
		syncs int
		err   error
	}
	done := make(chan result, 1)
	go func() {
		f, err := os.Open(toKernel)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer f.Close()
		var r result
		var backFile *os.File
		var enc *gob.Encoder
		dec := gob.NewDecoder(f)
		for {
			var d protocol.DisplayData
			if err := dec.Decode(&d); err != nil {
				if !errors.Is(err, io.EOF) {
					r.err = err
				}
				if backFile != nil {
					backFile.Close()
				}
				done <- r
				return
			}
			var cv *protocol.CommValue
			switch v := d.Data[protocol.MIMECommValue].(type) {
			case *protocol.CommValue:
				cv = v
			case protocol.CommValue:
				cv = &v
			}
			if cv != nil && cv.Address == "#gonbui/sync" {
				if backFile == nil {
					backFile = <-back
					enc = gob.NewEncoder(backFile)
				}
				r.syncs++
				if err := enc.Encode(&protocol.CommValue{Address: protocol.GonbuiSyncAckAddress, Value: cv.Value}); err != nil {
					r.err = err
				}
				continue
			}
			r.msgs = append(r.msgs, d)
		}
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("cell program: %v\n%s", err, out.String())
	}
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("no display data before the timeout")
	}
	if r.err != nil {
		t.Fatalf("decoding display data: %v", r.err)
	}
	if r.syncs == 0 {
		t.Error("Display did not wait for GoNB (no sync request): a display can be lost when the cell exits")
	}
	if len(r.msgs) != 4 {
		t.Fatalf("kernel received %d messages, want 4 (three charts, error):\n%s", len(r.msgs), out.String())
	}
	chart := r.msgs[0].Data
	html, _ := chart[protocol.MIMETextHTML].(string)
	svg, _ := chart[protocol.MIMEImageSVG].(string)
	text, _ := chart[protocol.MIMETextPlain].(string)
	doc, _ := chart[MIMEType].(string)
	if !idAttr.MatchString(html) || !strings.Contains(html, "data:image/svg+xml;base64,") || !strings.Contains(html, "echarts.init") {
		t.Errorf("text/html is not a chart display: %.300s", html)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "Feasibility") {
		t.Errorf("image/svg+xml is not the chart: %.200s", svg)
	}
	if text != `<ECharts chart "Feasibility">` {
		t.Errorf("text/plain = %q", text)
	}
	if !strings.HasPrefix(doc, `{"version":1,`) || !strings.Contains(doc, `"title":"Feasibility"`) {
		t.Errorf("%s = %.200s", MIMEType, doc)
	}
	if len(chart) != 4 {
		t.Errorf("bundle has %d MIME types, want 4", len(chart))
	}
	second, _ := r.msgs[1].Data[protocol.MIMETextHTML].(string)
	colab, _ := r.msgs[2].Data[protocol.MIMETextHTML].(string)
	if strings.Count(html, `data-founderlab-echarts="5.4.3"`) != 1 || !packedPayload.MatchString(html) || len(html) < 300_000 {
		t.Errorf("the first chart of the session does not carry ECharts (%d bytes)", len(html))
	}
	if strings.Contains(second, "data-founderlab-echarts") || len(second) > len(html)/10 || !strings.Contains(second, "L.page()") {
		t.Errorf("the second chart of the session should wait for the page's ECharts, not carry it (%d bytes)", len(second))
	}
	if strings.Contains(colab, "data-founderlab-echarts") || !strings.Contains(colab, `src = "`+CDNURL+`"`) {
		t.Errorf("in Colab a chart should load ECharts from %s:\n%.300s", CDNURL, colab)
	}
	errHTML, _ := r.msgs[3].Data[protocol.MIMETextHTML].(string)
	if !strings.Contains(errHTML, "charts: nil chart") || !strings.HasPrefix(errHTML, "<pre") {
		t.Errorf("Show(nil) displayed %q, want the error in a <pre>", errHTML)
	}
}
