package recommend

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

// Engine chooses where [BPR] trains.
type Engine uint8

const (
	// EngineGo is the pure-Go stochastic gradient loop (Hogwild with
	// Workers > 1): the default.
	EngineGo Engine = iota
	// EngineGoMLX trains on mini-batches of triples as a GoMLX graph, by
	// BPR.Trainer (lib/recommend/mfgomlx provides one).
	EngineGoMLX
)

// String returns "go" or "gomlx".
func (e Engine) String() string {
	switch e {
	case EngineGo:
		return "go"
	case EngineGoMLX:
		return "gomlx"
	}
	return fmt.Sprintf("Engine(%d)", uint8(e))
}

// ParseEngine returns the engine named s ("go" or "gomlx").
func ParseEngine(s string) (Engine, error) {
	for _, e := range []Engine{EngineGo, EngineGoMLX} {
		if strings.EqualFold(s, e.String()) {
			return e, nil
		}
	}
	return 0, fmt.Errorf("recommend: unknown engine %q (want go or gomlx)", s)
}

// ErrNoTrainer reports [EngineGoMLX] without a BPR.Trainer.
var ErrNoTrainer = errors.New("recommend: bpr: EngineGoMLX needs a Trainer (see lib/recommend/mfgomlx)")

// BPRTrainer trains BPR's factors on an engine other than the pure-Go
// loop. It is an interface so that this package does not link GoMLX:
// lib/recommend/mfgomlx implements it.
type BPRTrainer interface {
	// TrainBPR trains p's factors in place, starting from their values,
	// and sets p.Losses. It returns ctx's error if ctx ends first.
	TrainBPR(ctx context.Context, p *BPRProblem) error
}

// BPRProblem is what a [BPRTrainer] trains: the factors P (Users ×
// Factors, row-major), Q (Items × Factors) and item biases B of
// x̂_uj = p_u·q_j + b_j, initialised by [BPR.Fit], and the settings. An
// epoch is NumPositives triples drawn by [BPRProblem.Sample].
type BPRProblem struct {
	Users, Items, Factors int
	Epochs                int
	LearningRate          float64 // BPR.LearningRate after defaults
	Reg                   float64 // λ after defaults
	Seed                  uint64
	P, Q, B               []float32 // in: the initial values; out: the trained ones
	// Losses is set by the trainer: per epoch, the mean over its triples of
	// −ln σ(x̂_ui − x̂_uj) (without the penalty).
	Losses []float64

	pairs  []bprPair
	liked  []uint64 // per user, a bitset of liked items
	words  int
	nLiked []int
}

type bprPair struct{ u, i int32 }

// NumPositives returns the number of training positives (u, i).
func (p *BPRProblem) NumPositives() int { return len(p.pairs) }

// Sample fills u, i and j (of equal length) with triples drawn as the Go
// engine draws them: a training positive (u, i) uniformly, and an item j
// the user has not liked, uniformly. A user who liked every item gets
// j = i (a triple with zero gradient in the ranking term).
func (p *BPRProblem) Sample(rng *rand.Rand, u, i, j []int32) {
	for k := range u {
		pr := p.pairs[rng.IntN(len(p.pairs))]
		u[k], i[k], j[k] = pr.u, pr.i, pr.i
		if p.nLiked[pr.u] >= p.Items {
			continue
		}
		set := p.liked[int(pr.u)*p.words : (int(pr.u)+1)*p.words]
		n := rng.IntN(p.Items)
		for set[n/64]&(1<<(n%64)) != 0 {
			n = rng.IntN(p.Items)
		}
		j[k] = int32(n)
	}
}

