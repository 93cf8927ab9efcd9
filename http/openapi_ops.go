package http

import (
	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/projections"
)

// opDoc documents one operation for /v1/openapi.json: what it does, its body, its
// answer and its query parameters. The document is built from the routes and these;
// a test keeps the two in step and checks answers against the document.
type opDoc struct {
	summary string
	req     any     // the body's type; nil: only an optional reason (reasonOnly), or none with noBody
	resp    any     // the answer's type; nil: commandResult
	ok      int     // the success status; 0 is 200
	query   []param // query parameters, as the handler parses them
	noBody  bool    // a command that reads no body, hence takes no reason
	// problems are statuses of problem documents the operation answers beside
	// problemStatuses (and bodyProblemStatuses, for one that decodes a body).
	problems []int
}

// opDocs documents every route, by "METHOD path".
var opDocs = map[string]opDoc{
	"POST /v1/workspaces":                                              {summary: "Create a workspace with its owner (platform admins); answers an owner API token", req: createWorkspaceRequest{}, resp: createdWorkspace{}, ok: 201},
	"GET /v1/workspaces/{ws}":                                          {summary: "Read a workspace", resp: app.WorkspaceInfo{}},
	"PATCH /v1/workspaces/{ws}":                                        {summary: "Rename a workspace", req: renameRequest{}},
	"PUT /v1/workspaces/{ws}/plan":                                     {summary: "Change the plan's seats (owner)", req: planRequest{}},
	"POST /v1/workspaces/{ws}/ownership":                               {summary: "Transfer ownership to an active admin (owner)", req: ownershipRequest{}},
	"PUT /v1/workspaces/{ws}/modules/{module}":                         {summary: "Enable or disable a module and set its minimum role", req: moduleRequest{}},
	"DELETE /v1/workspaces/{ws}":                                       {summary: "Delete the workspace, with a reason, restorable for 30 days (owner)", req: deleteWorkspaceRequest{}},
	"POST /v1/workspaces/{ws}/restore":                                 {summary: "Restore a deleted workspace within 30 days (owner, platform admins)"},
	"POST /v1/workspaces/{ws}/projects":                                {summary: "Define a project", req: catalogRequest{}, resp: catalogItem{}, ok: 201},
	"DELETE /v1/workspaces/{ws}/projects/{id}":                         {summary: "Archive a project"},
	"POST /v1/workspaces/{ws}/booking/categories":                      {summary: "Define a booking category", req: catalogRequest{}, resp: catalogItem{}, ok: 201},
	"DELETE /v1/workspaces/{ws}/booking/categories/{id}":               {summary: "Retire a booking category"},
	"POST /v1/workspaces/{ws}/booking/visas":                           {summary: "Define a visa", req: catalogRequest{}, resp: catalogItem{}, ok: 201},
	"DELETE /v1/workspaces/{ws}/booking/visas/{id}":                    {summary: "Retire a visa"},
	"POST /v1/workspaces/{ws}/clients":                                 {summary: "Register a client account", req: catalogRequest{}, resp: catalogItem{}, ok: 201},
	"DELETE /v1/workspaces/{ws}/clients/{id}":                          {summary: "Retire a client account"},
	"PUT /v1/workspaces/{ws}/spend-scopes/{scope}":                     {summary: "Define a provider, cloud account, subscription or spend group (admins)", req: spendScopeRequest{}},
	"PUT /v1/workspaces/{ws}/spend-scopes/{group}/members/{scope}":     {summary: "Assign a cloud account or subscription to a spend group (admins)"},
	"DELETE /v1/workspaces/{ws}/spend-scopes/{group}/members/{scope}":  {summary: "Take a cloud account or subscription out of a spend group (admins)"},
	"POST /v1/workspaces/{ws}/invitations":                             {summary: "Invite a person by email; answers the invitation token and URL", req: inviteRequest{}, resp: invitation{}, ok: 201},
	"POST /v1/workspaces/{ws}/invitations/{account}/resend":            {summary: "Resend an invitation with a new token", resp: invitation{}},
	"DELETE /v1/workspaces/{ws}/invitations/{account}":                 {summary: "Revoke an invitation"},
	"POST /v1/invitations/accept":                                      {summary: "Accept an invitation (no API token needed); answers an API token", req: acceptRequest{}, resp: accepted{}},
	"POST /v1/workspaces/{ws}/access-requests":                         {summary: "Ask to join the workspace, as the calling account", ok: 201},
	"POST /v1/workspaces/{ws}/access-requests/{account}/approve":       {summary: "Approve an access request with a role", req: approveRequest{}},
	"POST /v1/workspaces/{ws}/access-requests/{account}/reject":        {summary: "Reject an access request"},
	"GET /v1/workspaces/{ws}/members":                                  {summary: "List members, filtered, sorted, a page at a time", resp: page[memberView]{}, query: memberParams},
	"GET /v1/workspaces/{ws}/members/{account}":                        {summary: "A member's detail; with as_of, what the member could do then", resp: memberDetail(), query: asOfParams},
	"GET /v1/workspaces/{ws}/members/{account}/history":                {summary: "A member's authorization history", resp: page[historyChangeView]{}, query: historyParams},
	"PUT /v1/workspaces/{ws}/members/{account}/role":                   {summary: "Change a member's workspace role", req: roleRequest{}},
	"POST /v1/workspaces/{ws}/members/{account}/license/deactivate":    {summary: "Deactivate a member's license, freeing a seat"},
	"POST /v1/workspaces/{ws}/members/{account}/license/reactivate":    {summary: "Reactivate a member's license, taking a seat"},
	"POST /v1/workspaces/{ws}/members/{account}/suspend":               {summary: "Suspend a member", req: suspendRequest{}},
	"POST /v1/workspaces/{ws}/members/{account}/reinstate":             {summary: "Reinstate a suspended member"},
	"DELETE /v1/workspaces/{ws}/members/{account}":                     {summary: "Delete a member, restorable for 30 days"},
	"POST /v1/workspaces/{ws}/members/{account}/restore":               {summary: "Restore a deleted member with every grant"},
	"POST /v1/workspaces/{ws}/members/{account}/welcome-email":         {summary: "Send the welcome email, at most once"},
	"PUT /v1/workspaces/{ws}/members/{account}/projects/{project}":     {summary: "Give a member a role in a project", req: projectRoleRequest{}},
	"DELETE /v1/workspaces/{ws}/members/{account}/projects/{project}":  {summary: "Remove a member from a project"},
	"PUT /v1/workspaces/{ws}/members/{account}/visas/{category}":       {summary: "Grant a visa on a booking category", req: visaRequest{}},
	"DELETE /v1/workspaces/{ws}/members/{account}/visas/{category}":    {summary: "Revoke a member's visa on a category"},
	"PUT /v1/workspaces/{ws}/members/{account}/clients/{client}":       {summary: "Link a member to a client account"},
	"DELETE /v1/workspaces/{ws}/members/{account}/clients/{client}":    {summary: "Unlink a member from a client account"},
	"PUT /v1/workspaces/{ws}/members/{account}/permissions":            {summary: "Set permission overrides of the role's defaults", req: permissionsRequest{}},
	"PUT /v1/workspaces/{ws}/members/{account}/scopes/{scope}":         {summary: "Set a member's level on a scope", req: scopeRequest{}},
	"POST /v1/workspaces/{ws}/members/{account}/copy-permissions":      {summary: "Copy another member's grants", req: copyRequest{}},
	"PUT /v1/workspaces/{ws}/members/{account}/security":               {summary: "Set a member's security settings", req: securityRequest{}},
	"PUT /v1/workspaces/{ws}/members/{account}/contract":               {summary: "Set a member's contract information", req: contractRequest{}},
	"GET /v1/workspaces/{ws}/licenses":                                 {summary: "Seats, used by status, available, and daily usage", resp: licensesView{}, query: licenseParams},
	"GET /v1/workspaces/{ws}/booking/categories/{category}/authorized": {summary: "Who may book a category, now or as_of", resp: page[bookerView]{}, query: asOfParams},
	"GET /v1/workspaces/{ws}/access/check":                             {summary: "May an account do an action, from one indexed row", resp: decisionView{}, query: checkParams},
	"GET /v1/workspaces/{ws}/history":                                  {summary: "The activity log; Accept text/csv or application/x-ndjson exports it", resp: page[activityView]{}, query: activityParams, problems: []int{406}},
	"GET /v1/streams/{stream}/events":                                  {summary: "A stream's raw events with envelope and hash chain", resp: eventsPage{}, query: streamParams},
	"GET /v1/events":                                                   {summary: "The global log (platform admins)", resp: eventsPage{}, query: logParams},
	"GET /v1/accounts/{account}":                                       {summary: "An account's profile", resp: accountView{}},
	"PATCH /v1/accounts/{account}":                                     {summary: "Change an account's profile or email", req: accountPatch{}},
	"GET /v1/accounts/{account}/tokens":                                {summary: "The account's API tokens, revoked ones included, never their secrets", resp: page[apitoken.Token]{}},
	"DELETE /v1/accounts/{account}/tokens/{id}":                        {summary: "Revoke one of the account's API tokens", resp: tokenRevoked{}, noBody: true},
	"GET /v1/projections":                                              {summary: "Projections' state and lag (platform admins)", resp: page[projections.Status]{}},
	"POST /v1/projections/{name}/rebuild":                              {summary: "Start rebuilding a projection (platform admins)", resp: rebuildStarted{}, ok: 202, noBody: true},
	"GET /v1/openapi.json":                                             {summary: "This document", resp: map[string]any{}},
}
