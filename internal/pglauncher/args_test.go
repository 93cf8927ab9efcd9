package pglauncher

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestServerArgsSocketDir(t *testing.T) {
	long := "/tmp/" + strings.Repeat("d", 100)
	tests := []struct {
		name    string
		dataDir string
		want    string
	}{
		{"short path: socket in the data dir", "/tmp/pg", `unix_socket_directories="/tmp/pg"`},
		{"quote in path doubled", `/tmp/p"g`, `unix_socket_directories="/tmp/p""g"`},
		{"path over 107 bytes: no socket", long, "unix_socket_directories="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := serverArgs(Config{DataDir: tt.dataDir, Settings: map[string]string{"fsync": "off"}}, 54321)
			if !slices.Contains(args, tt.want) {
				t.Errorf("args %q lack %q", args, tt.want)
			}
			if !slices.Contains(args, "fsync=off") || !slices.Contains(args, "listen_addresses=127.0.0.1") {
				t.Errorf("args %q lack the settings", args)
			}
		})
	}
}

func TestCheckReach(t *testing.T) {
	root := t.TempDir()
	closed := filepath.Join(root, "closed")
	open := filepath.Join(root, "open")
	for dir, mode := range map[string]os.FileMode{closed: 0o700, open: 0o755} {
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
	}
	// t.TempDir's own folders are 700; open them so that only "closed" is in the way.
	for _, dir := range []string{root, filepath.Dir(root)} {
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A user that owns nothing here, as the postgres user owns nothing under /root.
	stranger := &osUser{name: "stranger", uid: 4242424, gid: 4242424}

	for _, dir := range []string{filepath.Join(open, "data"), filepath.Join(open, "to", "be", "made", "data")} {
		if err := stranger.checkReach(dir); err != nil {
			t.Errorf("data dir %s under an open folder: %v", dir, err)
		}
	}
	err := stranger.checkReach(filepath.Join(closed, "data"))
	if err == nil || !strings.Contains(err.Error(), "cannot reach") || !strings.Contains(err.Error(), closed) {
		t.Errorf("data dir under a closed folder: %v, want an error naming %s", err, closed)
	}
}
