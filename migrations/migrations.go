// Package migrations holds the SQL schema of accessledger, embedded in the binary, and
// applies it with tern.
//
// Files are named NNN_name.sql and applied in order; each holds its "up" part above the
// line "---- create above / drop below ----" and its "down" part below it.
package migrations

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed *.sql
var files embed.FS

// VersionTable is the table in which tern records the applied schema version.
const VersionTable = "public.schema_version"

// Migrate brings the database behind conn up to the newest schema. It is safe to call
// from several processes at once: tern serialises them with an advisory lock.
func Migrate(ctx context.Context, conn *pgx.Conn) error {
	m, err := migrator(ctx, conn)
	if err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrateTo brings the database behind conn to schema version, down or up: for tests
// of what a migration does to existing data, and for rolling back by hand.
func MigrateTo(ctx context.Context, conn *pgx.Conn, version int32) error {
	m, err := migrator(ctx, conn)
	if err != nil {
		return err
	}
	if err := m.MigrateTo(ctx, version); err != nil {
		return fmt.Errorf("migrate to %d: %w", version, err)
	}
	return nil
}

func migrator(ctx context.Context, conn *pgx.Conn) (*migrate.Migrator, error) {
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return nil, fmt.Errorf("migrate: prepare: %w", err)
	}
	if err := m.LoadMigrations(files); err != nil {
		return nil, fmt.Errorf("migrate: load: %w", err)
	}
	return m, nil
}

// Latest is the schema version that Migrate brings a database to.
func Latest() (int32, error) {
	names, err := migrate.FindMigrations(files)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	return int32(len(names)), nil
}
