package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3/ffcli"

	"accessledger/apitoken"
)

func tokenCommand(e *env) *ffcli.Command {
	return &ffcli.Command{
		Name:        "token",
		ShortUsage:  "accessledger token create [flags]",
		ShortHelp:   "issue API tokens",
		Subcommands: []*ffcli.Command{tokenCreateCommand(e)},
		Exec:        func(context.Context, []string) error { return flag.ErrHelp },
	}
}

// tokenCreateCmd is `token create`: it issues a token and prints it, once.
type tokenCreateCmd struct {
	e             *env
	flags         commonFlags
	account       string
	name          string
	platformAdmin bool
	asJSON        bool
}

func tokenCreateCommand(e *env) *ffcli.Command {
	c := &tokenCreateCmd{e: e}
	fs := newFlagSet("token create", e)
	fs.BoolVar(&c.platformAdmin, "platform-admin", false, "the token acts with owner authority in every workspace")
	fs.StringVar(&c.account, "account", "", "the account the token is bound to (default: a new operator account id)")
	fs.StringVar(&c.name, "name", "", "a label for the token, e.g. who holds it")
	fs.BoolVar(&c.asJSON, "json", false, `print one JSON object: {"token", "token_id", "account_id"}`)
	c.flags.register(fs)
	return &ffcli.Command{
		Name:       "create",
		ShortUsage: "accessledger token create [--platform-admin] [--account ID] [flags]",
		ShortHelp:  "issue an API token and print it (it is shown only once)",
		LongHelp: "Issues a bearer token for the API and prints it. Only its SHA-256 is stored: keep the\n" +
			"token, or issue another one. Platform admin tokens create workspaces and read the global log.",
		FlagSet: fs,
		Options: ffOptions(),
		Exec:    c.exec,
	}
}

func (c *tokenCreateCmd) exec(ctx context.Context, args []string) error {
	if err := noArgs(args); err != nil {
		return err
	}
	account := uuid.Must(uuid.NewV7())
	if c.account != "" {
		id, err := uuid.Parse(c.account)
		if err != nil || id == uuid.Nil {
			return fmt.Errorf("--account %q is not a UUID: %w", c.account, flag.ErrHelp)
		}
		account = id
	}
	if !c.platformAdmin && c.account == "" {
		return fmt.Errorf("a token is bound to an account: give --account, or --platform-admin for an operator: %w", flag.ErrHelp)
	}
	log := newLogger(c.e.stderr, c.flags.logLevel)
	return withDatabase(ctx, c.e, c.flags, log, func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := migrate(ctx, pool); err != nil {
			return err
		}
		tok, secret, err := apitoken.NewStore(pool).Issue(ctx, apitoken.Spec{AccountID: account, PlatformAdmin: c.platformAdmin, Name: c.name})
		if err != nil {
			return err
		}
		if c.asJSON {
			return json.NewEncoder(c.e.stdout).Encode(map[string]string{"token": secret, "token_id": tok.ID.String(), "account_id": account.String()})
		}
		fmt.Fprintf(c.e.stdout, "%s\n", secret)
		log.Info("token issued; it is shown only once", "token_id", tok.ID, "account_id", account, "platform_admin", c.platformAdmin)
		return nil
	})
}
