// Package metrics scores models against scikit-learn's definitions:
// classification metrics (accuracy, precision, recall, F1, the confusion
// matrix, the ROC curve with its area) and clustering metrics (the
// silhouette, the Calinski–Harabasz and Davies–Bouldin indices, the
// adjusted Rand index).
//
// # Classification
//
// Classes are the integers 0..K-1. A [Confusion] matrix counts, for every
// pair (true class t, predicted class p), how many examples of class t were
// predicted as p. From it, for a class c:
//
//	precision(c) = TP / (TP + FP)   the share of predictions of c that are right
//	recall(c)    = TP / (TP + FN)   the share of examples of c that are found
//	F1(c)        = 2·precision·recall / (precision + recall)
//
// where TP = Counts[c][c], FP = Σ_{t≠c} Counts[t][c] and FN = Σ_{p≠c}
// Counts[c][p]. A ratio whose denominator is zero is 0, as in scikit-learn
// with zero_division=0. Macro averages weigh every class equally; weighted
// averages weigh each class by its number of true examples (its support).
//
// For a binary task (class 1 is the positive class) [ROC] sweeps a threshold
// over the scores and [ROCAUC] integrates the true-positive rate over the
// false-positive rate with the trapezoidal rule. That area equals the
// probability that a random positive scores higher than a random negative,
// counting ties as one half (the Mann–Whitney U statistic divided by n₊·n₋;
// Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27,
// 2006). The values agree with scikit-learn's accuracy_score,
// precision_recall_fscore_support, confusion_matrix, roc_curve and
// roc_auc_score (see the package tests).
//
// # Clustering
//
// A clustering of N points, the rows of X (N×D, [][]float64), is a label
// per row. Labels may be any non-negative ints: they are renumbered by rank
// in O(N) memory, so a label of 1<<40 costs nothing. Three metrics score a
// clustering by its geometry alone, with K the number of clusters, μ_k
// the mean of cluster k and μ the mean of all rows:
//
//	silhouette         s(i) = (b − a)/max(a, b), averaged over the rows: a is the
//	                   mean distance of row i to its own cluster, b the smallest
//	                   mean distance to another; in [−1, 1], higher is better
//	Calinski–Harabasz  [Σ_k n_k ||μ_k − μ||² / (K−1)] / [Σ_k Σ_{x∈C_k} ||x − μ_k||² / (N−K)],
//	                   between- over within-cluster dispersion; higher is better
//	Davies–Bouldin     (1/K) Σ_i max_{j≠i} (s_i + s_j)/||μ_i − μ_j||, s_k the mean
//	                   distance of cluster k's rows to μ_k; lower is better
//
// They need 2 ≤ K ≤ N−1. The exact silhouette costs O(N²·D);
// [SilhouetteSample] computes it on a seeded random subset, as
// scikit-learn's sample_size. [AdjustedRand] compares two labelings of the
// same rows, for example a clustering with known groups: 1 for the same
// partition up to renaming, about 0 for independent ones.
//
// Inputs must be finite, and rows so large that a sum of N squared
// distances would overflow float64 (Euclidean norms beyond about 1e150)
// are an error wrapping [ErrOverflow] rather than a NaN or Inf result:
// standardise such columns first. The values agree with scikit-learn's
// silhouette_score, silhouette_samples, calinski_harabasz_score,
// davies_bouldin_score and adjusted_rand_score to 1e-6 relative (golden
// files written by scripts/golden-persona.py).
package metrics
