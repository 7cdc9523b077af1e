// Package recommend ranks items for users from their behaviour and from the
// items' text, as in the seed's §6.3 (personalised recommendation): a
// recommender that sees only who liked what misses what the items are, so
// the text of the items a user liked (title, genres, tags, a description)
// is embedded by a pretrained language model, fine-tuned on the users' later
// behaviour, and combined with behavioural scores by a learned ranker.
//
// # Protocol
//
// The evaluation protocol is fixed (see [NewSplit] and [Evaluate]):
//
//   - Implicit feedback: a rating of at least 3.5 stars is a positive; other
//     ratings are ignored.
//   - Per user, positives are ordered by time (ties by item); the last 20 %
//     (n/5 rounded down, at least one) are the user's test set, the rest
//     the training set. A user with one positive has an empty training set.
//   - Candidates for a user are all catalogue items not among the user's
//     training positives (items nobody rated are candidates too).
//   - Metrics over the top k = 10 (averaged over users with a test set):
//     Recall@k = |top-k ∩ test| / |test|; NDCG@k = DCG/IDCG with
//     DCG = Σ_{r≤k, item r in test} 1/log₂(r+1) and IDCG the DCG of
//     min(k, |test|) hits; catalogue coverage@k = distinct items in all
//     users' top-k / catalogue size; cold-start Recall@k = of all test
//     positives whose item has no training interaction (by anyone), the
//     fraction found in that user's top-k (pooled over users).
//   - Everything random (negative sampling, initialisation, validation
//     split) takes a seed; equal seeds give equal results.
//
// # Models
//
// Every model implements [Recommender]: Fit on a [Split], then Recommend
// top-k items for a user, each with a score and a reason a person can read.
//
//   - [Popularity]: score = number of training positives of the item.
//   - [ItemKNN]: cosine similarity of item columns of the binary
//     user×item matrix, sim(i,j) = |U_i ∩ U_j| / √(|U_i|·|U_j|); a user's
//     score for j is Σ_{i∈train(u)} sim(i,j) over j's top neighbours.
//   - [BPR]: matrix factorisation x̂_uj = p_u·q_j + b_j trained with
//     Bayesian personalised ranking (Rendle et al. 2009): for a user u,
//     a positive i and a sampled negative j, maximise ln σ(x̂_ui − x̂_uj)
//     − λ(‖p_u‖² + ‖q_i‖² + ‖q_j‖²) by stochastic gradient ascent. Two
//     engines ([Engine]): [EngineGo] runs the epochs in parallel lock-free
//     (Hogwild, Recht et al. 2011) in pure Go; [EngineGoMLX] runs them as
//     mini-batch steps of a GoMLX graph (gather, loss, automatic
//     differentiation, optimizer) through a [BPRTrainer] — package
//     lib/recommend/mfgomlx, kept apart so that this package does not link
//     GoMLX. bench/README.md compares their quality and speed.
//   - [Text]: each item's text is embedded (MiniLM mean pooling, unit
//     vectors e_j); a user's profile is the mean m_u of the embeddings of
//     their training positives. The zero-shot score is the cosine-like
//     m_u·e_j; fine-tuning adds a learned low-rank term
//     (m_u W)·(e_j W) trained with the BPR loss on the training positives
//     (W starts small, so training starts from the pretrained score).
//     Text scores items nobody has rated, which behaviour cannot.
//   - [EASE]: a closed-form linear item-item model (Steck 2019): with
//     G = XᵀX + λI over the items with at least 10 training positives,
//     B = I − G⁻¹·diag(1/diag(G⁻¹)); a user's score for j is
//     Σ_{i∈train(u)} B_ij.
//   - [Hybrid]: two stages. Candidates are the union of the top 100 of
//     BPR, item-kNN (from the whole history and from the latest 10
//     positives), EASE, Text, and the items most liked in the year before
//     and the year after the user's last training positive (other users'
//     training positives); a ranker ([Ranker]: a logistic regression by
//     default, a pairwise one, or a small MLP) scores them on
//     standardised features ([Features]: the base scores and a "what
//     comes next" score — how often other users liked the item within
//     their next 10 positives after one of the user's latest 10 —
//     standardised over each user's candidates; log popularity, overall
//     and in the year before the user's last positive; item recency). It is trained on a validation
//     split carved from training (each user's last 20 % of training
//     positives), on the same kind of candidate lists, then the base
//     models are refitted on the whole training set. The last place of
//     each list goes to the best zero-shot text match (MiniLM cosine to the
//     user's profile) among items nobody has liked yet (cold start).
//
// Item embeddings are cached on disk by [EmbedItems], keyed by the model
// name and a hash of the texts, and written atomically.
package recommend
