package assets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// KaTeXVersion is the KaTeX release that renders the math of notebook
// exports and of the book, pinned with the sha256 of every file used
// ([KaTeXFiles]).
const KaTeXVersion = "0.19.1"

// EnvKaTeXDir names the npm prefix holding the offline KaTeX.
const EnvKaTeXDir = "FOUNDERLAB_KATEX_DIR"

// KaTeXPrefix returns the npm prefix directory of the offline KaTeX:
// $FOUNDERLAB_KATEX_DIR if set, else $XDG_DATA_HOME/founderlab/katex,
// else ~/.local/share/founderlab/katex.
func KaTeXPrefix() (string, error) {
	if d := os.Getenv(EnvKaTeXDir); d != "" {
		return filepath.Abs(d)
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("assets: locate KaTeX: set $%s or $XDG_DATA_HOME: %w", EnvKaTeXDir, err)
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "founderlab", "katex"), nil
}

// KaTeXFiles are the files of the KaTeX npm package that FounderLab uses,
// relative to the package directory (node_modules/katex under the npm
// prefix), with the sha256 of their bytes in KaTeX KaTeXVersion. Of the
// fonts only the WOFF2 files are used: every browser that renders KaTeX's
// HTML reads WOFF2.
var KaTeXFiles = []File{
	{Name: "LICENSE", SHA256: "766ccc1f306c885aa45542a9846bbd0a505b27a0374f146778171c2254ce18e3"},
	{Name: "dist/katex.min.js", SHA256: "fa140498b8cfc8302cbe5e7cb1bdbc1f952bc38b3fa258ede09e73edbf9a74bc"},
	{Name: "dist/katex.min.css", SHA256: "00e0b094171b07f58422075f469b4feac2b2f7bce1aeec943c08da4d697f4dcf"},
	{Name: "dist/fonts/KaTeX_AMS-Regular.woff2", SHA256: "0cdd387c9590a1a9f9794560022dbb59654a7d86f187aa0c81495ad42d3a7308"},
	{Name: "dist/fonts/KaTeX_Caligraphic-Bold.woff2", SHA256: "de7701e42cf1f4cf0b766c03fb27977207eee2f4fd5d76fa82188406da43ea4c"},
	{Name: "dist/fonts/KaTeX_Caligraphic-Regular.woff2", SHA256: "5d53e70ad607c2352162dec9e0923fb54ecdafaccbf604cd8dcf7d00facb989b"},
	{Name: "dist/fonts/KaTeX_Fraktur-Bold.woff2", SHA256: "74444efd593c005e3f4573b44524704c0af0a937fe911cca9e94068d0d140d3f"},
	{Name: "dist/fonts/KaTeX_Fraktur-Regular.woff2", SHA256: "51814d270d06ff0255dba0799994fa4d8c84d11f09951d47595f4abb1f3602dc"},
	{Name: "dist/fonts/KaTeX_Main-Bold.woff2", SHA256: "0f60d1b897938ec918c8ce073092411baf9438f6739465693ff18b0f9d20b021"},
	{Name: "dist/fonts/KaTeX_Main-BoldItalic.woff2", SHA256: "99cd42a3c072d918f2f44984a807cf7aa16e13545fd0875fc07c6c65f99e715b"},
	{Name: "dist/fonts/KaTeX_Main-Italic.woff2", SHA256: "97479ca6cce906abc961ecac96faa5f9ca2e61b8e7670d475826bcdee9a7c267"},
	{Name: "dist/fonts/KaTeX_Main-Regular.woff2", SHA256: "c2342cd8b869e01752a9321dc17213fc40d4d04c79688c1d43f2cf316abd7866"},
	{Name: "dist/fonts/KaTeX_Math-BoldItalic.woff2", SHA256: "dc47344dbb6cb5b655c8460d561f4df5f501b90c804ad3c6cec65fe322351ab1"},
	{Name: "dist/fonts/KaTeX_Math-Italic.woff2", SHA256: "7af58c5ec8f132a2ddde9027c6d7814decce4d3b822a11192a42a20e2e973264"},
	{Name: "dist/fonts/KaTeX_SansSerif-Bold.woff2", SHA256: "e99ae51144bf1232efcc1bfe5add36262c6866b0faab24fa75740e1b98577a62"},
	{Name: "dist/fonts/KaTeX_SansSerif-Italic.woff2", SHA256: "00b26ac825e2095056396e0553b8ac26d3f8ad158c3826e28b4c45b385c4714a"},
	{Name: "dist/fonts/KaTeX_SansSerif-Regular.woff2", SHA256: "68e8c73ef42afd3ccec58bf0fba302cce448938e7fc020a5e31f8a952eee1342"},
	{Name: "dist/fonts/KaTeX_Script-Regular.woff2", SHA256: "036d4e95149b69ff9bcc0cd55771efeb25ffa3947293e69acd78d5ac328c684b"},
	{Name: "dist/fonts/KaTeX_Size1-Regular.woff2", SHA256: "6b47c40166b6dbe21a5dfca7718413f2147fd2399be1ba605d8ad39cedf25dfe"},
	{Name: "dist/fonts/KaTeX_Size2-Regular.woff2", SHA256: "d04c54219f9eaec6d4d4fd42dfb28785975a4794d6b2fc71e566b9cd6db842dd"},
	{Name: "dist/fonts/KaTeX_Size3-Regular.woff2", SHA256: "73d591271b1604960cb10bb90fee021670af7297017e0e98480b332d11f51995"},
	{Name: "dist/fonts/KaTeX_Size4-Regular.woff2", SHA256: "a4af7d414440a1c1790825cfb700cf9cf43b0f2c4b04f0ebc523011ad9853ec0"},
	{Name: "dist/fonts/KaTeX_Typewriter-Regular.woff2", SHA256: "71d517d67827787cfabdf186914cc3358eda539e37931941f2b2fd4a21f68c0b"},
}

