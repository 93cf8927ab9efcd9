// Package app handles accessledger's commands: it loads the streams a command needs,
// lets the domain decide, and appends the events with the exact expected version.
//
// Inside one process, commands on the same stream queue behind a per-stream lock, so
// optimistic conflicts only arise between processes; decided state is kept in memory by
// stream and version, and only the tail of a stream that moved on is read. Every event id
// derives from the command id, so a retried command answers its first result instead of
// acting twice.
package app

import (
	"crypto/rand"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/moby/locker"

	"accessledger/domain"
	"accessledger/eventstore"
)

// Store is what the app needs of the event store.
type Store interface {
	eventstore.Appender
	eventstore.MultiAppender
	eventstore.StreamReader
}

// Options tune a Service. The zero value is ready to use.
type Options struct {
	// Clock answers the time decisions are made at (default time.Now); tests move it.
	Clock func() time.Time
	// CacheSize is how many streams' decided state the service keeps (default 10,000).
	CacheSize int
	// MaxAttempts bounds how often a command is decided again after losing a race to
	// another process (default 10).
	MaxAttempts int
	// TokenKey derives invitation tokens from command ids, so that a retried invitation
	// answers the same token. Give every process of a deployment the same key; the
	// default, a random key, makes retries through another process answer a token that
	// does not work.
	TokenKey []byte
	// Logger receives warnings (default slog.Default()).
	Logger *slog.Logger
	// ReadFreshness is how old the roster that authorizes a query may be (default one
	// second; negative: always read the latest). Commands are always decided on the
	// latest, and this process's own commands show at once; another process's take up
	// to this long to reach the queries this one authorizes.
	ReadFreshness time.Duration
}

// Service runs commands. Create it with New; it is safe for concurrent use.
type Service struct {
	store       Store
	clock       func() time.Time
	maxAttempts int
	tokenKey    []byte
	logger      *slog.Logger
	readFresh   time.Duration
	locks       *locker.Locker
	cache       *lru.Cache[string, *entry]
}

// New answers a Service that appends to store.
func New(store Store, opts Options) *Service {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = 10_000
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if len(opts.TokenKey) == 0 {
		opts.TokenKey = make([]byte, 32)
		_, _ = io.ReadFull(rand.Reader, opts.TokenKey)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ReadFreshness == 0 {
		opts.ReadFreshness = time.Second
	}
	cache, _ := lru.New[string, *entry](opts.CacheSize) // only fails for a size <= 0
	return &Service{
		store: store, clock: opts.Clock, maxAttempts: opts.MaxAttempts, tokenKey: opts.TokenKey,
		logger: opts.Logger, readFresh: opts.ReadFreshness, locks: locker.New(), cache: cache,
	}
}

// Meta is what every command carries besides its own fields.
type Meta struct {
	// CommandID identifies the command. Sending the same command again with the same id
	// answers the first result and appends nothing. A nil id gets a fresh one, which makes
	// the command impossible to retry safely.
	CommandID uuid.UUID
	// CorrelationID ties the command to the request or process it belongs to (default:
	// the command id); CausationID is what caused it (default: the command id).
	CorrelationID uuid.UUID
	CausationID   uuid.UUID
	// Actor is who issues the command.
	Actor domain.Actor
	// Reason is the actor's stated reason, recorded with every event.
	Reason string
	// IfVersion, when set, makes the command fail with a *PreconditionError unless its
	// main stream is at that version (HTTP If-Match).
	IfVersion *int64
	// IfKind, when set beside IfVersion, is the kind of stream that version is of (see
	// StreamKind): a version of another kind of stream fails the command with a
	// *PreconditionError whatever its number, so that the version of a resource shown
	// is never taken for that of another one.
	IfKind string
}

func (m Meta) withDefaults() Meta {
	if m.CommandID == uuid.Nil {
		m.CommandID = uuid.Must(uuid.NewV7())
	}
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = m.CommandID
	}
	if m.CausationID == uuid.Nil {
		m.CausationID = m.CommandID
	}
	return m
}

// Result tells where a command left its main stream.
type Result struct {
	// Stream is the command's main stream and Version its version afterwards (ETag).
	Stream  string
	Version int64
	// Position is the global position of the command's last event: a read model that
	// has passed it reflects the command (the consistency token). Zero when the command
	// changed nothing.
	Position eventstore.Position
}

// later answers whichever of two positions comes last.
func later(a, b eventstore.Position) eventstore.Position {
	if a.Before(b) {
		return b
	}
	return a
}
