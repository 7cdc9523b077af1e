package recommend

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/founderlab/founderlab/datasets"
)

// The protocol's constants.
const (
	// PositiveThreshold is the rating from which an interaction is a positive.
	PositiveThreshold = 3.5
	// TestFraction is the share of each user's last positives held out.
	TestFraction = 0.2
)

// ErrNoData reports a data set or split without the interactions a model
// needs.
var ErrNoData = errors.New("recommend: no interactions")

// Item is one catalogue entry: its original id, a title a person reads and
// the text a language model embeds.
type Item struct {
	ID        int
	Title     string
	Text      string
	Described bool // Text includes a plot description
}

// Event is one rating: dense user and item indices into [Data].
type Event struct {
	User, Item int
	Rating     float64
	Time       int64
}

// Data is a catalogue and the ratings on it, with dense indices.
type Data struct {
	Items  []Item
	Users  []int // original user ids by dense index
	Events []Event
}

// TextOptions says what goes into an item's text.
type TextOptions struct {
	MaxTags int // most frequent tags kept per movie (0: 5)
}

// FromMovieLens builds Data from MovieLens and, optionally, Netflix titles:
// an item's text is "Title (year). Genres: …. Tags: …. Description", the
// description coming from the Netflix movie with the same normalised title
// and year ([datasets.TitleKey]), where there is one. Users get dense
// indices in increasing id order, items in movies.csv order. A rating of a
// movie missing from movies.csv is an error.
func FromMovieLens(ml *datasets.MovieLens, netflix []datasets.NetflixTitle, opt TextOptions) (*Data, error) {
	if opt.MaxTags == 0 {
		opt.MaxTags = 5
	}
	desc := map[string]string{}
	for _, t := range netflix {
		if t.Type == "Movie" && t.Description != "" {
			desc[datasets.TitleKey(t.Title, t.ReleaseYear)] = t.Description
		}
	}
	itemIdx := make(map[int]int, len(ml.Movies))
	tags := map[int]map[string]int{}
	for _, t := range ml.Tags {
		m := tags[t.Movie]
		if m == nil {
			m = map[string]int{}
			tags[t.Movie] = m
		}
		m[strings.ToLower(t.Tag)]++
	}
	d := &Data{Items: make([]Item, len(ml.Movies))}
	for i, m := range ml.Movies {
		itemIdx[m.ID] = i
		title, year := datasets.SplitTitleYear(m.Title)
		var b strings.Builder
		b.WriteString(m.Title)
		b.WriteString(".")
		if len(m.Genres) > 0 {
			fmt.Fprintf(&b, " Genres: %s.", strings.Join(m.Genres, ", "))
		}
		if tc := tags[m.ID]; len(tc) > 0 {
			ts := make([]string, 0, len(tc))
			for t := range tc {
				ts = append(ts, t)
			}
			slices.SortFunc(ts, func(a, b string) int {
				return cmp.Or(cmp.Compare(tc[b], tc[a]), cmp.Compare(a, b))
			})
			fmt.Fprintf(&b, " Tags: %s.", strings.Join(ts[:min(len(ts), opt.MaxTags)], ", "))
		}
		s := desc[datasets.TitleKey(title, year)]
		if s != "" {
			b.WriteString(" ")
			b.WriteString(s)
		}
		d.Items[i] = Item{ID: m.ID, Title: m.Title, Text: b.String(), Described: s != ""}
	}
	userIdx := map[int]int{}
	for _, r := range ml.Ratings {
		userIdx[r.User] = 0
	}
	for u := range userIdx {
		d.Users = append(d.Users, u)
	}
	slices.Sort(d.Users)
	for i, u := range d.Users {
		userIdx[u] = i
	}
	d.Events = make([]Event, len(ml.Ratings))
	for i, r := range ml.Ratings {
		it, ok := itemIdx[r.Movie]
		if !ok {
			return nil, fmt.Errorf("recommend: rating of movie %d by user %d: movie not in the catalogue", r.Movie, r.User)
		}
		d.Events[i] = Event{User: userIdx[r.User], Item: it, Rating: r.Rating, Time: r.Timestamp}
	}
	return d, nil
}

