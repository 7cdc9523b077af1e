// Package book builds the course as a static web site: every chapter
// notebook executed, rendered with its charts and math, and bound together
// with a course map, a sidebar of chapters, tables of contents and
// previous/next links.
//
// # Chapters and editions
//
// A chapter is a notebook in the notebooks directory, in file-name order
// (00-welcome.ipynb, 02-personas.ipynb, …); whatever notebooks are there
// make the book, so a new chapter needs no change here. Its title is the
// first heading of its first Markdown cell (without the "2 · " number), its
// summary the first sentence of the first paragraph after it, and its
// place in the seed the first "§3.2.1"-style section (or "the seed's
// chapter 5") that cell cites. Notebook metadata overrides each:
// metadata.founderlab.title, .summary and .seed. Its key figure, shown on
// the course map, is the static image of the output of the first cell
// tagged "key-figure", else of its first chart.
//
// The English edition is notebooks/*.ipynb; the Chinese edition, when
// notebooks/zh/ exists, is notebooks/zh/*.ipynb and is built beside it in
// zh/, each page linking to its namesake in the other edition.
//
// # Executed notebooks and reuse
//
// The book shows outputs, and the notebooks in the repository carry none,
// so each chapter is executed through the caller's [Executor] (the
// founderlab command passes the runner that `founderlab run` uses). An
// executed copy records in its metadata (metadata.founderlab.book) the
// content hash of the source notebook — the sha256 of its cells' types and
// sources, outputs and injected parameter cells left out — and the
// parameters it ran with. Executed copies are kept in [Options.Cache]; a
// later build reuses a copy whose hash and parameters match and executes
// the others. [Options.From] names a directory of notebooks executed
// elsewhere (CI's artifacts/notebooks): a notebook there whose content
// hash matches the source is used as it is.
//
// # The site
//
//	index.html            course map: seed section → chapter, summary, key figure
//	NAME.html             one page per chapter
//	notebooks/NAME.ipynb  the chapter's notebook, as in the repository
//	figures/NAME.svg      key figures
//	assets/book.css       the stylesheet
//	assets/echarts.js     ECharts, once for the whole site
//	assets/katex/         KaTeX's stylesheet and WOFF2 fonts (and script
//	                      when math is rendered in the browser)
//	zh/…                  the Chinese edition, the same layout
//
// Every link is relative and nothing is fetched from elsewhere, so the site
// works from file:// and from any static host. Math is rendered to HTML at
// build time (see notebook.MathServer); charts draw with the shared
// ECharts and show their static SVG where scripts do not run. Every file is
// written atomically, and [Build] ends by checking that no internal link
// is dead ([CheckLinks]).
package book
