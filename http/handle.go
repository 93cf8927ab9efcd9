package http

import (
	"context"
	nethttp "net/http"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// withReason is the field every command body may carry: why the caller acts, recorded
// with the events (the authorization history's "why").
type withReason struct {
	Reason string `json:"reason" rule:"reason"`
}

func (w withReason) reason() string { return w.Reason }

type reasoned interface{ reason() string }

// commandSpec says how a route decodes and answers its command.
type commandSpec struct {
	optionalBody bool // every field is optional: no body is an empty one
	status       int  // the answer's status; 0 means 200
}

// runCommand decodes r's body into a T, builds the command's metadata and runs do,
// answering its result (and body, when do answers one) with the command headers.
func runCommand[T reasoned](a *API, w nethttp.ResponseWriter, r *nethttp.Request, spec commandSpec,
	do func(ctx context.Context, meta app.Meta, req *T) (app.Result, any, error),
) error {
	req := new(T)
	if err := decodeBody(w, r, req, spec.optionalBody); err != nil {
		return err
	}
	meta, err := commandMeta(r, (*req).reason())
	if err != nil {
		return err
	}
	res, body, err := do(r.Context(), meta, req)
	if err != nil {
		return err
	}
	status := spec.status
	if status == 0 {
		status = nethttp.StatusOK
	}
	writeResult(w, status, res, body)
	return nil
}

// inWorkspace runs a command in the workspace of r's path, hiding from callers who do
// not belong to it that it exists: their refusals become not_found.
func inWorkspace[T reasoned](a *API, w nethttp.ResponseWriter, r *nethttp.Request, spec commandSpec,
	do func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *T) (app.Result, any, error),
) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	return runCommand(a, w, r, spec, func(ctx context.Context, meta app.Meta, req *T) (app.Result, any, error) {
		res, body, err := do(ctx, meta, ws, req)
		return res, body, a.hide(ctx, ws, meta.Actor, err)
	})
}

// onMember is inWorkspace for a command about the member of r's path.
func onMember[T reasoned](a *API, w nethttp.ResponseWriter, r *nethttp.Request, spec commandSpec,
	do func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *T) (app.Result, error),
) error {
	account, err := pathID(r, "account")
	if err != nil {
		return err
	}
	return inWorkspace(a, w, r, spec, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *T) (app.Result, any, error) {
		res, err := do(ctx, meta, ws, account, req)
		return res, nil, err
	})
}

// hide turns a refusal into not_found when by does not belong to workspace ws.
func (a *API) hide(ctx context.Context, ws uuid.UUID, by domain.Actor, err error) error {
	if kind := domain.KindOf(err); kind != domain.KindForbidden && kind != domain.KindNotFound {
		return err
	}
	if authErr := a.App.Authorize(ctx, ws, by, domain.ReadWorkspace, uuid.Nil); domain.KindOf(authErr) == domain.KindNotFound {
		return authErr
	}
	return err
}

// authorize admits r's caller to a query of kind read about subject in workspace ws, and
// waits for the read models named when r carries a consistency token.
func (a *API) authorize(w nethttp.ResponseWriter, r *nethttp.Request, ws uuid.UUID, read domain.Read, subject uuid.UUID, models ...string) error {
	if err := a.App.Authorize(r.Context(), ws, actor(r), read, subject); err != nil {
		return err
	}
	return a.waitConsistent(w, r, models...)
}

// reasonOnly is the request of a command whose only field is the optional reason.
type reasonOnly struct{ withReason }

// ForceRequestBody makes the OpenAPI document state the optional body of DELETE
// commands too: they take a reason like every command.
func (reasonOnly) ForceRequestBody() {}
