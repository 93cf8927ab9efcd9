package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/eventstore/postgres"
	"accessledger/internal/pgtest"
	"accessledger/projections"
	"accessledger/projections/readmodels"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// apiFixture is the v1 API over a fresh database with its projections running, a
// workspace whose owner and an invited member are registered, and a platform admin
// token.
type apiFixture struct {
	t       *testing.T
	api     *API
	handler nethttp.Handler
	store   *postgres.Store
	svc     *app.Service
	admin   string // a platform admin's bearer token
	ws      uuid.UUID
	owner   uuid.UUID
	member  uuid.UUID // an invited member of ws
	token   string    // the member's invitation token
}

// warnings logs the server's warnings and errors (a 500's cause) to the test's output.
func warnings(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	store, err := postgres.Open(ctx, pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	key := []byte("fixture key")
	tokens := apitoken.NewStore(pool)
	svc := app.New(store, app.Options{TokenKey: key})
	rt := projections.NewRuntime(pool, store, readmodels.All(), projections.Options{Logger: warnings(t)})
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- rt.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-ran
	})
	api := NewAPI(APIConfig{App: svc, Tokens: tokens, TokenAdmin: tokens, Reads: pool, Waiter: rt, Events: store,
		InvitationURL: "https://example.test/accept?token=", TokenKey: key})
	f := &apiFixture{t: t, api: api, handler: NewServer(Config{API: api, Logger: warnings(t)}).Handler(), store: store, svc: svc}
	_, f.admin, err = tokens.Issue(ctx, apitoken.Spec{AccountID: uuid.New(), PlatformAdmin: true, Name: "fixture"})
	if err != nil {
		t.Fatal(err)
	}
	admin := app.Meta{Actor: domain.Actor{AccountID: uuid.New(), PlatformAdmin: true}}
	created, err := svc.CreateWorkspace(ctx, admin, app.CreateWorkspace{Name: "Lab", Seats: 10,
		Owner: domain.RegisterAccount{Email: "owner@example.com", FirstName: "Olga", LastName: "Owner"}})
	if err != nil {
		t.Fatal(err)
	}
	f.ws, f.owner = created.WorkspaceID, created.OwnerAccountID
	inv, err := svc.InviteUser(ctx, admin, f.ws, app.InviteUser{Email: "member@example.com", FirstName: "Mia", LastName: "Member", Role: domain.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	f.member, f.token = inv.AccountID, inv.Token
	// The read models have the workspace before the first request reads them.
	if err := rt.WaitFor(ctx, inv.Position); err != nil {
		t.Fatal(err)
	}
	return f
}

// answer is a response of the API, body read.
type answer struct {
	status int
	header nethttp.Header
	body   []byte
}

// do sends a request as the platform admin; body is JSON-encoded unless it is a string
// (sent as is) or nil (no body).
func (f *apiFixture) do(method, target string, body any, headers ...string) answer {
	f.t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(method, target, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer "+f.admin)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, r)
	return answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// problemDoc is the part of a problem document the tests look at.
type problemDoc struct {
	Code   string              `json:"code"`
	Errors []domain.FieldError `json:"errors"`
}

// wantFieldError fails the test unless a answers 400 validation_failed naming field.
func wantFieldError(t *testing.T, what string, a answer, field string) {
	t.Helper()
	var p problemDoc
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Errorf("%s: %d, not a problem document: %s", what, a.status, a.body)
		return
	}
	if a.status != nethttp.StatusBadRequest || p.Code != domain.CodeValidationFailed || len(p.Errors) == 0 || p.Errors[0].Field != field {
		t.Errorf("%s: %d %s %+v, want 400 validation_failed on %q", what, a.status, p.Code, p.Errors, field)
	}
}

// events answers the types of the events of a stream, none for a missing stream.
func (f *apiFixture) events(stream string) []string {
	f.t.Helper()
	stored, err := f.store.ReadStream(context.Background(), stream, eventstore.ReadStreamOptions{Limit: 1000})
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		f.t.Fatal(err)
	}
	types := make([]string, len(stored))
	for i, e := range stored {
		types[i] = e.Type
	}
	return types
}

// lastReason answers the reason recorded with the last event of a stream.
func (f *apiFixture) lastReason(stream string) string {
	f.t.Helper()
	stored, err := f.store.ReadStream(context.Background(), stream, eventstore.ReadStreamOptions{Limit: 1000})
	if err != nil || len(stored) == 0 {
		f.t.Fatalf("read %s: %d events, %v", stream, len(stored), err)
	}
	return stored[len(stored)-1].Metadata.Reason
}

// fillPath answers a route's path with its variables filled in: the fixture's
// workspace and member, and well-formed values for the rest.
func (f *apiFixture) fillPath(path string) string {
	values := map[string]string{
		"{ws}": f.ws.String(), "{account}": f.member.String(), "{module}": "booking", "{scope}": "company:acme",
		"{stream}": domain.WorkspaceStream(f.ws), "{name}": "members",
	}
	for _, v := range pathParamPattern.FindAllString(path, -1) {
		value, ok := values[v]
		if !ok {
			value = uuid.NewString()
		}
		path = strings.Replace(path, v, value, 1)
	}
	return path
}

// decodeProblem decodes a's problem document into p; an answer without one leaves p
// empty.
func decodeProblem(t *testing.T, a answer, p *problemDoc) {
	t.Helper()
	if a.status >= 400 {
		if err := json.Unmarshal(a.body, p); err != nil {
			t.Errorf("%d, not a problem document: %s", a.status, a.body)
		}
	}
}
