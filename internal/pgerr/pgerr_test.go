package pgerr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"accessledger/internal/pgerr"
	"accessledger/internal/pgerr/pgerrtest"
	"accessledger/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestUnavailableClassifiesByCode: every SQLSTATE of an outage is one, whatever wraps
// it; a statement the server refused for what it says is not.
func TestUnavailableClassifiesByCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"08000", true},  // connection_exception
		{"08003", true},  // connection_does_not_exist
		{"08006", true},  // connection_failure
		{"08001", true},  // sqlclient_unable_to_establish_sqlconnection
		{"08004", true},  // sqlserver_rejected_establishment_of_sqlconnection
		{"08P01", true},  // protocol_violation
		{"57P01", true},  // admin_shutdown
		{"57P02", true},  // crash_shutdown
		{"57P03", true},  // cannot_connect_now
		{"53300", true},  // too_many_connections
		{"23505", false}, // unique_violation
		{"42601", false}, // syntax_error
		{"42703", false}, // undefined_column
		{"23514", false}, // check_violation
		{"28P01", false}, // invalid_password
		{"3D000", false}, // invalid_catalog_name
		{"40001", false}, // serialization_failure
		{"57014", false}, // query_canceled
		{"53100", false}, // disk_full
	}
	for _, tt := range tests {
		err := &pgconn.PgError{Severity: "FATAL", Code: tt.code, Message: "m"}
		if got := pgerr.Unavailable(err); got != tt.want {
			t.Errorf("%s: Unavailable %t, want %t", tt.code, got, tt.want)
		}
		if got := pgerr.Unavailable(fmt.Errorf("append x: %w", err)); got != tt.want {
			t.Errorf("%s wrapped: Unavailable %t, want %t", tt.code, got, tt.want)
		}
	}
}

// TestUnavailableClassifiesConnectionState: a connection lost, closed or never made,
// a closed pool and a timeout are outages; a cancellation, a missing row and any other
// error are not.
func TestUnavailableClassifiesConnectionState(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"unexpected EOF", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"EOF", fmt.Errorf("read: %w", io.EOF), true},
		{"conn closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), true},
		{"closed pool", fmt.Errorf("acquire: %w", puddle.ErrClosedPool), true},
		{"connection refused", fmt.Errorf("dial: %w", refused), true},
		{"deadline", fmt.Errorf("ping: %w", context.DeadlineExceeded), true},
		{"canceled", fmt.Errorf("query: %w", context.Canceled), false},
		{"canceled beside a lost connection", errors.Join(context.Canceled, io.ErrUnexpectedEOF), false},
		{"no rows", pgx.ErrNoRows, false},
		{"a bug", errors.New("nil map"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := pgerr.Unavailable(tt.err); got != tt.want {
			t.Errorf("%s (%v): Unavailable %t, want %t", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestUnavailableOnRealFailures: the errors pgx really answers for an outage are
// outages, and those of a server that refused what it was asked are not.
func TestUnavailableOnRealFailures(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	proxy, proxied := pgerrtest.Start(t, url)
	tests := []struct {
		name string
		run  func(ctx context.Context) error
		want bool
	}{
		{"connect to a closed port", func(ctx context.Context) error {
			return connectErr(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
		}, true},
		{"connect to a server starting up", func(ctx context.Context) error {
			proxy.StartingUp()
			defer proxy.Resume()
			return connectErr(ctx, proxied)
		}, true},
		{"connect to a server that is down", func(ctx context.Context) error {
			proxy.Refuse()
			defer proxy.Resume()
			return connectErr(ctx, proxied)
		}, true},
		{"connect timeout", func(ctx context.Context) error {
			return connectErr(ctx, "postgres://nobody@"+silentListener(t)+"/none?sslmode=disable&connect_timeout=1")
		}, true},
		{"statement cut", func(ctx context.Context) error {
			conn := connect(t, proxied)
			time.AfterFunc(100*time.Millisecond, proxy.Cut)
			_, err := conn.Exec(ctx, "SELECT pg_sleep(5)")
			return err
		}, true},
		{"backend terminated", func(ctx context.Context) error {
			_, err := connect(t, url).Exec(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
			return err
		}, true},
		{"query on a closed connection", func(ctx context.Context) error {
			conn := connect(t, url)
			_, _ = conn.Exec(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
			_, err := conn.Exec(ctx, "SELECT 1")
			return err
		}, true},
		{"closed pool", func(ctx context.Context) error {
			pool, err := pgxpool.New(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			pool.Close()
			_, err = pool.Exec(ctx, "SELECT 1")
			return err
		}, true},
		{"no such database", func(ctx context.Context) error {
			return connectErr(ctx, withDatabase(t, url, "no_such_database"))
		}, false},
		{"unique violation", func(ctx context.Context) error {
			_, err := connect(t, url).Exec(ctx, "CREATE TEMP TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1), (1)")
			return err
		}, false},
		{"syntax error", func(ctx context.Context) error {
			_, err := connect(t, url).Exec(ctx, "SELEKT 1")
			return err
		}, false},
		{"query canceled by its caller", func(ctx context.Context) error {
			ctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(50*time.Millisecond, cancel)
			_, err := connect(t, url).Exec(ctx, "SELECT pg_sleep(5)")
			return err
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := tt.run(ctx)
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
			if got := pgerr.Unavailable(err); got != tt.want {
				t.Errorf("Unavailable(%v) = %t, want %t", err, got, tt.want)
			}
		})
	}
}

// TestUndefined: a missing table or schema is Undefined; other refusals are not.
func TestUndefined(t *testing.T) {
	t.Parallel()
	conn := connect(t, pgtest.NewDatabase(t))
	ctx := t.Context()
	for sql, want := range map[string]bool{
		"SELECT * FROM no_such_table":      true,
		"SELECT * FROM no_such_schema.t":   true,
		"SELECT no_such_column FROM pg_am": false,
		"SELEKT 1":                         false,
	} {
		_, err := conn.Exec(ctx, sql)
		if got := pgerr.Undefined(err); got != want {
			t.Errorf("%s: Undefined(%v) = %t, want %t", sql, err, got, want)
		}
	}
}

func connectErr(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		_ = conn.Close(ctx)
		return errors.New("connected")
	}
	return err
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// withDatabase answers url naming database name instead.
func withDatabase(t *testing.T, url, name string) string {
	t.Helper()
	config, err := pgconn.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", config.User, net.JoinHostPort(config.Host, fmt.Sprint(config.Port)), name)
}

// silentListener answers the address of a listener that accepts connections and never
// says a word: a server that hangs.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 16)
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		for c := range accepted {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}
