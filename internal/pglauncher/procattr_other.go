//go:build unix && !linux

package pglauncher

import "syscall"

// sysProcAttr answers the process attributes of the PostgreSQL programs: their own process
// group, so that a Ctrl-C meant for us reaches them only through Stop, in order, and
// owner's identity when it is not nil. Only Linux can stop them when we die
// (Pdeathsig); elsewhere a server outlives a crash of ours, and the next Start on its
// data dir fails, naming it, until it is stopped.
func sysProcAttr(owner *osUser) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if owner != nil {
		attr.Credential = owner.credential()
	}
	return attr
}