// BPR is matrix factorisation trained with Bayesian personalised ranking
// (Rendle et al. 2009, "BPR: Bayesian Personalized Ranking from Implicit
// Feedback"): the score of item j for user u is x̂_uj = p_u·q_j + b_j. Each
// epoch draws NumTrain triples (u, i, j) — a training positive (u, i)
// uniformly and a negative j uniformly among items u has not liked — and
// takes a gradient step on ln σ(x̂_ui − x̂_uj) with L2 penalty Reg on the
// touched parameters:
//
//	z   = σ(x̂_uj − x̂_ui)
//	p_u += η (z (q_i − q_j) − λ p_u)
//	q_i += η (z p_u − λ q_i),  q_j += η (−z p_u − λ q_j)
//	b_i += η (z − λ b_i),      b_j += η (−z − λ b_j)
//
// With Workers > 1 the triples of an epoch are shared among goroutines that
// update the factors without locks (Hogwild, Recht et al. 2011): fast, but
// then runs are not bit-for-bit reproducible. Workers = 1 is deterministic
// for a seed.
//
// With Engine = [EngineGoMLX] the epochs run on Trainer instead (see
// [BPRTrainer]; lib/recommend/mfgomlx trains on mini-batches of triples with
// GoMLX), from the same initial factors and the same triple sampling.
type BPR struct {
	Factors      int     // latent dimensions (0: 64)
	Epochs       int     // passes of NumTrain triples (0: 50)
	LearningRate float64 // η (0: 0.05)
	Reg          float64 // λ (0: 0.01; negative: none)
	Workers      int     // goroutines (0: 1)
	Seed         uint64
	Engine       Engine     // where the epochs run (EngineGo: here)
	Trainer      BPRTrainer // the trainer of EngineGoMLX

	// Losses is the mean BPR loss per epoch of the last Fit, as the
	// trainer of EngineGoMLX reports it (nil with EngineGo, which does not
	// compute it, to stay fast).
	Losses []float64

	s    *Split
	f    int
	p, q []float32 // users × f, items × f
	b    []float32 // items
}

func (m *BPR) defaults() (f, epochs int, lr, reg float32, workers int) {
	f, epochs, lr, reg, workers = m.Factors, m.Epochs, float32(m.LearningRate), float32(m.Reg), m.Workers
	if f <= 0 {
		f = 64
	}
	if epochs <= 0 {
		epochs = 50
	}
	if lr <= 0 {
		lr = 0.05
	}
	if reg == 0 {
		reg = 0.01
	} else if reg < 0 {
		reg = 0
	}
	if workers <= 0 {
		workers = 1
	}
	return
}

// Fit trains the factors from a seeded random start (uniform in ±0.5/f).
func (m *BPR) Fit(ctx context.Context, s *Split) error {
	f, epochs, lr, reg, workers := m.defaults()
	if m.Engine == EngineGoMLX && m.Trainer == nil {
		return ErrNoTrainer
	}
	if m.Engine != EngineGo && m.Engine != EngineGoMLX {
		return fmt.Errorf("recommend: bpr: unknown %v", m.Engine)
	}
	type pair = bprPair
	var pairs []pair
	words := (s.NumItems() + 63) / 64
	liked := make([]uint64, s.NumUsers()*words) // per user, a bitset of liked items
	nLiked := make([]int, s.NumUsers())
	for u, tr := range s.Train {
		for _, i := range tr {
			pairs = append(pairs, pair{int32(u), int32(i)})
			liked[u*words+i/64] |= 1 << (i % 64)
		}
		nLiked[u] = len(tr)
	}
	if len(pairs) == 0 {
		return ErrNoData
	}
	if len(s.Items) < 2 {
		return fmt.Errorf("recommend: bpr: %d items, need 2", len(s.Items))
	}
	rng := rand.New(rand.NewPCG(m.Seed, 0xb9e))
	m.s, m.f = s, f
	m.p, m.q, m.b = make([]float32, s.NumUsers()*f), make([]float32, s.NumItems()*f), make([]float32, s.NumItems())
	for i := range m.p {
		m.p[i] = (rng.Float32() - 0.5) / float32(f)
	}
	for i := range m.q {
		m.q[i] = (rng.Float32() - 0.5) / float32(f)
	}
	m.Losses = nil
	if m.Engine == EngineGoMLX {
		p := &BPRProblem{Users: s.NumUsers(), Items: s.NumItems(), Factors: f, Epochs: epochs,
			LearningRate: float64(lr), Reg: float64(reg), Seed: m.Seed, P: m.p, Q: m.q, B: m.b,
			pairs: pairs, liked: liked, words: words, nLiked: nLiked}
		if err := m.Trainer.TrainBPR(ctx, p); err != nil {
			return fmt.Errorf("recommend: bpr: %w", err)
		}
		if len(p.P) != len(m.p) || len(p.Q) != len(m.q) || len(p.B) != len(m.b) {
			return fmt.Errorf("recommend: bpr: the trainer returned factors of the wrong size")
		}
		m.p, m.q, m.b, m.Losses = p.P, p.Q, p.B, p.Losses
		return nil
	}
	nItems := s.NumItems()
	for epoch := range epochs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var wg sync.WaitGroup
		per := (len(pairs) + workers - 1) / workers
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(m.Seed^uint64(epoch)<<20^uint64(w), 0xb9e))
				n := min(per, len(pairs)-w*per)
				for range n {
					pr := pairs[r.IntN(len(pairs))]
					u, i := int(pr.u), int(pr.i)
					if nLiked[u] >= nItems {
						continue
					}
					set := liked[u*words : (u+1)*words]
					j := r.IntN(nItems)
					for set[j/64]&(1<<(j%64)) != 0 {
						j = r.IntN(nItems)
					}
					m.step(u, i, j, lr, reg)
				}
			}()
		}
		wg.Wait()
	}
	return nil
}

