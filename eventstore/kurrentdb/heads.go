package kurrentdb

import (
	"context"

	"accessledger/eventstore"
)

// headCacheSize is how many stream heads a store remembers, as the PostgreSQL store's
// HeadCacheSize: an append whose expected version is a remembered head needs no read
// of the head first.
const headCacheSize = 100_000

// streamHead is a stream's last version and that event's hash.
type streamHead struct {
	version int64
	hash    eventstore.Hash
}

// headFor answers the stream's head for an append after version after: the remembered
// one when it is at after (a head that moved since makes the append conflict, so a
// stale one costs nothing), else the one read from the server.
func (s *Store) headFor(ctx context.Context, stream string, after int64) (int64, eventstore.Hash, error) {
	if h, ok := s.heads.Get(stream); ok && h.version == after {
		return h.version, h.hash, nil
	}
	return s.head(ctx, stream)
}
