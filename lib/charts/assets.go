package charts

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/founderlab/founderlab/internal/assets"
)

// EChartsVersion is the ECharts release that go-echarts v2.6.7 options
// target, pinned for the CDN URL and for the offline install.
const EChartsVersion = assets.EChartsVersion

// CDNURL is the pinned CDN address of ECharts [EChartsVersion], used by [CDN].
const CDNURL = "https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js"

// Environment variables read by this package.
const (
	// EnvEChartsDir names the npm prefix holding the offline ECharts
	// (see [EChartsPrefix]).
	EnvEChartsDir = assets.EnvEChartsDir
	// EnvAssets selects the default asset mode: "inline" (the default),
	// "cdn", or a URL of echarts.min.js (http, https or file).
	EnvAssets = "FOUNDERLAB_CHARTS_ASSETS"
)

// EChartsPrefix returns the npm prefix directory of the offline ECharts:
// $FOUNDERLAB_ECHARTS_DIR if set, else $XDG_DATA_HOME/founderlab/echarts,
// else ~/.local/share/founderlab/echarts. The library is
// <prefix>/node_modules/echarts/dist/echarts.min.js and its license
// <prefix>/node_modules/echarts/LICENSE.
func EChartsPrefix() (string, error) { return assets.EChartsPrefix() }

// LibraryPath returns the path of echarts.min.js under the npm prefix.
func LibraryPath(prefix string) string { return assets.EChartsLibrary(prefix) }

// LicensePath returns the path of the ECharts license (Apache-2.0) under the
// npm prefix. Inlined copies of the library keep the license header of
// echarts.min.js.
func LicensePath(prefix string) string { return assets.EChartsLicense(prefix) }

// InstallECharts installs ECharts [EChartsVersion] from npm into prefix by
// running exactly
//
//	npm install --prefix <prefix> --no-audit --no-fund echarts@5.4.3
//
// It does nothing when that version is already installed there, so it
// works offline after the first run. npm must be on $PATH.
func InstallECharts(ctx context.Context, prefix string) error {
	return assets.InstallECharts(ctx, prefix)
}

// readLibraryBytes returns echarts.min.js from the npm prefix, checked to
// be version EChartsVersion.
func readLibraryBytes(prefix string) ([]byte, error) {
	v, err := assets.EChartsInstalled(prefix)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("charts: offline ECharts %s is not installed in %s (run `founderlab install`, or call charts.InstallECharts, or choose charts.CDN()): %w", EChartsVersion, prefix, err)
		}
		return nil, fmt.Errorf("charts: offline ECharts in %s: %w", prefix, err)
	}
	if v != EChartsVersion {
		return nil, fmt.Errorf("charts: offline ECharts in %s is version %s, want %s (run `founderlab install`)", prefix, v, EChartsVersion)
	}
	b, err := os.ReadFile(LibraryPath(prefix))
	if err != nil {
		return nil, fmt.Errorf("charts: read ECharts: %w", err)
	}
	return b, nil
}

// readLibrary returns echarts.min.js from the npm prefix, checked to be
// version EChartsVersion and safe to place inside a <script> element.
func readLibrary(prefix string) (string, error) {
	b, err := readLibraryBytes(prefix)
	if err != nil {
		return "", err
	}
	lib := string(b)
	if strings.Contains(lib, "<!--") {
		return "", fmt.Errorf("charts: %s contains \"<!--\" and cannot be inlined in a <script> element", LibraryPath(prefix))
	}
	return escapeScriptEnd(lib), nil
}

// packed caches the gzip+base64 form of the library by path, size and
// modification time: a process that shows several carriers (inline mode)
// compresses once.
var packed struct {
	sync.Mutex
	key string
	b64 string
}

// packLibrary returns echarts.min.js from the npm prefix, gzip-compressed
// (deterministically: no name, no time; the default level, within 0.2 % of
// the best at a third of its time, about 80 ms) and base64-encoded: about
// 445 KB for the 1 MB library, and nothing in it can end a <script>
// element.
func packLibrary(prefix string) (string, error) {
	path := LibraryPath(prefix)
	st, err := os.Stat(path)
	key := ""
	if err == nil {
		key = fmt.Sprintf("%s|%d|%d", path, st.Size(), st.ModTime().UnixNano())
	}
	packed.Lock()
	defer packed.Unlock()
	if key != "" && packed.key == key {
		return packed.b64, nil
	}
	lib, err := readLibraryBytes(prefix)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(lib); err != nil {
		return "", fmt.Errorf("charts: compress ECharts: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("charts: compress ECharts: %w", err)
	}
	packed.key, packed.b64 = key, base64.StdEncoding.EncodeToString(buf.Bytes())
	return packed.b64, nil
}
