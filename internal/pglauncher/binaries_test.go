package pglauncher_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accessledger/internal/pglauncher"
)

func TestFindBinaries(t *testing.T) {
	tests := []struct {
		name      string
		installed []string // folders, relative to the search root, holding both programs
		partial   []string // folders holding initdb only
		onPath    string   // folder, relative to the search root, put on PATH
		want      string   // folder, relative to the search root, of the answer; "" for none
	}{
		{"highest version wins", []string{"9.6/bin", "15/bin", "16/bin"}, nil, "", "16/bin"},
		{"numeric, not lexical order", []string{"9.6/bin", "10/bin"}, nil, "", "10/bin"},
		{"incomplete folder skipped", []string{"15/bin"}, []string{"16/bin"}, "", "15/bin"},
		{"PATH first", []string{"15/bin", "local"}, nil, "local", "local"},
		{"nothing installed", nil, []string{"16/bin"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, dir := range tt.installed {
				fakeProgram(t, filepath.Join(root, dir, "initdb"))
				fakeProgram(t, filepath.Join(root, dir, "postgres"))
			}
			for _, dir := range tt.partial {
				fakeProgram(t, filepath.Join(root, dir, "initdb"))
			}
			path := ""
			if tt.onPath != "" {
				path = filepath.Join(root, tt.onPath)
			}
			t.Setenv("PATH", path)

			got, err := pglauncher.FindBinaries(filepath.Join(root, "*", "bin"))
			if tt.want == "" {
				checkNoBinariesError(t, err)
				return
			}
			if err != nil {
				t.Fatalf("FindBinaries: %v", err)
			}
			want := pglauncher.Binaries{
				InitDB:   filepath.Join(root, tt.want, "initdb"),
				Postgres: filepath.Join(root, tt.want, "postgres"),
			}
			if got != want {
				t.Errorf("FindBinaries = %+v, want %+v", got, want)
			}
		})
	}
}

// checkNoBinariesError fails unless err says that PostgreSQL is missing and what to do.
func checkNoBinariesError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, pglauncher.ErrNoBinaries) {
		t.Fatalf("error %v, want ErrNoBinaries", err)
	}
	for _, want := range []string{"apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
}

func fakeProgram(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestStartWithoutBinaries(t *testing.T) {
	t.Setenv("PATH", "")
	_, err := pglauncher.Start(t.Context(), pglauncher.Config{
		DataDir:       filepath.Join(t.TempDir(), "data"),
		SearchPattern: filepath.Join(t.TempDir(), "*", "bin"),
	})
	checkNoBinariesError(t, err)
}
