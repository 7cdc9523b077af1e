package charts

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// useLanguage sets the language for one test and restores the previous
// state afterwards.
func useLanguage(t *testing.T, l Language) {
	t.Helper()
	lang.Lock()
	set, prev := lang.set, lang.l
	lang.Unlock()
	SetLanguage(l)
	t.Cleanup(func() {
		lang.Lock()
		lang.set, lang.l = set, prev
		lang.Unlock()
	})
}

func TestParseLanguage(t *testing.T) {
	cases := []struct {
		in   string
		want Language
		err  bool
	}{
		{"en", English, false},
		{"zh", Chinese, false},
		{"ZH", Chinese, false},
		{"zh-CN", Chinese, false},
		{"zh_CN.UTF-8", Chinese, false},
		{" en ", English, false},
		{"fr", English, true},
		{"", English, true},
	}
	for _, c := range cases {
		got, err := ParseLanguage(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseLanguage(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
		if err != nil && !strings.Contains(err.Error(), `"`+c.in+`"`) {
			t.Errorf("ParseLanguage(%q): error %q does not name the input", c.in, err)
		}
	}
	if English.String() != "en" || Chinese.String() != "zh" || Language(9).String() != "Language(9)" {
		t.Errorf("String: %v %v %v", English, Chinese, Language(9))
	}
}

func TestEditionLanguage(t *testing.T) {
	cases := map[string]Language{
		"/repo/notebooks/zh":  Chinese,
		"/repo/notebooks/zh/": Chinese,
		"notebooks/zh":        Chinese,
		"/repo/notebooks":     English,
		"/repo/zh/notebooks":  English,
		"/repo/notebooks/zhx": English,
		"":                    English,
	}
	for dir, want := range cases {
		if got := EditionLanguage(dir); got != want {
			t.Errorf("EditionLanguage(%q) = %v, want %v", dir, got, want)
		}
	}
}

func TestDefaultLanguage(t *testing.T) {
	zh := filepath.Join(t.TempDir(), "zh")
	if err := os.Mkdir(zh, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(zh)
	t.Setenv(LanguageEnv, "")
	if got := DefaultLanguage(); got != Chinese {
		t.Errorf("in %s: DefaultLanguage = %v, want zh", zh, got)
	}
	t.Setenv(LanguageEnv, "en")
	if got := DefaultLanguage(); got != English {
		t.Errorf("$%s=en: DefaultLanguage = %v, want en", LanguageEnv, got)
	}
	t.Chdir(filepath.Dir(zh))
	t.Setenv(LanguageEnv, "zh")
	if got := DefaultLanguage(); got != Chinese {
		t.Errorf("$%s=zh: DefaultLanguage = %v, want zh", LanguageEnv, got)
	}
	t.Setenv(LanguageEnv, "klingon") // invalid: ignored
	if got := DefaultLanguage(); got != English {
		t.Errorf("$%s=klingon outside zh/: DefaultLanguage = %v, want en", LanguageEnv, got)
	}
}

func TestTranslateTo(t *testing.T) {
	AddMessages(Chinese, map[string]string{
		"Test revenue":            "测试收入",
		"test year {}":            "测试第 {} 年",
		"test score {}":           "测试得分 {}",
		"test score 100":          "满分",
		"test score {} of {} max": "得分 {} 满分 {}",
	})
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"Test revenue", "测试收入", true},
		{"test year 3", "测试第 3 年", true},
		{"test year ", "test year ", false}, // {} needs some text
		{"test score 4.2", "测试得分 4.2", true},
		{"test score 1 of 5 max", "得分 1 满分 5", true}, // the longer pattern first
		{"test score 100", "满分", true},               // an exact key wins over a pattern
		{"Unknown words", "Unknown words", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := TranslateTo(Chinese, c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("TranslateTo(zh, %q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		if en, ok := TranslateTo(English, c.in); en != c.in || ok {
			t.Errorf("TranslateTo(en, %q) = %q, %v", c.in, en, ok)
		}
	}
	AddMessages(Chinese, map[string]string{"Test revenue": "测试营收"}) // a later message wins
	if got, _ := TranslateTo(Chinese, "Test revenue"); got != "测试营收" {
		t.Errorf("replaced message: got %q", got)
	}
}

// A chart built in English is displayed in Chinese: title, series names,
// categories and axis names; structural values such as the series type
// are never touched, even when a message would match them.
func TestChartsFollowTheLanguage(t *testing.T) {
	AddMessages(Chinese, map[string]string{
		"Test cash flow": "测试现金流",
		"test net":       "测试净额",
		"test year {}":   "测试第 {} 年",
		"bar":            "条形", // must not rewrite "type": "bar"
		"value":          "数值",
	})
	build := func() Renderable {
		return Bar("Test cash flow", []string{"test year 0", "test year 1", "test untranslated"}, Series{Name: "test net", Values: []float64{-5, 3, 1}})
	}
	useLanguage(t, English)
	en, err := inspect(build())
	if err != nil {
		t.Fatal(err)
	}
	useLanguage(t, Chinese)
	zh, err := inspect(build())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"测试现金流"`, `"测试净额"`, `"测试第 0 年"`, `"测试第 1 年"`, `"test untranslated"`, `"type":"bar"`} {
		if !strings.Contains(zh.optionJSON, w) {
			t.Errorf("Chinese option lacks %s: %s", w, zh.optionJSON)
		}
	}
	for _, w := range []string{"Test cash flow", "test net", "test year", "条形"} {
		if strings.Contains(zh.optionJSON, w) {
			t.Errorf("Chinese option still has %q: %s", w, zh.optionJSON)
		}
	}
	if zh.title != "测试现金流" || en.title != "Test cash flow" {
		t.Errorf("titles: zh %q, en %q", zh.title, en.title)
	}
	if strings.Contains(en.optionJSON, "测试") {
		t.Errorf("English option translated: %s", en.optionJSON)
	}
	// English options are passed through byte for byte.
	c := build()
	c.Validate()
	if want := string(c.JSONNotEscaped()); en.optionJSON != want {
		t.Errorf("English option changed:\n%s\nwant\n%s", en.optionJSON, want)
	}
}

func TestUntranslatedList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.txt")
	t.Setenv(UntranslatedEnv, path)
	useLanguage(t, Chinese)
	AddMessages(Chinese, map[string]string{"Test known": "已知"})
	if _, err := inspect(Bar("Test known", []string{"Test unknown", "42"}, Series{Name: "Test known", Values: []float64{1, 2}})); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(b)); got != "Test unknown" {
		t.Errorf("untranslated list = %q, want only \"Test unknown\" (numbers and known text excluded)", got)
	}
}

// The static picture, drawn by ECharts under node, carries the Chinese text.
func TestStaticImageInChinese(t *testing.T) {
	prefix := prefixOrSkip(t)
	AddMessages(Chinese, map[string]string{"Test static": "静态图测试"})
	useLanguage(t, Chinese)
	info, err := inspect(Bar("Test static", []string{"a"}, Col("v", []int{1})))
	if err != nil {
		t.Fatal(err)
	}
	option, err := optionJS(info.optionJSON)
	if err != nil {
		t.Fatal(err)
	}
	img, err := NodeSVG{Prefix: prefix}.RenderStatic(context.Background(), StaticInput{Option: option, Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(img.Data), "静态图测试") {
		t.Errorf("SVG lacks the Chinese title: %.300s", img.Data)
	}
}
