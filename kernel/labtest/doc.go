// Package labtest holds the browser tests of the kernel distribution: a real
// JupyterLab (from the .venv made by scripts/test-deps.sh) with the
// FounderLab kernel installed in a temporary directory, driven by headless
// Debian Chromium through the DevTools protocol. It has no code of its own
// beyond test helpers.
package labtest
