package http

import (
	"accessledger/projections/members"
	"context"
	nethttp "net/http"

	"github.com/google/uuid"
	"github.com/swaggest/jsonschema-go"

	"accessledger/app"
	"accessledger/domain"
)

// memberPath is the path of one member of a workspace.
const memberPath = "/v1/workspaces/{ws}/members/{account}"

// memberRoutes are the members of a workspace: the list, one member's detail and
// the roster commands on a member.
func (a *API) memberRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/workspaces/{ws}/members", handle: a.listMembers,
			doc: opDoc{summary: "List members, filtered, sorted, a page at a time", resp: page[memberView]{}, query: memberParams}},
		{method: "GET", path: memberPath, handle: a.getMember,
			doc: opDoc{summary: "A member's detail; with as_of, what the member could do then", resp: memberDetail(), query: asOfParams}},
		{method: "PUT", path: memberPath + "/role", handle: a.changeRole,
			doc: opDoc{summary: "Change a member's workspace role", req: roleRequest{}}},
		{method: "POST", path: memberPath + "/license/deactivate", handle: rosterCommand(a, a.App.DeactivateLicense, func(id uuid.UUID) domain.DeactivateLicense { return domain.DeactivateLicense{AccountID: id} }),
			doc: opDoc{summary: "Deactivate a member's license, freeing a seat"}},
		{method: "POST", path: memberPath + "/license/reactivate", handle: rosterCommand(a, a.App.ReactivateLicense, func(id uuid.UUID) domain.ReactivateLicense { return domain.ReactivateLicense{AccountID: id} }),
			doc: opDoc{summary: "Reactivate a member's license, taking a seat"}},
		{method: "POST", path: memberPath + "/suspend", handle: a.suspend,
			doc: opDoc{summary: "Suspend a member", req: suspendRequest{}}},
		{method: "POST", path: memberPath + "/reinstate", handle: rosterCommand(a, a.App.ReinstateMember, func(id uuid.UUID) domain.ReinstateMember { return domain.ReinstateMember{AccountID: id} }),
			doc: opDoc{summary: "Reinstate a suspended member"}},
		{method: "DELETE", path: memberPath, handle: rosterCommand(a, a.App.DeleteMember, func(id uuid.UUID) domain.DeleteMember { return domain.DeleteMember{AccountID: id} }),
			doc: opDoc{summary: "Delete a member, restorable for 30 days"}},
		{method: "POST", path: memberPath + "/restore", handle: rosterCommand(a, a.App.RestoreMember, func(id uuid.UUID) domain.RestoreMember { return domain.RestoreMember{AccountID: id} }),
			doc: opDoc{summary: "Restore a deleted member with every grant"}},
		{method: "POST", path: memberPath + "/welcome-email", handle: rosterCommand(a, a.App.SendWelcomeEmail, func(id uuid.UUID) domain.SendWelcomeEmail { return domain.SendWelcomeEmail{AccountID: id} }),
			doc: opDoc{summary: "Send the welcome email, at most once"}},
	}
}

func (a *API) listMembers(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, q, err := workspaceQuery(r, memberParams...)
	if err != nil {
		return err
	}
	f := members.MemberFilter{Role: domain.WorkspaceRole(q.str("role")), Project: q.id("project"), Client: q.id("client"),
		Category: q.id("category"), Q: q.str("q"), Sort: q.str("sort"), Cursor: q.str("cursor"), Limit: q.int("limit")}
	for _, s := range q.list("status") {
		f.Status = append(f.Status, domain.MemberStatus(s))
	}
	if err := q.done(); err != nil {
		return err
	}
	if err := a.authorize(w, r, ws, domain.ReadMembers, uuid.Nil, membersModel); err != nil {
		return err
	}
	p, err := members.ListMembers(r.Context(), a.Reads, ws, f)
	if err != nil {
		return err
	}
	writeJSON(w, nethttp.StatusOK, page[memberView]{Items: viewAll(p.Members, viewMember), Next: p.Next})
	return nil
}

