package recommend

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Text recommends by what items are: each item's text is embedded (unit
// vectors e_j from a sentence encoder such as MiniLM), a user's profile a is
// the normalised mean of the embeddings of their training positives, and
//
//	s(u, j) = a·e_j + (a W)·(e_j W)
//
// The first term is the pretrained (zero-shot) interest match; W (D×Rank,
// small random start) is fine-tuned on behaviour with the BPR loss: a
// profile built from each user's earlier training positives (the first
// 80 %) must score their later ones above sampled negatives (items the user
// has not liked), so the encoder's space is bent towards what predicts
// later behaviour. Training is mini-batch Adam; each batch's gradient is
// summed over goroutines in a fixed order, so results are reproducible for
// a seed. Epochs < 0 keeps the zero-shot model.
type Text struct {
	Embedder     Embedder    // required unless Embeddings is set
	EmbedderName string      // cache key for the embeddings (e.g. the model name)
	CacheDir     string      // embedding cache ("": the user cache)
	Embeddings   [][]float32 // precomputed item embeddings (optional)

	Rank         int     // columns of W (0: 32)
	Epochs       int     // fine-tuning passes (0: 10; negative: none)
	LearningRate float64 // Adam step (0: 0.005)
	Batch        int     // triples per step (0: 256)
	Seed         uint64

	s      *Split
	emb    [][]float32
	w      []float32 // D×r, row-major
	ew     [][]float32
	d, r   int
	Losses []float64 // mean BPR loss per epoch, from the last Fit
}

// Fit embeds the catalogue (or uses Embeddings) and fine-tunes W.
func (m *Text) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	emb := m.Embeddings
	if emb == nil {
		if m.Embedder == nil {
			return fmt.Errorf("recommend: text model: no Embedder and no Embeddings")
		}
		texts := make([]string, s.NumItems())
		for i, it := range s.Items {
			texts[i] = it.Text
		}
		var err error
		if emb, err = EmbedItems(ctx, m.Embedder, m.EmbedderName, texts, m.CacheDir); err != nil {
			return err
		}
		m.Embeddings = emb
	}
	if len(emb) != s.NumItems() || len(emb[0]) == 0 {
		return fmt.Errorf("recommend: text model: %d embeddings for %d items", len(emb), s.NumItems())
	}
	m.s, m.emb, m.d = s, emb, len(emb[0])
	m.r = m.Rank
	if m.r <= 0 {
		m.r = 32
	}
	rng := rand.New(rand.NewPCG(m.Seed, 0x7e47))
	m.w = make([]float32, m.d*m.r)
	for i := range m.w {
		m.w[i] = float32(rng.NormFloat64() * 0.01)
	}
	m.Losses = nil
	epochs := m.Epochs
	if epochs == 0 {
		epochs = 10
	}
	if epochs > 0 {
		if err := m.train(ctx, epochs, rng); err != nil {
			return err
		}
	}
	m.ew = make([][]float32, len(emb))
	for j, e := range emb {
		m.ew[j] = m.project(e)
	}
	return ctx.Err()
}

// profile returns the normalised mean embedding of items (nil for none).
func (m *Text) profile(items []int) []float32 {
	if len(items) == 0 {
		return nil
	}
	a := make([]float32, m.d)
	for _, i := range items {
		for k, x := range m.emb[i] {
			a[k] += x
		}
	}
	var n float64
	for _, x := range a {
		n += float64(x * x)
	}
	if n = math.Sqrt(n); n > 0 {
		for k := range a {
			a[k] /= float32(n)
		}
	}
	return a
}

// project returns x W.
func (m *Text) project(x []float32) []float32 {
	out := make([]float32, m.r)
	for k, v := range x {
		if v == 0 {
			continue
		}
		row := m.w[k*m.r : (k+1)*m.r]
		for c, w := range row {
			out[c] += v * w
		}
	}
	return out
}

