package pgsql

import "testing"

func TestValues(t *testing.T) {
	tests := []struct {
		rows, width int
		want        string
	}{
		{1, 1, "($1)"},
		{1, 3, "($1, $2, $3)"},
		{2, 2, "($1, $2), ($3, $4)"},
		{3, 1, "($1), ($2), ($3)"},
		{0, 2, ""},
	}
	for _, tt := range tests {
		if got := Values(tt.rows, tt.width); got != tt.want {
			t.Errorf("Values(%d, %d) = %q, want %q", tt.rows, tt.width, got, tt.want)
		}
	}
}
