package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"accessledger/app"
	"accessledger/domain"
	"accessledger/internal/pgtest"
)

// statementLog records the statements a pool runs on the events table.
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	sql := strings.Join(strings.Fields(data.SQL), " ")
	if !strings.Contains(sql, "FROM events") && !strings.Contains(sql, "INTO events") {
		return ctx // the store's background work: its LISTEN, and the NOTIFY after appends
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sql = append(l.sql, sql)
	return ctx
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take answers the statements recorded since the last take.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sql
	l.sql = nil
	return out
}

// TestInvitationStatements pins down the work of inviting a new email into a workspace
// this process knows: one append of the email's claim, the account and the roster entry
// together, and no read. The email is taken to be free and the claim's expected version
// proves it; the roster's cached state is proven current the same way. A project role
// given with the invitation is one more append, decided on the roster the invitation
// left.
func TestInvitationStatements(t *testing.T) {
	t.Parallel()
	config, err := pgxpool.ParseConfig(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	statements := &statementLog{}
	config.ConnConfig.Tracer = statements
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	f := newFixtureOn(t, pool, 10)
	ctx := context.Background()
	project := uuid.New()
	f.must(f.svc.CreateProject(ctx, f.by(f.owner), f.ws, domain.CreateProject{ProjectID: project, Name: "Apollo"}))
	for i, projects := range [][]app.ProjectGrant{nil, nil, {{ProjectID: project, Role: domain.ProjectViewer}}} {
		statements.take()
		_, err := f.svc.InviteUser(ctx, f.by(f.owner), f.ws, app.InviteUser{
			Email: email("new", i), FirstName: "Nia", LastName: "New", Role: domain.RoleMember, Projects: projects,
		})
		if err != nil {
			t.Fatal(err)
		}
		var inserts, reads int
		got := statements.take()
		for _, sql := range got {
			switch {
			case strings.HasPrefix(sql, "INSERT INTO events"):
				inserts++
			case strings.HasPrefix(sql, "SELECT"):
				reads++
			}
		}
		if want := 1 + len(projects); inserts != want || reads != 0 || len(got) != want {
			t.Errorf("invitation %d ran %d statements (%d inserts, %d reads), want %d inserts and no read:\n%s",
				i, len(got), inserts, reads, want, strings.Join(got, "\n"))
		}
	}
}
