package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/domain"
	"accessledger/eventstore"
)

// demoWorkspace gives a newcomer something to try: when serve runs on its own cluster
// and its event log is empty, it creates a workspace in serve's store and prints its
// owner's token and a few requests to send. It answers whether it did.
func demoWorkspace(ctx context.Context, pool *pgxpool.Pool, store eventstore.Store, out io.Writer, addr net.Addr) (bool, error) {
	head, err := store.Head(ctx)
	if err != nil || !head.IsZero() {
		return false, err
	}
	created, token, err := createWorkspace(ctx, pool, store, "the demo workspace of a new cluster", "Demo", 10, domain.RegisterAccount{Email: "owner@demo.example", FirstName: "Demo", LastName: "Owner"})
	if err != nil {
		return false, fmt.Errorf("create the demo workspace: %w", err)
	}
	base := "http://" + dialable(addr)
	ws := base + "/v1/workspaces/" + created.WorkspaceID.String()
	fmt.Fprintf(out, `
A demo workspace is ready. Its owner's API token (shown once):

    export TOKEN=%s

Try:

    curl -s -H "Authorization: Bearer $TOKEN" %s
    curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"email":"ada@demo.example","first_name":"Ada","last_name":"Lovelace","role":"member"}' %s/invitations
    curl -s -H "Authorization: Bearer $TOKEN" '%s/members?sort=name'
    curl -s -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' %s/history

`, token, ws, ws, ws, ws)
	return true, nil
}

// dialable answers addr as a client would dial it: a wildcard host becomes localhost.
func dialable(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
