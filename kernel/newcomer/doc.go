// Package newcomer holds end-to-end tests of a newcomer's first hour, run on
// a fresh clone of the repository in a temporary directory with an empty
// HOME: the README's `make lab` with the user's own settings (data fetched
// from a mirror standing in for the public sources), and a workshop kit
// written by `founderlab pack` and installed with `founderlab install
// --from` with no network at all. It has no non-test code.
package newcomer
