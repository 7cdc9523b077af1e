package book

import (
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// DeadLink is a reference in a site that leads nowhere, or out of it.
type DeadLink struct {
	// Page is the file holding the reference, relative to the site.
	Page string
	// Ref is the reference as written.
	Ref string
	// Reason says what is wrong.
	Reason string
}

func (d DeadLink) String() string { return d.Page + ": " + d.Ref + ": " + d.Reason }

var (
	refRE     = regexp.MustCompile(`<(a|link|img|script|source|iframe)\b[^>]*?\s(href|src)="([^"]*)"`)
	idRE      = regexp.MustCompile(`\sid="([^"]*)"`)
	cssURLRE  = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)
	schemeRE  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	maxPageSz = int64(64 << 20)
)

// CheckLinks checks every reference of the HTML pages and stylesheets of
// the site in dir: a relative reference must name a file of the site (and
// an #anchor an id of that page), and nothing the page loads by itself
// (stylesheets, scripts, images, fonts) may come from another host. Links
// a reader follows to other sites (<a href="https://…">) are allowed.
func CheckLinks(dir string) ([]DeadLink, error) {
	ids := map[string]map[string]bool{} // page → ids
	pages := map[string]string{}
	var css []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
		case strings.HasSuffix(p, ".html"):
			b, err := readLimited(p)
			if err != nil {
				return err
			}
			pages[rel] = string(b)
			set := map[string]bool{}
			for _, m := range idRE.FindAllStringSubmatch(string(b), -1) {
				set[html.UnescapeString(m[1])] = true
			}
			ids[rel] = set
		case strings.HasSuffix(p, ".css"):
			css = append(css, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("book: check links: %w", err)
	}
	var dead []DeadLink
	check := func(page, ref string, loads bool) {
		ref = html.UnescapeString(ref)
		if ref == "" {
			dead = append(dead, DeadLink{page, ref, "empty reference"})
			return
		}
		if strings.HasPrefix(ref, "data:") {
			return
		}
		if schemeRE.MatchString(ref) || strings.HasPrefix(ref, "//") {
			if loads {
				dead = append(dead, DeadLink{page, ref, "loaded from outside the site"})
			}
			return
		}
		u, err := url.Parse(ref)
		if err != nil {
			dead = append(dead, DeadLink{page, ref, err.Error()})
			return
		}
		target := page
		if u.Path != "" {
			if strings.HasPrefix(u.Path, "/") {
				dead = append(dead, DeadLink{page, ref, "absolute path: the site must work from any directory"})
				return
			}
			target = path.Clean(path.Join(path.Dir(page), u.Path))
			if strings.HasPrefix(target, "../") || target == ".." {
				dead = append(dead, DeadLink{page, ref, "leads out of the site"})
				return
			}
			if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil || fi.IsDir() {
				dead = append(dead, DeadLink{page, ref, "no such file"})
				return
			}
		}
		if u.Fragment != "" && strings.HasSuffix(target, ".html") && !ids[target][u.Fragment] {
			dead = append(dead, DeadLink{page, ref, "no element with id " + u.Fragment})
		}
	}
	names := make([]string, 0, len(pages))
	for p := range pages {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		for _, m := range refRE.FindAllStringSubmatch(pages[p], -1) {
			check(p, m[3], m[1] != "a")
		}
	}
	for _, p := range css {
		b, err := readLimited(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, fmt.Errorf("book: check links: %w", err)
		}
		for _, m := range cssURLRE.FindAllStringSubmatch(string(b), -1) {
			check(p, m[1], true)
		}
	}
	return dead, nil
}

func readLimited(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxPageSz {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, maxPageSz)
	}
	return os.ReadFile(p)
}
