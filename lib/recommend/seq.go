package recommend

// How many of a user's next training positives count as following one of
// theirs in [sequence], and how many of the user's latest positives it
// starts from.
const (
	seqWindow = 10
	seqLast   = recentItems
)

// sequence scores items by what other users went on to like: for an item
// i and another item j, f(i, j) is the fraction of i's training positives
// (by anyone) followed, within the same user's next window positives,
// by a positive on j. A user's score for j is Σ f(i, j) over the user's
// latest last positives i. Positives are in time order, so this is
// a first-order "what comes next" model (in the spirit of Markov-chain
// recommenders, Rendle et al. 2010), which the time-ordered split rewards.
type sequence struct {
	s            *Split
	window, last int
	back         bool         // count the positives before instead of after (for TestSelectHybridFeatures)
	occ          [][][2]int32 // per item: (user, position) of its training positives
}

func newSequence(s *Split, window, last int) *sequence {
	q := &sequence{s: s, window: window, last: last, occ: make([][][2]int32, s.NumItems())}
	for u, tr := range s.Train {
		for p, i := range tr {
			q.occ[i] = append(q.occ[i], [2]int32{int32(u), int32(p)})
		}
	}
	return q
}

// recent returns the user's latest training positives, n at most.
func (q *sequence) recent(u int) []int {
	tr := q.s.Train[u]
	return tr[max(0, len(tr)-q.last):]
}

// next returns the window positives of user v after position p (before
// it if q.back).
func (q *sequence) next(v, p int) []int {
	tr := q.s.Train[v]
	if q.back {
		return tr[max(0, p-q.window):p]
	}
	return tr[p+1 : min(len(tr), p+1+q.window)]
}

// scores returns the user's score for every item.
func (q *sequence) scores(u int) []float64 {
	out := make([]float64, q.s.NumItems())
	for _, i := range q.recent(u) {
		occ := q.occ[i]
		w := 1 / float64(len(occ))
		for _, o := range occ {
			v, p := int(o[0]), int(o[1])
			if v == u {
				continue
			}
			for _, j := range q.next(v, p) {
				out[j] += w
			}
		}
	}
	return out
}

// because returns the user's recent positive i with the largest f(i, j).
func (q *sequence) because(u, j int) (int, bool) {
	best, bestF := -1, 0.0
	for _, i := range q.recent(u) {
		n := 0
		for _, o := range q.occ[i] {
			v, p := int(o[0]), int(o[1])
			if v == u {
				continue
			}
			for _, x := range q.next(v, p) {
				if x == j {
					n++
					break
				}
			}
		}
		if f := float64(n) / float64(len(q.occ[i])); f > bestF {
			best, bestF = i, f
		}
	}
	return best, best >= 0
}
