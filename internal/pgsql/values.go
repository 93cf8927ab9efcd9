// Package pgsql builds the parts of SQL statements whose text depends on how many rows
// they carry.
package pgsql

import (
	"strconv"
	"strings"
)

// Values answers the list of rows rows of width parameters each that follows VALUES,
// numbered from $1 row by row: Values(2, 2) is "($1, $2), ($3, $4)". Each rows gives a
// statement of its own text, so callers keep rows small or few in kind: PostgreSQL
// prepares each text once per connection.
func Values(rows, width int) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(r*width + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}