func dot32(a, b []float32) float32 {
	var s float32
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// train runs mini-batch Adam on the BPR loss over (early profile, later
// positive, sampled negative) triples.
func (m *Text) train(ctx context.Context, epochs int, rng *rand.Rand) error {
	type triple struct{ u, i int }
	var pos []triple
	profiles := make([][]float32, m.s.NumUsers())
	liked := make([][]int, m.s.NumUsers())
	for u, tr := range m.s.Train {
		if len(tr) < 2 {
			continue
		}
		cut := len(tr) - max(1, len(tr)/5)
		profiles[u] = m.profile(tr[:cut])
		for _, i := range tr[cut:] {
			pos = append(pos, triple{u, i})
		}
		liked[u] = slices.Sorted(slices.Values(tr))
	}
	if len(pos) == 0 {
		return nil
	}
	batch, lr := m.Batch, float32(m.LearningRate)
	if batch <= 0 {
		batch = 256
	}
	if lr <= 0 {
		lr = 0.005
	}
	const b1, b2, eps = 0.9, 0.999, 1e-8
	mom, vel := make([]float32, len(m.w)), make([]float32, len(m.w))
	step := 0
	nItems := m.s.NumItems()
	for range epochs {
		rng.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
		negs := make([]int, len(pos))
		for t, p := range pos {
			j := rng.IntN(nItems)
			for len(liked[p.u]) < nItems {
				if _, found := slices.BinarySearch(liked[p.u], j); !found {
					break
				}
				j = rng.IntN(nItems)
			}
			negs[t] = j
		}
		var epochLoss float64
		for lo := 0; lo < len(pos); lo += batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+batch, len(pos))
			const chunks = 8
			grads := make([][]float32, chunks)
			losses := make([]float64, chunks)
			per := (hi - lo + chunks - 1) / chunks
			parallelFor(ctx, chunks, func(c int) {
				g := make([]float32, len(m.w))
				diff := make([]float32, m.d)
				for t := lo + c*per; t < min(lo+(c+1)*per, hi); t++ {
					a, ei, ej := profiles[pos[t].u], m.emb[pos[t].i], m.emb[negs[t]]
					for k := range diff {
						diff[k] = ei[k] - ej[k]
					}
					aw, dw := m.project(a), m.project(diff)
					x := dot32(a, diff) + dot32(aw, dw)
					losses[c] += math.Log1p(math.Exp(-float64(x)))
					z := float32(1 / (1 + math.Exp(float64(x)))) // −∂loss/∂x
					// ∂x/∂W = a (diff W)ᵀ + diff (a W)ᵀ; we descend on −z·∂x/∂W.
					for k := 0; k < m.d; k++ {
						row := g[k*m.r : (k+1)*m.r]
						ak, dk := a[k]*z, diff[k]*z
						for c2 := range row {
							row[c2] -= ak*dw[c2] + dk*aw[c2]
						}
					}
				}
				grads[c] = g
			})
			n := float32(hi - lo)
			step++
			c1 := 1 - math.Pow(b1, float64(step))
			c2 := 1 - math.Pow(b2, float64(step))
			for k := range m.w {
				var g float32
				for c := range grads {
					if grads[c] != nil {
						g += grads[c][k]
					}
				}
				g /= n
				mom[k] = b1*mom[k] + (1-b1)*g
				vel[k] = b2*vel[k] + (1-b2)*g*g
				m.w[k] -= lr * float32(float64(mom[k])/c1) / (float32(math.Sqrt(float64(vel[k])/c2)) + eps)
			}
			for _, l := range losses {
				epochLoss += l
			}
		}
		m.Losses = append(m.Losses, epochLoss/float64(len(pos)))
	}
	return nil
}

// scores returns s(u, j) for every item j from the user's whole training
// set, plus a popularity tie-break of at most 1e-6.
func (m *Text) scores(u int) []float64 {
	out := popTieBreak(m.s)
	a := m.profile(m.s.Train[u])
	if a == nil {
		return out
	}
	aw := m.project(a)
	for j, e := range m.emb {
		out[j] += float64(dot32(a, e) + dot32(aw, m.ew[j]))
	}
	return out
}

// zeroShotScores returns the pretrained term a·e_j alone for every item
// j, plus the popularity tie-break.
func (m *Text) zeroShotScores(u int) []float64 {
	out := popTieBreak(m.s)
	a := m.profile(m.s.Train[u])
	if a == nil {
		return out
	}
	for j, e := range m.emb {
		out[j] += float64(dot32(a, e))
	}
	return out
}

// Recommend returns the user's top k by s(u, j); the reason names the
// liked item whose text is closest (cosine of the embeddings) — "similar
// plot to" when the recommended item's text has a description.
func (m *Text) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(m.s, u, k); err != nil {
		return nil, err
	}
	top := topK(m.scores(u), trainSet(m.s, u), k)
	out := make([]Recommendation, len(top))
	for r, x := range top {
		out[r] = Recommendation{Item: x.item, Title: m.s.Items[x.item].Title, Score: x.score, Reason: m.reason(u, x.item)}
	}
	return out, nil
}

func (m *Text) reason(u, j int) string {
	best, bestSim := -1, float32(math.Inf(-1))
	for _, i := range m.s.Train[u] {
		if sim := dot32(m.emb[i], m.emb[j]); sim > bestSim {
			best, bestSim = i, sim
		}
	}
	switch {
	case best < 0:
		return popReason(m.s.Pop[j])
	case m.s.Items[j].Described && m.s.Items[best].Described:
		return "similar plot to " + m.s.Items[best].Title
	default:
		return "similar to " + m.s.Items[best].Title
	}
}
