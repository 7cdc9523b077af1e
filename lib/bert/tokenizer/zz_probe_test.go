package tokenizer

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestProbe(t *testing.T) {
	f, err := os.Open("/tmp/tokprobe/cp.tsv")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	bad := map[string]int{}
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		c64, _ := strconv.ParseUint(p[0], 16, 32)
		r := rune(c64)
		cls := "K"
		if isRemoved(r) {
			cls = "R"
		} else if isWhitespace(r) && r != ' ' {
			cls = "W"
		}
		if cls != p[1] {
			bad["clean"]++
			if true {
				fmt.Printf("clean %x go=%s hf=%s\n", r, cls, p[1])
			}
		}
		z := "-"
		if isCJK(r) {
			z = "C"
		}
		if z != p[2] {
			bad["cjk"]++
		}
		pc := "N"
		if isPunct(r) {
			pc = "P"
		} else if isWhitespace(r) {
			pc = "S"
		}
		if pc != p[3] {
			bad["punct"]++
			if true {
				fmt.Printf("punct %x %q go=%s hf=%s\n", r, r, pc, p[3])
			}
		}
		low := lowerRune(nil, r)
		if hexs(low) != p[4] {
			bad["lower"]++
			if true {
				fmt.Printf("lower %x go=%s hf=%s\n", r, hexs(low), p[4])
			}
		}
		var st []rune
		for _, c := range decompose(nil, r) {
			if !isMark(c) {
				st = append(st, c)
			}
		}
		if hexs(st) != p[5] {
			bad["strip"]++
			if true {
				fmt.Printf("strip %x go=%s hf=%s\n", r, hexs(st), p[5])
			}
		}
	}
	t.Log(bad)
}

func hexs(rs []rune) string {
	var s []string
	for _, r := range rs {
		s = append(s, strconv.FormatInt(int64(r), 16))
	}
	return strings.Join(s, " ")
}
