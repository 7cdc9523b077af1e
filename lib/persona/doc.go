// Package persona turns survey and behaviour data into user personas: it
// loads profiles from CSV with a typed schema, preprocesses them into a
// numeric matrix, clusters the rows with k-means, helps choose the number of
// clusters, and describes every cluster as a persona card.
//
// # The pipeline
//
//	tab, _ := persona.Load("survey.csv", schema)            // typed profiles
//	enc, _ := persona.FitEncoder(tab, persona.Prep{...})    // scaling, one-hot
//	X, _ := enc.Transform(tab)                              // N×D matrix
//	m, _ := persona.KMeans{K: 4, Seed: 1}.Fit(ctx, X)       // clusters
//	cards, _ := persona.Describe(enc, X, m, persona.CardOptions{})
//	gonbui.DisplayHTML(cards.HTML())                        // personas
//
// [Encode] joins the first steps (fit the encoder, transform the table) into
// an [Encoded]; [EncodeWholesale] and [EncodeSurvey] do it for the two data
// sets of chapter 2 with their preparations ([WholesalePrep], [SurveyPrep]).
//
// # Profiles
//
// A [Schema] names the columns to read and gives each a [Kind] (numeric or
// categorical) and a [Group] (demographic, behavioural, psychographic).
// [Read] and [Load] parse CSV with a header row into [Profiles], one typed
// row per person; every error names the input, the line and the column
// (a [*ParseError], for programs), so a bad cell in a 10,000-row export
// can be found at once. Columns with an empty header (which spreadsheet
// exports add, sometimes with notes in them) are ignored.
//
// # Preprocessing
//
// k-means measures Euclidean distance, so every feature must be on a
// comparable scale. [Prep] chooses, per numeric column, log1p (for skewed
// amounts such as spending, x ↦ ln(1+x)) followed by standardisation
// (z = (x − mean)/sd, population sd as in scikit-learn's StandardScaler),
// min-max scaling (x ↦ (x − min)/(max − min)) or nothing, and one-hot codes
// every categorical column. The fitted [Encoder] remembers the parameters and
// inverts them, so centroids are reported in the original units (a centroid
// in log1p space maps back to expm1 of it: the geometric-style centre of
// the cluster's amounts). Constant columns cannot be scaled and are errors.
//
// # K-means
//
// Given points x_1..x_N in R^D, k-means looks for centroids μ_1..μ_K and an
// assignment of points to clusters C_1..C_K that minimise the within-cluster
// sum of squares (the inertia)
//
//	J = Σ_k Σ_{x ∈ C_k} ||x − μ_k||².
//
// Lloyd's algorithm alternates two steps that never increase J: assign
// every point to its nearest centroid, then move every centroid to the mean
// of its points. It converges to a local minimum, so the result depends on
// the start: [KMeans] starts from k-means++ seeds (Arthur and Vassilvitskii,
// 2007; the greedy variant that samples 2+ln K candidates per step, as
// scikit-learn does), restarts NInit times and keeps the lowest inertia.
// A cluster that loses all its points takes over the point farthest from
// its centroid. Convergence follows scikit-learn: stop when the assignment
// does not change, or when Σ_k ||μ_k' − μ_k||² ≤ Tol · mean_j Var(x_j).
//
// Two engines compute the same iterations. The CPU engine streams the rows
// in blocks through all K centroids using ||x − μ||² = ||x||² − 2x·μ + ||μ||²
// (only the last two terms matter for the argmin), in AVX2/FMA assembly on
// amd64 (pure Go elsewhere), over goroutines, with float64 accumulation;
// memory is O(N·D + K·D) and no N×K matrix exists.
// The GoMLX engine, in package lib/persona/accel, builds the same step as a
// graph (run on XLA when a PJRT plugin is installed, otherwise on the
// pure-Go SimpleGo backend), over row chunks so the N×K distance block
// stays bounded. It is a package of its own, passed in as
// [KMeans.Accelerator], so that programs clustering on the CPU do not link
// GoMLX and XLA (a notebook cell then links in about a second instead of
// several). [EngineAuto] picks it only when it reports an accelerator
// backend. [CompareEngines] fits the same k-means on both engines.
//
// Fit checks its input before it starts: values must be finite, and the
// rows must be small enough that a sum of N squared distances fits in a
// float64 (Euclidean row norms up to about 1e150; the exact bound is in
// the error). Larger values would turn distances into +Inf and the result
// into nonsense, so they are an error wrapping [ErrOverflow] rather than a
// silent rescaling: scale such columns first ([FitEncoder] does). [PCA],
// [Objective], [Model.Predict] and the cluster metrics of package metrics
// apply the same check, and [FitEncoder] reports a column whose mean, sd
// or range overflows.
//
// For very large N, [KMeans.BatchSize] switches to mini-batch k-means
// (Sculley, 2010) on the CPU engine: every step draws a random batch,
// assigns it, and moves each centroid towards its batch points with a
// per-centroid learning rate 1/count.
//
// # Choosing K
//
// [Sweep] fits every K in a range and reports, per K, the inertia (for the
// elbow, whose knee [Knee] finds as the point of log J farthest below the
// chord), the mean silhouette s = (b − a)/max(a, b) (exact in O(N²·D), or on a seeded
// sample for large N), the Calinski–Harabasz index (between- over
// within-cluster dispersion, scaled by (N−K)/(K−1)) and the Davies–Bouldin
// index (mean over clusters of the worst (s_i + s_j)/d(μ_i, μ_j)). The
// metrics are those of package metrics (metrics.Silhouette and the
// others take the rows as [][]float64: [Matrix.RowSlices]); they agree
// with scikit-learn's to 1e-6 relative, and so do the fits, which golden
// files made by scripts/golden-persona.py check. metrics.AdjustedRand
// scores a clustering against known groups.
//
// # Persona cards
//
// [Describe] summarises every cluster: its share of the rows, its centroid
// in original units, the features that distinguish it most (the z-score of
// the cluster mean against the population, in the space the clustering
// used; for a category, its share in the cluster against its share in the
// population), and a suggested name built from the strongest features.
// [Card.Markdown] and [Cards.HTML] render them.
//
// # Charts
//
// [ElbowChart], [SilhouetteChart], [ScatterChart] (PCA projection coloured
// by persona), [RadarChart] (z-scores of the centroids) and [SizesChart]
// build lib/charts charts from these results; show them in a notebook cell
// with charts.Show. The data behind them is also available as plain slices
// ([Selection.Ks], [Selection.Inertias], [Cards.Radar], [PCA], ...).
package persona
