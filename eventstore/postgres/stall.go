package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Stall is the oldest transaction of the server that holds a transaction id. Readers of
// the global log see no event appended after it began until it ends, so its age is how
// far behind every projector can fall for that reason.
type Stall struct {
	PID int32
	Age time.Duration
}

// oldestTransactionSQL finds the oldest transaction with an id, in any database of the
// server: visibility (pg_snapshot_xmin) is server-wide.
const oldestTransactionSQL = `SELECT pid, extract(epoch FROM now() - xact_start)
	FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start IS NOT NULL
	ORDER BY xact_start LIMIT 1`

// OldestTransaction answers the oldest transaction of the server that holds back the
// global log's readers, and false when there is none.
func (s *Store) OldestTransaction(ctx context.Context) (Stall, bool, error) {
	var st Stall
	var seconds float64
	err := s.pool.QueryRow(ctx, oldestTransactionSQL).Scan(&st.PID, &seconds)
	if errors.Is(err, pgx.ErrNoRows) {
		return Stall{}, false, nil
	}
	if err != nil {
		return Stall{}, false, fmt.Errorf("oldest transaction: %w", err)
	}
	st.Age = time.Duration(seconds * float64(time.Second))
	return st, true, nil
}
