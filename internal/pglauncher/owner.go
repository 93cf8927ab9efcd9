package pglauncher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// ServerUser is the OS user that runs the cluster when the calling process is root:
// PostgreSQL refuses to run as root.
const ServerUser = "postgres"

// osUser is the identity the PostgreSQL programs run as when it differs from ours.
type osUser struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32
}

// serverUser answers the user to run PostgreSQL as: nil (ourselves) unless we are root.
func serverUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(ServerUser)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the %q OS user, which is missing "+
			"(create it, e.g. with apt-get install postgresql, or run as another user): %w", ServerUser, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %s: uid %q: %w", u.Username, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %s: gid %q: %w", u.Username, u.Gid, err)
	}
	groups, err := groupIDs(u)
	if err != nil {
		return nil, err
	}
	return &osUser{name: u.Username, uid: uint32(uid), gid: uint32(gid), groups: groups}, nil
}

func groupIDs(u *user.User) ([]uint32, error) {
	ids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("groups of user %s: %w", u.Username, err)
	}
	groups := make([]uint32, 0, len(ids))
	for _, id := range ids {
		n, err := strconv.ParseUint(id, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("user %s: group id %q: %w", u.Username, id, err)
		}
		groups = append(groups, uint32(n))
	}
	return groups, nil
}

// credential answers the process credential of u, for exec.Cmd.SysProcAttr.
func (u *osUser) credential() *syscall.Credential {
	return &syscall.Credential{Uid: u.uid, Gid: u.gid, Groups: u.groups}
}

// own hands dir and everything in it to u, unless u owns dir already (then what is in it
// is u's too: a cluster that u created).
func (u *osUser) own(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("stat data dir: %w", err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == u.uid {
		return nil
	}
	err = filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(u.uid), int(u.gid))
	})
	if err != nil {
		return fmt.Errorf("hand data dir %s to user %s: %w", dir, u.name, err)
	}
	return nil
}

// checkReach fails when u cannot get to dir because a folder above it is closed to u,
// e.g. a data dir under /root (mode 700): postgres would fail later with a vaguer message.
// Folders yet to be made do not count: prepareDataDir makes them open.
func (u *osUser) checkReach(dir string) error {
	for parent := filepath.Dir(dir); ; parent = filepath.Dir(parent) {
		fi, err := os.Stat(parent)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("stat %s: %w", parent, err)
		}
		if err == nil && !u.canSearch(fi) {
			return fmt.Errorf("the %s OS user, which runs PostgreSQL because we run as root, cannot reach "+
				"data dir %s: %s (mode %o) is closed to it; choose a data dir outside it, "+
				"e.g. under /var/lib or /tmp", u.name, dir, parent, fi.Mode().Perm())
		}
		if parent == filepath.Dir(parent) {
			return nil
		}
	}
}

// canSearch tells whether u may pass through the folder fi by its permission bits.
func (u *osUser) canSearch(fi fs.FileInfo) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || perm&0o001 != 0 {
		return true
	}
	if st.Uid == u.uid {
		return perm&0o100 != 0
	}
	if st.Gid == u.gid || slices.Contains(u.groups, st.Gid) {
		return perm&0o010 != 0
	}
	return false
}
