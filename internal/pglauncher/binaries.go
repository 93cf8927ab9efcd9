package pglauncher

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// DefaultSearchPattern is the glob of folders searched for the PostgreSQL server binaries
// when they are not on PATH: Debian and Ubuntu install one folder per major version there
// and put none of them on PATH.
const DefaultSearchPattern = "/usr/lib/postgresql/*/bin"

// ErrNoBinaries is the error (wrapped) of FindBinaries and Start when no PostgreSQL server
// binaries are installed.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found")

// Binaries are the paths of the PostgreSQL server programs a Cluster runs. Both come from
// the same folder, so that they are of the same version.
type Binaries struct {
	InitDB   string
	Postgres string
}

// FindBinaries looks for initdb and postgres on PATH, then in the folders matching the
// glob pattern (DefaultSearchPattern when empty), highest version first. When there are
// none, its error matches ErrNoBinaries and says how to get them.
func FindBinaries(pattern string) (Binaries, error) {
	if pattern == "" {
		pattern = DefaultSearchPattern
	}
	if b, ok := onPath(); ok {
		return b, nil
	}
	dirs, err := filepath.Glob(pattern)
	if err != nil {
		return Binaries{}, fmt.Errorf("search PostgreSQL binaries in %s: %w", pattern, err)
	}
	// slices.Compare orders versions part by part, numerically: 9.6 before 15.
	slices.SortFunc(dirs, func(a, b string) int { return slices.Compare(versionOf(b), versionOf(a)) })
	for _, dir := range dirs {
		if b, ok := inDir(dir); ok {
			return b, nil
		}
	}
	return Binaries{}, fmt.Errorf("%w on PATH or in %s: install PostgreSQL (e.g. apt-get install postgresql) "+
		"or set DATABASE_URL to use a running server", ErrNoBinaries, pattern)
}

// onPath finds the binaries through the initdb on PATH. postgres is taken from initdb's
// folder, or from the folder its symlink points to, rather than from PATH on its own, so
// that two installed versions are never mixed.
func onPath() (Binaries, bool) {
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return Binaries{}, false
	}
	if b, ok := inDir(filepath.Dir(initdb)); ok {
		return b, true
	}
	target, err := filepath.EvalSymlinks(initdb)
	if err != nil {
		return Binaries{}, false
	}
	return inDir(filepath.Dir(target))
}

// inDir answers the binaries in dir if both are there and executable.
func inDir(dir string) (Binaries, bool) {
	b := Binaries{InitDB: filepath.Join(dir, "initdb"), Postgres: filepath.Join(dir, "postgres")}
	return b, isExecutable(b.InitDB) && isExecutable(b.Postgres)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// versionOf reads the version from a search folder such as /usr/lib/postgresql/15/bin,
// where it is the name of the parent folder. A name that is no version answers nil.
func versionOf(dir string) []int {
	parts := strings.Split(filepath.Base(filepath.Dir(dir)), ".")
	version := make([]int, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil
		}
		version = append(version, n)
	}
	return version
}
