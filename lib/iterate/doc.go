// Package iterate implements the product-iteration chapter (seed §4.2.x):
// the seed's value model over a feedback series, and the measurements that
// validate an MVP — A/B tests of conversion rates, NPS and CSAT surveys,
// funnel conversion and RICE backlog prioritisation.
//
// # Value model
//
// The seed tracks perceived product value V as feedback Rₖ arrives:
//
//	Vₖ = Vₖ₋₁ + α (Rₖ − Vₖ₋₁),   0 < α ≤ 1,
//
// an exponentially weighted moving average: Vₖ = (1−α)ᵏ V₀ + Σᵢ α(1−α)ᵏ⁻ⁱ Rᵢ.
// α sets the memory: the weight of a reading halves after h = ln ½ / ln(1−α)
// steps ([AlphaForHalfLife] inverts this), and the average has the same
// mean age as a simple moving average over (2−α)/α readings
// ([EffectiveWindow]). A small α smooths noise but lags real change; [FitAlpha]
// picks the α that best predicts the next reading (least one-step-ahead
// squared error). V₀ is the prior value before any feedback: the mean of
// the first few readings ([StartValue]) avoids the early bias that an
// arbitrary V₀ = 0 would cause, which decays only as (1−α)ᵏ.
//
// # A/B tests
//
// Two conversion rates p̂₁ = x₁/n₁ and p̂₂ = x₂/n₂ are compared with the
// two-proportion z-test (pooled p̂ = (x₁+x₂)/(n₁+n₂)):
//
//	z = (p̂₂ − p̂₁) / √(p̂(1−p̂)(1/n₁ + 1/n₂)),   p = 2(1 − Φ(|z|)),
//
// with the Wald interval p̂₂ − p̂₁ ± z₁₋α/₂ √(p̂₁q̂₁/n₁ + p̂₂q̂₂/n₂). Power and
// sample size per group use the normal approximation of R's
// power.prop.test (Fleiss, Levin & Paik, Statistical Methods for Rates and
// Proportions, 3rd ed., §4.2, without continuity correction):
//
//	n = (z₁₋α/₂ √(2p̄q̄) + z₁₋β √(p₁q₁ + p₂q₂))² / (p₁ − p₂)²,  p̄ = (p₁+p₂)/2.
//
// # Surveys, funnels, backlog
//
// NPS (Reichheld 2003) is the percentage of promoters (9–10) minus that of
// detractors (0–6) on the 0–10 scale; CSAT the percentage of 4–5 answers on
// a 1–5 scale. A [Funnel] gives step and overall conversion. RICE (Intercom)
// scores a backlog item as Reach × Impact × Confidence / Effort; [RICE]
// reports every invalid item by name (effort must be > 0) and a score
// beyond float64's range as an error wrapping [ErrOverflow], so the scores
// it returns are finite.
//
// # Files
//
// [LoadPlan] reads the YAML fixture of experiments, funnel and backlog
// strictly (unknown fields and fractional counts are errors with their
// line). [ReadColumns] and [LoadColumns] read named numeric columns of a CSV
// with a header row, up to a size limit; a bad table is a
// [*csvtable.ParseError] with the line and column, wrapping a sentinel such
// as [csvtable.ErrNotNumber] that callers test with errors.Is.
package iterate