// SubsetUsers returns Data with n users drawn at random (seeded) and their
// events; the catalogue is unchanged. n ≤ 0 or ≥ the number of users
// returns d.
func (d *Data) SubsetUsers(n int, seed uint64) *Data {
	if n <= 0 || n >= len(d.Users) {
		return d
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	perm := rng.Perm(len(d.Users))[:n]
	slices.Sort(perm)
	newIdx := make(map[int]int, n)
	out := &Data{Items: d.Items}
	for i, u := range perm {
		newIdx[u] = i
		out.Users = append(out.Users, d.Users[u])
	}
	for _, e := range d.Events {
		if i, ok := newIdx[e.User]; ok {
			e.User = i
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// Split is the protocol's train/test split of a [Data]: per user, training
// and test positives as item indices, training ones in time order.
type Split struct {
	Items     []Item
	Users     []int     // original user ids
	Train     [][]int   // per user: training positives, oldest first
	TrainTime [][]int64 // per user: their timestamps
	Test      [][]int   // per user: held-out positives
	Pop       []int     // per item: number of training positives
}

// NumUsers returns the number of users.
func (s *Split) NumUsers() int { return len(s.Train) }

// NumItems returns the catalogue size.
func (s *Split) NumItems() int { return len(s.Items) }

// NumTrain returns the number of training positives.
func (s *Split) NumTrain() int {
	n := 0
	for _, t := range s.Train {
		n += len(t)
	}
	return n
}

// NewSplit applies the protocol (see the package doc): positives are
// ratings ≥ PositiveThreshold; per user the last max(1, ⌊n/5⌋) by time are
// the test set. A repeated (user, item) positive counts once, at its first
// time. The split is deterministic.
func NewSplit(d *Data) (*Split, error) {
	type pos struct {
		item int
		t    int64
	}
	per := make([][]pos, len(d.Users))
	seen := map[[2]int]bool{}
	for i, e := range d.Events {
		if e.User < 0 || e.User >= len(d.Users) || e.Item < 0 || e.Item >= len(d.Items) {
			return nil, fmt.Errorf("recommend: event %d: user %d or item %d out of range", i, e.User, e.Item)
		}
		if e.Rating < PositiveThreshold {
			continue
		}
		if k := [2]int{e.User, e.Item}; !seen[k] {
			seen[k] = true
			per[e.User] = append(per[e.User], pos{e.Item, e.Time})
		}
	}
	if len(seen) == 0 {
		return nil, ErrNoData
	}
	s := &Split{Items: d.Items, Users: d.Users, Train: make([][]int, len(per)), TrainTime: make([][]int64, len(per)),
		Test: make([][]int, len(per)), Pop: make([]int, len(d.Items))}
	for u, ps := range per {
		slices.SortFunc(ps, func(a, b pos) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.item, b.item)) })
		nTest := testSize(len(ps))
		for i, p := range ps {
			if i < len(ps)-nTest {
				s.Train[u] = append(s.Train[u], p.item)
				s.TrainTime[u] = append(s.TrainTime[u], p.t)
				s.Pop[p.item]++
			} else {
				s.Test[u] = append(s.Test[u], p.item)
			}
		}
	}
	return s, nil
}

// testSize is the protocol's number of held-out positives of a user with n.
func testSize(n int) int {
	if n == 0 {
		return 0
	}
	return max(1, int(float64(n)*TestFraction))
}

// Validation carves a validation split out of s's training set with the
// same rule: per user, the last max(1, ⌊n/5⌋) training positives become the
// test set of the returned split (users with fewer than 2 training
// positives keep them all in training).
func (s *Split) Validation() *Split {
	v := &Split{Items: s.Items, Users: s.Users, Train: make([][]int, len(s.Train)), TrainTime: make([][]int64, len(s.Train)),
		Test: make([][]int, len(s.Train)), Pop: make([]int, len(s.Items))}
	for u, tr := range s.Train {
		n := 0
		if len(tr) >= 2 {
			n = testSize(len(tr))
		}
		v.Train[u], v.TrainTime[u] = tr[:len(tr)-n], s.TrainTime[u][:len(tr)-n]
		v.Test[u] = tr[len(tr)-n:]
		for _, i := range v.Train[u] {
			v.Pop[i]++
		}
	}
	return v
}

// TopItems returns Data restricted to the n items with the most ratings
// (ties to the lower index), in catalogue order, with the events on them;
// users keep their indices. n ≤ 0 or ≥ the catalogue returns d. It makes a
// small catalogue for quick runs.
func (d *Data) TopItems(n int) *Data {
	if n <= 0 || n >= len(d.Items) {
		return d
	}
	count := make([]int, len(d.Items))
	for _, e := range d.Events {
		count[e.Item]++
	}
	order := make([]int, len(d.Items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(count[b], count[a]) })
	keep := order[:n]
	slices.Sort(keep)
	newIdx := make(map[int]int, n)
	out := &Data{Users: d.Users}
	for k, i := range keep {
		newIdx[i] = k
		out.Items = append(out.Items, d.Items[i])
	}
	for _, e := range d.Events {
		if k, ok := newIdx[e.Item]; ok {
			e.Item = k
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// History returns the titles of the user's last n training positives,
// newest first.
func (s *Split) History(u, n int) []string {
	tr := s.Train[u]
	var out []string
	for i := len(tr) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, s.Items[tr[i]].Title)
	}
	return out
}
