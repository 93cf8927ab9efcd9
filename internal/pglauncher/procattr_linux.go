package pglauncher

import "syscall"

// sysProcAttr answers the process attributes of the PostgreSQL programs: their own process
// group, so that a Ctrl-C meant for us reaches them only through Stop, in order; SIGINT
// (fast shutdown) when the thread that started them dies, so that no server outlives us;
// and owner's identity when it is not nil.
func sysProcAttr(owner *osUser) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGINT}
	if owner != nil {
		attr.Credential = owner.credential()
	}
	return attr
}