// getMember answers a member's detail from the member list, or with ?as_of= the member
// as the workspace's and the member's streams had it at that time.
func (a *API) getMember(w nethttp.ResponseWriter, r *nethttp.Request) error {
	ws, account, err := memberIDs(r)
	if err != nil {
		return err
	}
	q := newQuery(r.URL, asOfParams...)
	asOf := q.time("as_of")
	if err := q.done(); err != nil {
		return err
	}
	if !asOf.IsZero() {
		// Folded from the streams themselves, for auditors: no read model in between.
		if err := a.App.Authorize(r.Context(), ws, actor(r), domain.ReadMember, account); err != nil {
			return err
		}
		at, err := a.App.MemberAsOf(r.Context(), ws, account, asOf)
		if err != nil {
			return err
		}
		if !at.OnRoster {
			return memberNotFound(account)
		}
		writeJSON(w, nethttp.StatusOK, viewMemberAsOf(at))
		return nil
	}
	if err := a.authorize(w, r, ws, domain.ReadMember, account, membersModel); err != nil {
		return err
	}
	// The ETag is the roster's version on the command side, which the member's roster
	// commands check; the read model is read once it has applied that version, so that
	// the answer shows at least what its ETag stands for and a save based on it is never
	// accepted over a change the answer did not show.
	version, err := a.App.RosterVersion(r.Context(), ws)
	if err != nil {
		return err
	}
	if err := a.waitFor(w, r, version.Position, membersModel); err != nil {
		return err
	}
	m, found, err := members.GetMemberDetail(r.Context(), a.Reads, ws, account)
	if err != nil {
		return err
	}
	if !found {
		return memberNotFound(account)
	}
	w.Header().Set("ETag", etag(domain.WorkspaceStream(ws), version.Version))
	writeJSON(w, nethttp.StatusOK, viewMemberDetail(m))
	return nil
}

func memberNotFound(account uuid.UUID) error {
	return domain.NotFound("account %s is not a member of this workspace", account)
}

func memberIDs(r *nethttp.Request) (ws, account uuid.UUID, err error) {
	if ws, err = pathID(r, "ws"); err != nil {
		return ws, account, err
	}
	account, err = pathID(r, "account")
	return ws, account, err
}

// rosterCommand answers the handler of a roster command whose only field is the member.
func rosterCommand[C any](a *API, run func(context.Context, app.Meta, uuid.UUID, C) (app.Result, error), build func(uuid.UUID) C) handler {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) error {
		return onMember(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, _ *reasonOnly) (app.Result, error) {
			return run(ctx, meta, ws, build(account))
		})
	}
}

type roleRequest struct {
	withReason
	Role string `json:"role" rule:"grantable_role" required:"true"`
}

func (a *API) changeRole(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *roleRequest) (app.Result, error) {
		return a.App.ChangeRole(ctx, meta, ws, domain.ChangeRole{AccountID: account, Role: domain.WorkspaceRole(req.Role)})
	})
}

type suspendRequest struct {
	// Reason is the command's reason and the suspension's, which the member is shown.
	Reason string `json:"reason" rule:"suspension_reason" required:"true"`
	Until  string `json:"until" rule:"time"` // RFC 3339; empty: until reinstated
}

func (s suspendRequest) reason() string { return s.Reason }

func (a *API) suspend(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, req *suspendRequest) (app.Result, error) {
		until, err := parseOptionalTime("until", req.Until)
		if err != nil {
			return app.Result{}, err
		}
		return a.App.SuspendMember(ctx, meta, ws, domain.SuspendMember{AccountID: account, Reason: req.Reason, Until: until})
	})
}

// memberDetail is the answer of a member's detail: the member now, or with as_of
// the member as the streams had it then.
func memberDetail() any { return jsonschema.OneOf(memberView{}, memberAsOfView{}) }
