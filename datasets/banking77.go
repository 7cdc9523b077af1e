package datasets

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// BankingQuery is one row of Banking77 (Casanueva et al. 2020, "Efficient
// Intent Detection with Dual Sentence Encoders"): a customer's online-banking
// question and its intent, one of 77 categories such as "card_arrival".
type BankingQuery struct {
	Text     string
	Category string
}

// LoadBanking77 reads one split of Banking77, "train" (10,003 queries) or
// "test" (3,080), from the data directory (downloading it first if it is
// missing and downloads are allowed).
func LoadBanking77(ctx context.Context, split string) ([]BankingQuery, error) {
	if split != "train" && split != "test" {
		return nil, fmt.Errorf("datasets: banking77: split %q, want train or test", split)
	}
	p, err := Path(ctx, "banking77", split+".csv")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("datasets: banking77: %w", err)
	}
	defer f.Close()
	qs, err := ReadBanking77(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	return qs, nil
}

// ReadBanking77 parses a CSV in Banking77's layout: a header naming the
// columns text and category (in any order, other columns ignored), then one
// query per row. Errors name the line; an empty text or category is an
// error.
func ReadBanking77(r io.Reader) ([]BankingQuery, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("banking77: header: %w", err)
	}
	textCol, catCol := slices.Index(header, "text"), slices.Index(header, "category")
	if textCol < 0 || catCol < 0 {
		return nil, fmt.Errorf("banking77: header %q lacks the columns text and category", header)
	}
	var out []BankingQuery
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("banking77: %w", err)
		}
		line, _ := cr.FieldPos(0)
		q := BankingQuery{Text: strings.TrimSpace(rec[textCol]), Category: strings.TrimSpace(rec[catCol])}
		if q.Text == "" || q.Category == "" {
			return nil, fmt.Errorf("banking77: line %d: empty text or category", line)
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, errors.New("banking77: no rows")
	}
	return out, nil
}

// BankingTexts returns the texts and categories of qs as two parallel slices.
func BankingTexts(qs []BankingQuery) (texts, categories []string) {
	texts, categories = make([]string, len(qs)), make([]string, len(qs))
	for i, q := range qs {
		texts[i], categories[i] = q.Text, q.Category
	}
	return texts, categories
}
