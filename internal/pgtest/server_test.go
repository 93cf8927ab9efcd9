package pgtest

import (
	"regexp"
	"strings"
	"testing"
)

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"URL", "postgres://u:p@db:5432/app?sslmode=disable", "postgres://u:p@db:5432/t_x?sslmode=disable"},
		{"URL without database", "postgresql://u@db", "postgresql://u@db/t_x"},
		{"keyword/value", "host=db user=u dbname=app", "host=db user=u dbname=app dbname='t_x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := withDatabase(tt.in, "t_x")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("withDatabase(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDatabaseName(t *testing.T) {
	valid := regexp.MustCompile(`^t_[a-z0-9_]+_[0-9a-f]{8}$`)
	tests := []string{"TestX", "TestParallel/group/17", strings.Repeat("TestVeryLong", 20), "Test/ünïcode and spaces"}
	for _, testName := range tests {
		got := databaseName(testName)
		if !valid.MatchString(got) || len(got) > 63 {
			t.Errorf("databaseName(%q) = %q: not a short, plain identifier", testName, got)
		}
		if again := databaseName(testName); again == got {
			t.Errorf("databaseName(%q) answered %q twice", testName, got)
		}
	}
}
