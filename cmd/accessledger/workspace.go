package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
)

func workspaceCommand(e *env) *ffcli.Command {
	return &ffcli.Command{
		Name:        "workspace",
		ShortUsage:  "accessledger workspace create [flags]",
		ShortHelp:   "create workspaces",
		Subcommands: []*ffcli.Command{workspaceCreateCommand(e)},
		Exec:        func(context.Context, []string) error { return flag.ErrHelp },
	}
}

// workspaceCreateCmd is `workspace create`: a workspace, its owner and an owner token.
type workspaceCreateCmd struct {
	e                     *env
	flags                 commonFlags
	name, ownerEmail      string
	ownerFirst, ownerLast string
	seats                 int
	asJSON                bool
}

func workspaceCreateCommand(e *env) *ffcli.Command {
	c := &workspaceCreateCmd{e: e}
	fs := newFlagSet("workspace create", e)
	fs.StringVar(&c.name, "name", "", "the workspace's name (required)")
	fs.StringVar(&c.ownerEmail, "owner-email", "", "the owner's email; an account is registered when it has none (required)")
	fs.StringVar(&c.ownerFirst, "owner-first-name", "", "the owner's first name (default: from the email)")
	fs.StringVar(&c.ownerLast, "owner-last-name", "Owner", "the owner's last name")
	fs.IntVar(&c.seats, "seats", 10, "the plan's license seats")
	fs.BoolVar(&c.asJSON, "json", false, `print one JSON object: {"workspace_id", "owner_account_id", "token"}`)
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "create",
		ShortUsage: "accessledger workspace create --name NAME --owner-email EMAIL [--seats N] [flags]",
		ShortHelp:  "create a workspace with its owner and print an API token for the owner",
		FlagSet:    fs,
		Options:    ffOptions(),
		Exec:       c.exec,
	}
}

func (c *workspaceCreateCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	if c.name == "" || c.ownerEmail == "" {
		return fmt.Errorf("--name and --owner-email are required: %w", flag.ErrHelp)
	}
	if c.ownerFirst == "" {
		c.ownerFirst, _, _ = strings.Cut(c.ownerEmail, "@")
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return withDatabase(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := migrate(ctx, pool); err != nil {
			return err
		}
		store, closeStore, err := openEventStore(ctx, c.flags.eventstoreURL, pool, slog.New(slog.DiscardHandler))
		if err != nil {
			return err
		}
		defer closeStore()
		created, secret, err := createWorkspace(ctx, pool, store, "created from the command line", c.name, c.seats,
			domain.RegisterAccount{Email: c.ownerEmail, FirstName: c.ownerFirst, LastName: c.ownerLast})
		if err != nil {
			return err
		}
		if c.asJSON {
			return json.NewEncoder(c.e.stdout).Encode(map[string]string{"workspace_id": created.WorkspaceID.String(),
				"owner_account_id": created.OwnerAccountID.String(), "token": secret})
		}
		fmt.Fprintf(c.e.stdout, "workspace %s\nowner account %s\nowner token %s\n", created.WorkspaceID, created.OwnerAccountID, secret)
		return nil
	})
}

// createWorkspace creates a workspace with its owner in store, as the system and for
// reason, and issues the owner an API token. The database behind pool is migrated.
func createWorkspace(ctx context.Context, pool *pgxpool.Pool, store eventstore.Store, reason, name string, seats int, owner domain.RegisterAccount) (app.CreatedWorkspace, string, error) {
	svc := app.New(store, app.Options{})
	meta := app.Meta{Actor: domain.SystemActor(), Reason: reason}
	created, err := svc.CreateWorkspace(ctx, meta, app.CreateWorkspace{Name: name, Seats: seats, Owner: owner})
	if err != nil {
		return app.CreatedWorkspace{}, "", fmt.Errorf("create workspace: %w", err)
	}
	tok, secret, err := apitoken.NewStore(pool).Issue(ctx, apitoken.Spec{AccountID: created.OwnerAccountID, Name: "owner", WorkspaceID: created.WorkspaceID})
	if err != nil {
		return created, "", err
	}
	_, err = svc.RecordToken(ctx, meta, created.WorkspaceID, created.OwnerAccountID, tok.ID, tok.Name, true)
	return created, secret, err
}
