//go:build !linux

package hub

import "errors"

// Confine applies l to the calling process for the learner called name.
// Only Linux is supported: elsewhere nothing is enforced.
func Confine(name string, l Limits) (Enforced, error) {
	if err := l.Validate(); err != nil {
		return Enforced{}, err
	}
	return Enforced{CgroupErr: errors.New("control groups and RLIMIT_CPU need Linux")}, nil
}

// Release does nothing where control groups are not supported.
func Release(group string) error { return nil }
