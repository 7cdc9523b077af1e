// Package hub runs a JupyterHub for a workshop on one machine: every
// learner gets a JupyterLab server with the FounderLab kernel and a private
// copy of the notebooks, without Unix accounts or containers.
//
// The model:
//
//   - The hub is JupyterHub (PyPI, pinned in scripts/hub-requirements.txt)
//     with its configurable-http-proxy (npm, pinned), both listening on
//     loopback unless told otherwise. [WriteConfig] writes its
//     jupyterhub_config.py from a [Config]; [Start] runs it and waits
//     until its REST API answers.
//   - Learners log in with a name of their choice and the workshop's shared
//     password (JupyterHub's DummyAuthenticator with a password). A learner
//     is a name, not a Unix user.
//   - Each learner's server is started by JupyterHub's
//     SimpleLocalProcessSpawner: a process of the hub's own Unix user whose
//     HOME is <state>/learners/<name>. The server is started through
//     "founderlab hub learner", which calls [SeedNotebooks] (copy the
//     course notebooks into the learner's home, never overwriting one the
//     learner already has) and [Confine] (limits), then executes the
//     single-user server.
//   - Build caches are shared: every learner's kernel uses the hub user's
//     GOCACHE, module cache and FounderLab caches (data sets, models, the
//     XLA plugin), so the library that "founderlab install" pre-compiled is
//     not compiled again for each learner. Go's build cache is safe for
//     concurrent use by several processes.
//
// Isolation. Learners are separated by convention, not by the operating
// system: each has its own HOME, notebook directory, Jupyter runtime
// directory and token, and the hub only routes a learner's requests to
// that learner's server. But every server runs as the same Unix user, so a
// learner's code (a cell, a "!" shell line) can read and write the other
// learners' files and signal their processes. That is acceptable for a
// room of people learning together on a throw-away machine; it is not a
// security boundary, and a hub reachable from an untrusted network needs
// real users (JupyterHub's LocalProcessSpawner with Unix accounts) or
// containers.
//
// Resource limits ([Limits]) are what keeps one learner's runaway cell
// from taking the others down. Where the kernel lets the hub's user create
// control groups (cgroup v1 "memory" and "cpu" hierarchies, or cgroup v2
// with those controllers), each learner's server and everything it starts
// share one group with a memory ceiling (the kernel's OOM killer ends the
// largest process of that learner, typically the cell's program) and a CPU
// quota (a cell looping forever gets at most its share of the cores). On
// every Linux system a per-process CPU-time limit (RLIMIT_CPU) also ends
// any single process, a cell's program included, that has used more than
// Limits.CPUTime of processor time. [Confine] reports what it could
// enforce; "founderlab hub" prints it.
package hub
