// Package swot implements the feasibility chapter (seed §3.2.2–3.2.4): a
// weighted SWOT analysis with its TOWS strategy matrix and feasibility
// score, a technology readiness level (TRL) assessment, a cost–benefit
// analysis with sensitivity, and a competitor feature matrix.
//
// # Weighted SWOT
//
// Each [Factor] in a quadrant (strengths S, weaknesses W, opportunities O,
// threats T) carries a weight w > 0 (its importance) and a rating r on the
// analysis' [Scale] (1–5 by default: how strong the strength is, how severe
// the weakness is, and so on). Weights are normalised within their quadrant,
// w̃ᵢ = wᵢ / Σⱼ wⱼ, so a quadrant score is the weighted mean rating
//
//	Q = Σᵢ w̃ᵢ rᵢ,   Q ∈ [scale.Min, scale.Max] (0 for an empty quadrant).
//
// A factor's contribution cᵢ = w̃ᵢ rᵢ sums to its quadrant score.
// [Chart] draws any SWOT matrix from four lists; [Scores.QuadrantChart]
// draws a scored one, factors ranked by contribution.
//
// # Feasibility score
//
// The seed prints the score (§4.2.2) as
//
//	(S₊ + S₊) / (S₊ + S₋ + W₊ + W₋ + T₊ + T₋)
//
// and its legend names the six terms: S₊ technical strength, S₋ technical
// weakness, W₊ market opportunity, W₋ market threat, T₊ technical
// opportunity, T₋ technical threat. (The letters are not the SWOT
// quadrants: S is the technology itself, W the market, T the technical
// environment.) Opportunities are in the denominator; the typo is the
// numerator, which repeats S₊. Its evident intent is the share of the
// positive factors. [SeedTerms.Feasibility] evaluates both readings
// ([Reading]) over six explicit terms:
//
//	Intended: (S₊ + W₊ + T₊) / (S₊ + S₋ + W₊ + W₋ + T₊ + T₋) ∈ [0, 1]
//	Printed:  (S₊ + S₊)      / (S₊ + S₋ + W₊ + W₋ + T₊ + T₋)
//
// Read as printed, an opportunity only enlarges the denominator (the more
// opportunity, the lower the score), and the value exceeds 1 once S₊
// outweighs the other five terms together.
//
// [Scores.Seed] feeds the formula the quadrant scores: S₊ = S, S₋ = W, and
// the market and technical opportunities and threats together,
// W₊ + T₊ = O and W₋ + T₋ = T. Both readings depend on those two sums only,
// so no split is needed: the intended reading is (S + O)/(S + W + O + T)
// and the printed one 2S/(S + W + O + T). The intended reading is then the
// classic SWOT view of feasibility, the favourable quadrants against all,
// which [Scores.Feasibility] computes directly:
//
//	F = (S + O) / (S + W + O + T),   F ∈ [0, 1], F = ½ when the favourable
//	and unfavourable sides balance.
//
// # TOWS
//
// The TOWS matrix (Weihrich 1982, "The TOWS matrix — a tool for situational
// analysis", Long Range Planning 15(2)) pairs internal with external factors:
// SO (use strengths to seize opportunities), ST (use strengths against
// threats), WO (fix weaknesses through opportunities), WT (defend). [TOWS]
// ranks every pair in a cell by the product of the two contributions cᵢ·cⱼ;
// hand-written [Strategy] entries are scored the same way over the factors
// they use.
//
// # Technology readiness
//
// [AssessTRL] reads an evidence checklist against the nine levels of the
// EU Horizon 2020 TRL scale (General Annex G, 2014; after NASA, Mankins 1995):
// the level reached is the highest L whose items, and those of every level
// below it, are all evidenced.
//
// # Cost–benefit
//
// A [CostBenefit] is a set of named cost and benefit lines over periods
// t = 0…N at a discount rate r. Net flows CFₜ give
//
//	NPV(r) = Σₜ CFₜ / (1+r)ᵗ,   IRR: NPV(IRR) = 0,
//	ROI = (ΣB − ΣC) / ΣC,      payback: the time the cumulative
//	(optionally discounted) net flow turns non-negative for good,
//	interpolated within the period.
//
// [CostBenefit.Tornado] varies each line and the rate by ±δ and ranks the
// inputs by the swing they cause in NPV.
//
// # Files
//
// [Load] reads an [Analysis] from YAML or JSON (by extension), rejecting
// unknown fields and reporting validation errors with the field path and,
// for YAML, the line; [Save] writes atomically (temporary file, fsync,
// rename).
package swot