// KaTeXPackage returns the KaTeX package directory under the npm prefix,
// the directory the names of [KaTeXFiles] are relative to.
func KaTeXPackage(prefix string) string {
	return filepath.Join(prefix, "node_modules", "katex")
}

// KaTeXInstallCommand is the command that installs the pinned KaTeX into
// prefix, for messages that tell users how to get it.
func KaTeXInstallCommand(prefix string) string {
	return "npm install --prefix " + prefix + " --no-audit --no-fund katex@" + KaTeXVersion
}

// KaTeXInstalled checks the KaTeX under prefix: it returns nil when
// package.json names KaTeXVersion and every file of [KaTeXFiles] is there
// with its pinned sha256; otherwise an error naming the first problem
// (wrapping [ErrChecksum] for a file whose bytes differ).
func KaTeXInstalled(prefix string) error {
	pkg := KaTeXPackage(prefix)
	b, err := readBounded(filepath.Join(pkg, "package.json"), 1<<20)
	if err != nil {
		return fmt.Errorf("assets: KaTeX in %s: %w", prefix, err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return fmt.Errorf("assets: KaTeX in %s: package.json: %w", prefix, err)
	}
	if meta.Version != KaTeXVersion {
		return fmt.Errorf("assets: KaTeX in %s is version %q, want %s", prefix, meta.Version, KaTeXVersion)
	}
	for _, f := range KaTeXFiles {
		if err := VerifySHA256(filepath.Join(pkg, filepath.FromSlash(f.Name)), f.SHA256); err != nil {
			return fmt.Errorf("assets: KaTeX %s: %w", KaTeXVersion, err)
		}
	}
	return nil
}

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}

// InstallKaTeX installs KaTeX KaTeXVersion from npm into prefix by
// running exactly the command of [KaTeXInstallCommand], then checks every
// file against its pinned sha256. It does nothing when that version is
// already installed and intact there, so it works offline after the first
// run. npm must be on $PATH.
func InstallKaTeX(ctx context.Context, prefix string) error {
	if prefix == "" {
		return errors.New("assets: install KaTeX: empty prefix")
	}
	if KaTeXInstalled(prefix) == nil {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("assets: install KaTeX into %s: npm not found on $PATH (install Node.js and npm): %w", prefix, err)
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return fmt.Errorf("assets: install KaTeX: %w", err)
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", prefix, "--no-audit", "--no-fund", "katex@"+KaTeXVersion)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		s := out.String()
		if len(s) > 2000 {
			s = "…" + s[len(s)-2000:]
		}
		return fmt.Errorf("assets: %s: %w\n%s", strings.Join(cmd.Args, " "), err, s)
	}
	if err := KaTeXInstalled(prefix); err != nil {
		return fmt.Errorf("assets: install KaTeX into %s: %w", prefix, err)
	}
	return nil
}
