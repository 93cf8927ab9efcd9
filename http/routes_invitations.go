package http

import (
	"context"
	nethttp "net/http"
	"net/url"

	"github.com/google/uuid"

	"accessledger/app"
	"accessledger/domain"
)

// invitationRoutes are the invitations of a workspace and their acceptance.
func (a *API) invitationRoutes() []route {
	return []route{
		{method: "POST", path: "/v1/workspaces/{ws}/invitations", handle: a.invite,
			doc: opDoc{summary: "Invite a person by email; answers the invitation token and URL", req: inviteRequest{}, resp: invitation{}, ok: 201}},
		{method: "POST", path: "/v1/workspaces/{ws}/invitations/{account}/resend", handle: a.resendInvitation,
			doc: opDoc{summary: "Resend an invitation with a new token", resp: invitation{}}},
		{method: "DELETE", path: "/v1/workspaces/{ws}/invitations/{account}", handle: a.revokeInvitation,
			doc: opDoc{summary: "Revoke an invitation"}},
		{method: "POST", path: "/v1/invitations/accept", handle: a.acceptInvitation, public: true,
			doc: opDoc{summary: "Accept an invitation (no API token needed); answers an API token", req: acceptRequest{}, resp: accepted{}}},
	}
}

type inviteRequest struct {
	withReason
	Email     string `json:"email" rule:"email" required:"true"`
	FirstName string `json:"first_name" rule:"name"` // required when the email has no account yet
	LastName  string `json:"last_name" rule:"name"`
	Login     string `json:"login" rule:"login"`
	Phone     string `json:"phone" rule:"phone"`
	Role      string `json:"role" rule:"grantable_role" required:"true"`
	Projects  []struct {
		ProjectID string `json:"project_id" rule:"uuid" required:"true"`
		Role      string `json:"role" rule:"project_role" required:"true"`
	} `json:"projects"`
}

// invitation is the answer to an invitation or its resending. Until accessledger sends
// email itself, it carries the token and the URL to deliver (as Auth0's API does).
type invitation struct {
	commandResult
	AccountID     uuid.UUID `json:"account_id"`
	NewAccount    bool      `json:"new_account"`
	Token         string    `json:"invitation_token"`
	InvitationURL string    `json:"invitation_url"`
}

func (a *API) invitationOf(inv app.Invitation) invitation {
	return invitation{commandResult: resultOf(inv.Result), AccountID: inv.AccountID, NewAccount: inv.NewAccount,
		Token: inv.Token, InvitationURL: a.InvitationURL + url.QueryEscape(inv.Token)}
}

func (a *API) invite(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return inWorkspace(a, w, r, commandSpec{status: nethttp.StatusCreated}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, req *inviteRequest) (app.Result, any, error) {
		cmd := app.InviteUser{Email: req.Email, FirstName: req.FirstName, LastName: req.LastName, Login: req.Login,
			Phone: req.Phone, Role: domain.WorkspaceRole(req.Role)}
		for i, p := range req.Projects {
			id, err := parseID("projects["+itoa(int64(i))+"].project_id", p.ProjectID)
			if err != nil {
				return app.Result{}, nil, err
			}
			cmd.Projects = append(cmd.Projects, app.ProjectGrant{ProjectID: id, Role: domain.ProjectRole(p.Role)})
		}
		inv, err := a.App.InviteUser(ctx, meta, ws, cmd)
		if err != nil {
			return app.Result{}, nil, err
		}
		return inv.Result, a.invitationOf(inv), nil
	})
}

func (a *API) resendInvitation(w nethttp.ResponseWriter, r *nethttp.Request) error {
	account, err := pathID(r, "account")
	if err != nil {
		return err
	}
	return inWorkspace(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws uuid.UUID, _ *reasonOnly) (app.Result, any, error) {
		inv, err := a.App.ResendInvitation(ctx, meta, ws, account, 0)
		if err != nil {
			return app.Result{}, nil, err
		}
		return inv.Result, a.invitationOf(inv), nil
	})
}

func (a *API) revokeInvitation(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return onMember(a, w, r, commandSpec{optionalBody: true}, func(ctx context.Context, meta app.Meta, ws, account uuid.UUID, _ *reasonOnly) (app.Result, error) {
		return a.App.RevokeInvitation(ctx, meta, ws, domain.RevokeInvitation{AccountID: account})
	})
}

type acceptRequest struct {
	withReason
	Token string `json:"token" rule:"token" required:"true"`
}

// accepted is the answer to accepting an invitation: the new member and an API token
// for their account, shown once.
type accepted struct {
	commandResult
	WorkspaceID uuid.UUID `json:"workspace_id"`
	AccountID   uuid.UUID `json:"account_id"`
	APIToken    string    `json:"api_token"`
}

// acceptInvitation is public: the invitation token is the invitee's proof. Without an
// Idempotency-Key, the command id derives from the invitation token, so that a retried
// accept answers the same member and API token.
func (a *API) acceptInvitation(w nethttp.ResponseWriter, r *nethttp.Request) error {
	return runCommand(a, w, r, commandSpec{}, func(ctx context.Context, meta app.Meta, req *acceptRequest) (app.Result, any, error) {
		if req.Token == "" {
			return app.Result{}, nil, badField("token", "is required")
		}
		if meta.CommandID == uuid.Nil {
			meta.CommandID = uuid.NewSHA1(idempotencyNamespace, []byte("accept\x00"+req.Token))
		}
		res, ws, account, err := a.App.AcceptInvitation(ctx, meta, req.Token)
		if err != nil {
			return res, nil, err
		}
		secret, err := a.issueToken(ctx, meta, ws, account, "invitation")
		if err != nil {
			return res, nil, err
		}
		return res, accepted{commandResult: resultOf(res), WorkspaceID: ws, AccountID: account, APIToken: secret}, nil
	})
}
