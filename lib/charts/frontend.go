package charts

import (
	"errors"
	"os"
	"path/filepath"
)

// Frontend is what the kernel's environment tells about the front end that
// shows a notebook's outputs. [Display] reads it to choose where ECharts
// comes from when no mode is set (see the package doc, "Where ECharts
// comes from").
type Frontend struct {
	// Name is "colab", "vscode" or "jupyter" (JupyterLab, Notebook 7 and
	// 6, and every host not recognised).
	Name string
	// IsolatedOutputs reports that every output is its own document (an
	// iframe), so that a library one output loads is not seen by the
	// others.
	IsolatedOutputs bool
}

// DetectFrontend reads the kernel's environment:
//
//   - Google Colab sets COLAB_RELEASE_TAG (and COLAB_BACKEND_VERSION,
//     COLAB_JUPYTER_IP) in its runtimes. Colab shows every output in its
//     own sandboxed iframe: IsolatedOutputs.
//   - VS Code passes VSCODE_PID (or VSCODE_CWD) to the kernels it starts.
//     It shows all outputs of a notebook in one webview, a page like
//     JupyterLab's. TERM_PROGRAM=vscode marks a process started from VS
//     Code's terminal instead (for instance `make lab`, whose front end is
//     the browser), which stays "jupyter".
//   - Anything else is "jupyter": outputs share the notebook's page.
func DetectFrontend() Frontend { return detectFrontend(os.Getenv) }

func detectFrontend(getenv func(string) string) Frontend {
	for _, k := range []string{"COLAB_RELEASE_TAG", "COLAB_BACKEND_VERSION", "COLAB_JUPYTER_IP"} {
		if getenv(k) != "" {
			return Frontend{Name: "colab", IsolatedOutputs: true}
		}
	}
	if (getenv("VSCODE_PID") != "" || getenv("VSCODE_CWD") != "") && getenv("TERM_PROGRAM") != "vscode" {
		return Frontend{Name: "vscode"}
	}
	return Frontend{Name: "jupyter"}
}

// forDisplay settles the asset mode of a notebook display: with no mode
// chosen, an isolated-output front end loads ECharts from the pinned CDN in
// every output (those hosts are online; the browser caches the file), any
// other shares one copy per page.
func (c *config) forDisplay(fe Frontend) {
	if !c.auto {
		return
	}
	c.auto = false
	if fe.IsolatedOutputs {
		c.assets, c.url = AssetCDN, CDNURL
		return
	}
	c.assets = AssetShared
}

// forFragment settles the asset mode of a fragment built outside a display
// ([HTML], [MIMEBundle]): self-contained unless told otherwise.
func (c *config) forFragment() {
	if c.auto {
		c.auto = false
		c.assets = AssetInline
	}
	if c.assets == AssetShared && c.carry == 0 {
		c.carry = 1
	}
}

// sessionMarker is the file, in GoNB's temporary directory of the kernel
// session, whose creation makes a display the carrier of the library.
func sessionMarker() string {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, ".founderlab-charts-echarts-"+EChartsVersion)
}

// claimCarrier reports whether this display is the first of the kernel
// session, which then carries the library: the first cell program to
// create the session marker wins (each cell is its own process, so the
// marker is a file; O_EXCL makes concurrent displays agree). Without a
// session (no $GONB_TMP_DIR) or when the marker cannot be written, the
// display carries the library. release undoes a claim whose display was
// not delivered.
func claimCarrier() (carry bool, release func()) {
	path := sessionMarker()
	if path == "" {
		return true, func() {}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return false, func() {}
	}
	if err != nil {
		return true, func() {}
	}
	f.Close()
	return true, func() { os.Remove(path) }
}
