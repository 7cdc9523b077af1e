package charts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Language is the language of the text in charts: titles, series and axis
// names, categories and legends.
//
// A chart is built with the English text the code gives it and translated
// when it is displayed or rendered ([Display], [HTML], [MIMEBundle]): every
// title, subtitle, name and string in a data array that a message catalog
// of the current language translates is replaced, in the interactive chart
// and in its static image alike. Text that no catalog knows stays as it is.
// So one code cell draws an English chart in the English edition of a
// notebook and a Chinese one in the Chinese edition.
type Language int

const (
	// English is the language the code is written in: no translation.
	English Language = iota
	// Chinese (Simplified), the language of the notebooks/zh edition.
	Chinese
)

// String returns the language's code: "en" or "zh".
func (l Language) String() string {
	switch l {
	case English:
		return "en"
	case Chinese:
		return "zh"
	}
	return fmt.Sprintf("Language(%d)", int(l))
}

// ParseLanguage parses a language code: "en" or "zh" (case-insensitive;
// a region such as "zh-CN" or "zh_CN.UTF-8" is accepted and ignored).
func ParseLanguage(code string) (Language, error) {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, "-_."); i >= 0 {
		c = c[:i]
	}
	switch c {
	case "en":
		return English, nil
	case "zh":
		return Chinese, nil
	}
	return English, fmt.Errorf("charts: language %q: want en or zh", code)
}

// LanguageEnv names the environment variable that sets the language of
// charts ("en" or "zh") for a whole process.
const LanguageEnv = "FOUNDERLAB_LANG"

var lang struct {
	sync.Mutex
	set  bool
	l    Language
	msgs map[Language]*catalog
}

// SetLanguage sets the language of the charts this process displays from
// now on, overriding [DefaultLanguage].
func SetLanguage(l Language) {
	lang.Lock()
	defer lang.Unlock()
	lang.l, lang.set = l, true
}

// CurrentLanguage returns the language set by [SetLanguage], or
// [DefaultLanguage] when none was set.
func CurrentLanguage() Language {
	lang.Lock()
	defer lang.Unlock()
	if !lang.set {
		lang.l, lang.set = DefaultLanguage(), true
	}
	return lang.l
}

// DefaultLanguage is the language a process starts with: the one named by
// $FOUNDERLAB_LANG when it is set and valid, otherwise the edition the
// working directory belongs to ([EditionLanguage]). A notebook runs in its
// own directory, so the notebooks in notebooks/zh draw Chinese charts with
// no code of their own to select it.
func DefaultLanguage() Language {
	if v := os.Getenv(LanguageEnv); v != "" {
		if l, err := ParseLanguage(v); err == nil {
			return l
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return English
	}
	return EditionLanguage(wd)
}

// EditionLanguage returns the language of the notebook edition in
// directory dir: [Chinese] for a directory named "zh" (notebooks/zh),
// [English] otherwise.
func EditionLanguage(dir string) Language {
	if filepath.Base(filepath.Clean(dir)) == "zh" {
		return Chinese
	}
	return English
}

// catalog holds one language's messages: exact strings, and patterns in
// which "{}" stands for any text (a number, a name) carried over to the
// translation.
type catalog struct {
	exact    map[string]string
	patterns []pattern
}

type pattern struct {
	key  string
	re   *regexp.Regexp
	repl []string // the translation split at its "{}"
}

// AddMessages adds translations into language l, each from the English
// text a chart is built with to the text shown. In a key, "{}" stands for
// any text, which replaces the "{}" of the translation in order:
//
//	charts.AddMessages(charts.Chinese, map[string]string{
//		"Net and cumulative cash flow": "净现金流与累计现金流",
//		"year {}":                      "第 {} 年",
//	})
//
// Exact keys win over patterns; among patterns the longest key is tried
// first. A later message for the same key replaces the earlier one.
// Chapter packages add their messages in an init function.
func AddMessages(l Language, msgs map[string]string) {
	lang.Lock()
	defer lang.Unlock()
	if lang.msgs == nil {
		lang.msgs = map[Language]*catalog{}
	}
	c := lang.msgs[l]
	if c == nil {
		c = &catalog{exact: map[string]string{}}
		lang.msgs[l] = c
	}
	for k, v := range msgs {
		if !strings.Contains(k, "{}") {
			c.exact[k] = v
			continue
		}
		parts := strings.Split(k, "{}")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		p := pattern{key: k, re: regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$"), repl: strings.Split(v, "{}")}
		replaced := false
		for i := range c.patterns {
			if c.patterns[i].key == k {
				c.patterns[i], replaced = p, true
			}
		}
		if !replaced {
			c.patterns = append(c.patterns, p)
		}
	}
	sort.SliceStable(c.patterns, func(i, j int) bool { return len(c.patterns[i].key) > len(c.patterns[j].key) })
}

// Translate returns s in the current language, or s itself when no
// message translates it (and always in English).
func Translate(s string) string {
	t, _ := TranslateTo(CurrentLanguage(), s)
	return t
}

// TranslateTo returns s in language l and whether a message translated it.
func TranslateTo(l Language, s string) (string, bool) {
	if l == English || s == "" {
		return s, false
	}
	lang.Lock()
	c := lang.msgs[l]
	lang.Unlock()
	if c == nil {
		return s, false
	}
	if t, ok := c.exact[s]; ok {
		return t, true
	}
	for _, p := range c.patterns {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		var b strings.Builder
		for i, part := range p.repl {
			b.WriteString(part)
			if i+1 < len(p.repl) && i+1 < len(m) {
				b.WriteString(m[i+1])
			}
		}
		return b.String(), true
	}
	return s, false
}

// localize translates the text of a chart option (JSON) into language l:
// the strings under the keys "text", "subtext" and "name" anywhere in the
// option, and the strings in "data" arrays (categories, legends). It
// returns the option unchanged when nothing was translated, and the
// strings it found no message for.
func localize(optionJSON string, l Language) (string, []string, error) {
	if l == English {
		return optionJSON, nil, nil
	}
	d := json.NewDecoder(strings.NewReader(optionJSON))
	d.UseNumber()
	var o any
	if err := d.Decode(&o); err != nil {
		return "", nil, fmt.Errorf("charts: translate option: %w", err)
	}
	changed := false
	var missing []string
	tr := func(s string) string {
		t, ok := TranslateTo(l, s)
		if ok {
			changed = true
		} else if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil && strings.TrimSpace(s) != "" {
			missing = append(missing, s) // numbers need no translation
		}
		return t
	}
	var walk func(v any, key string) any
	walk = func(v any, key string) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e, k)
			}
		case []any:
			for i, e := range x {
				if s, ok := e.(string); ok && key == "data" {
					x[i] = tr(s)
				} else {
					x[i] = walk(e, key)
				}
			}
		case string:
			if key == "text" || key == "subtext" || key == "name" {
				return tr(x)
			}
		}
		return v
	}
	o = walk(o, "")
	if !changed {
		return optionJSON, missing, nil
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(o); err != nil {
		return "", nil, fmt.Errorf("charts: translate option: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), missing, nil
}

// UntranslatedEnv names an environment variable that, when set to a file
// path, makes every chart rendered in a language other than English append
// the strings no message translated to that file, one per line: the list
// a translator works from.
const UntranslatedEnv = "FOUNDERLAB_CHARTS_UNTRANSLATED"

func noteUntranslated(missing []string) {
	path := os.Getenv(UntranslatedEnv)
	if path == "" || len(missing) == 0 {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, strings.Join(missing, "\n"))
}