func (m *BPR) step(u, i, j int, lr, reg float32) {
	f := m.f
	pu := m.p[u*f : u*f+f]
	qi, qj := m.q[i*f : i*f+f][:len(pu)], m.q[j*f : j*f+f][:len(pu)]
	x0, x1, x2, x3 := m.b[i]-m.b[j], float32(0), float32(0), float32(0)
	k := 0
	for ; k+4 <= len(pu); k += 4 { // unrolled: Go does not vectorise
		x0 += pu[k] * (qi[k] - qj[k])
		x1 += pu[k+1] * (qi[k+1] - qj[k+1])
		x2 += pu[k+2] * (qi[k+2] - qj[k+2])
		x3 += pu[k+3] * (qi[k+3] - qj[k+3])
	}
	for ; k < len(pu); k++ {
		x0 += pu[k] * (qi[k] - qj[k])
	}
	x := x0 + x1 + x2 + x3
	z := float32(1 / (1 + math.Exp(float64(x))))
	lz, keep := lr*z, 1-lr*reg
	for k := range pu {
		p, a, b := pu[k], qi[k], qj[k]
		pu[k] = keep*p + lz*(a-b)
		qi[k] = keep*a + lz*p
		qj[k] = keep*b - lz*p
	}
	m.b[i] = keep*m.b[i] + lz
	m.b[j] = keep*m.b[j] - lz
}

// scores returns x̂_uj for every item j.
func (m *BPR) scores(u int) []float64 {
	f := m.f
	pu := m.p[u*f : u*f+f]
	out := make([]float64, m.s.NumItems())
	for j := range out {
		qj := m.q[j*f : j*f+f]
		x := m.b[j]
		for k, v := range pu {
			x += v * qj[k]
		}
		out[j] = float64(x)
	}
	return out
}

// Recommend returns the user's top k by x̂; the reason names the liked
// item whose factors are most similar (cosine) to the recommended one's.
func (m *BPR) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(m.s, u, k); err != nil {
		return nil, err
	}
	return likedReasons(m.s, u, k, m.scores(u), m.closestLiked), nil
}

// closestLiked returns the user's training positive whose item factors are
// most similar (cosine) to item j's.
func (m *BPR) closestLiked(u, j int) (int, bool) {
	f := m.f
	qj := m.q[j*f : j*f+f]
	best, bestSim := -1, math.Inf(-1)
	for _, i := range m.s.Train[u] {
		qi := m.q[i*f : i*f+f]
		var dot, ni, nj float64
		for k := range qi {
			dot += float64(qi[k] * qj[k])
			ni += float64(qi[k] * qi[k])
			nj += float64(qj[k] * qj[k])
		}
		if sim := dot / math.Sqrt(ni*nj+1e-12); sim > bestSim {
			best, bestSim = i, sim
		}
	}
	return best, best >= 0
}
