// Package canvas implements the business-model chapter (seed §4.1.2–4.2.x):
// the nine-block Business Model Canvas (Osterwalder & Pigneur, Business Model
// Generation, 2010), a month-by-month revenue and cost simulation with its
// break-even month and unit economics, pricing methods, and the Van
// Westendorp price sensitivity meter.
//
// # Canvas
//
// A [Canvas] holds the nine blocks ([Block]); revenue-stream and
// cost-structure items carry a monthly amount. The seed's formula (§4.2.3)
// names its M only "the business model"; this package reads it as one
// interpretation, the ratio of revenue to cost over the canvas' two
// money blocks:
//
//	M = ΣR / ΣC   (M > 1: revenues cover costs).
//
// [Canvas.HTML] renders the canvas as the familiar print-friendly grid.
//
// # Simulation
//
// A [Model] is a set of revenue [Stream]s and [FixedCost]s over a horizon
// of months. Each stream has its own customers (subscribers, accounts,
// users): with churn c and nₜ new customers in month t,
//
//	Nₜ = Nₜ₋₁ (1 − c) + nₜ,   nₜ = n₁ (1 + g)ᵗ⁻¹,
//
// and earns, per month,
//
//	subscription  Nₜ · price                  (per subscriber-month)
//	saas          Nₜ · seats · price          (accounts × seats)
//	advertising   Nₜ · impressions/1000 · CPM (price is the CPM)
//	vas           Nₜ · attach rate · price    (value-added services)
//	usage         Nₜ · units · price          (metered)
//
// Variable costs are a share of revenue plus a serving cost per customer;
// acquisition costs are nₜ · CAC. [Simulate] returns every month, the
// operating break-even month (first month with profit ≥ 0) and the
// cumulative one (first month the running total is ≥ 0).
//
// # Unit economics
//
// Per stream, in steady state: ARPU is the monthly revenue per customer;
// gross margin GM = (ARPU − variable cost per customer)/ARPU; the expected
// lifetime of a customer under constant monthly churn c is 1/c months
// (geometric), so
//
//	LTV = ARPU · GM / c,   LTV/CAC,   CAC payback = CAC / (ARPU · GM) months.
//
// [Simulation.Blended] computes the same quantities from the simulated
// totals (ARPU per customer-month, churn per customer at risk).
//
// # Pricing
//
// [CostPlus], [ValueBased] (economic value to the customer, Nagle & Müller,
// The Strategy and Tactics of Pricing, 6th ed., ch. 2) and
// [CompetitionBased]; [VanWestendorp] computes the price sensitivity meter
// (Van Westendorp, "NSS Price Sensitivity Meter", ESOMAR Congress 1976)
// from survey answers: the four cumulative curves and their intersections
// PMC, OPP, IPP and PME, with the definitions of the R package
// pricesensitivitymeter, whose published analyses the tests reproduce.
// [ReadPSM] and [LoadPSM] read the answers from a CSV with a header row, up
// to a size limit; a bad table is a [*csvtable.ParseError] with the line
// and column, wrapping a sentinel such as [csvtable.ErrNotNumber] that
// callers test with errors.Is.
package canvas
