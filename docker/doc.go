// Package docker holds the tests of FounderLab's container images; it has
// no code of its own.
//
// The images are defined by Dockerfile (CPU: JupyterLab, the Go kernel, the
// library pre-compiled, XLA's CPU plugin and the workshop kit's data sets
// and model baked in) and Dockerfile.cuda (the same plus XLA's CUDA plugin
// and the NVIDIA libraries); .binder/Dockerfile is a link to Dockerfile.
// test.sh builds the CPU image with podman and runs it as a user would.
//
// The tests here are of two kinds. The static ones run everywhere with go
// test and need neither a container engine nor the network: every version
// is pinned, Go is the version go.mod needs, the files the Dockerfiles copy
// exist, the Python packages cover scripts/jupyter-requirements.txt. The
// browser test, TestLabInContainer, drives a JupyterLab that test.sh has
// started in a container; it is skipped unless FOUNDERLAB_DOCKER_LAB_URL
// names one.
package docker
