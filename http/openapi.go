package http

import (
	"fmt"
	nethttp "net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/swaggest/jsonschema-go"
	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"

	"accessledger/app"
	"accessledger/eventstore"
)

// bearerScheme names the security scheme of the document: API tokens.
const bearerScheme = "bearer"

// Statuses every authenticated operation may answer with a problem document.
var problemStatuses = []int{400, 401, 403, 404, 409, 412, 503}

// bodyProblemStatuses are those an operation that decodes a body answers besides: a
// body over maxBodyBytes, and one that is not application/json in UTF-8.
var bodyProblemStatuses = []int{nethttp.StatusRequestEntityTooLarge, nethttp.StatusUnsupportedMediaType}

var pathParamPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

// opDoc documents one operation for /v1/openapi.json: what it does, its body, its
// answer and its query parameters. Each route carries its own, beside its handler, and
// the document is built from the routes; tests check answers against the document.
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

// openAPI builds the OpenAPI 3.1 document of routes from their docs: the request and
// answer schemas are reflected from the very types the handlers decode and encode.
func openAPI(routes []route) ([]byte, error) {
	r := openapi31.NewReflector()
	r.Spec.Info.WithTitle("accessledger").WithVersion("v1").
		WithDescription("Event-sourced user and access management. Commands answer the stream version in ETag and a consistency token in X-Consistency-Token; see docs/api.md in the repository.")
	r.Spec.SetHTTPBearerTokenSecurity(bearerScheme, "opaque", "API token: accessledger token create, or an accepted invitation")
	r.AddTypeMapping(eventstore.Position{}, "")
	r.DefaultOptions = append(r.DefaultOptions, jsonschema.InterceptProp(requireAnswerFields), jsonschema.InterceptProp(documentRule),
		jsonschema.InterceptDefName(func(_ reflect.Type, name string) string {
			return strings.TrimPrefix(strings.ReplaceAll(name, "AccessledgerHttp", ""), "Http")
		}))
	r.AddTypeMapping(app.WorkspaceInfo{}, workspaceInfoDoc{})
	for _, rt := range routes {
		if err := addOperation(r, rt); err != nil {
			return nil, err
		}
	}
	doc, err := r.Spec.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("encode the OpenAPI document: %w", err)
	}
	return doc, nil
}

func addOperation(r *openapi31.Reflector, rt route) error {
	key, d := rt.method+" "+rt.path, rt.doc
	if d.summary == "" {
		return fmt.Errorf("openapi: route %s has no doc", key)
	}
	oc, err := r.NewOperationContext(rt.method, rt.path)
	if err != nil {
		return fmt.Errorf("openapi: %s: %w", key, err)
	}
	oc.SetSummary(d.summary)
	oc.SetID(operationID(rt))
	oc.AddReqStructure(parameters(rt.path, d.query))
	problems := slices.Concat(problemStatuses, d.problems)
	if req := requestOf(rt, d); req != nil {
		oc.AddReqStructure(req)
		problems = append(problems, bodyProblemStatuses...)
	}
	resp, status := d.resp, d.ok
	if resp == nil {
		resp = commandResult{}
	}
	if status == 0 {
		status = nethttp.StatusOK
	}
	oc.AddRespStructure(resp, openapi.WithHTTPStatus(status))
	if !rt.public {
		oc.AddSecurity(bearerScheme)
	}
	for _, s := range problems {
		oc.AddRespStructure(problem{}, openapi.WithHTTPStatus(s), openapi.WithContentType("application/problem+json"))
	}
	if err := r.AddOperation(oc); err != nil {
		return fmt.Errorf("openapi: %s: %w", key, err)
	}
	return nil
}

// requestOf answers the body an operation decodes, nil for none: every command decodes
// at least an optional reason.
func requestOf(rt route, d opDoc) any {
	switch {
	case d.req != nil:
		return d.req
	case rt.method != nethttp.MethodGet && !d.noBody:
		return reasonOnly{}
	}
	return nil
}

// requireAnswerFields marks as required every field of an answer that is always
// encoded (no omitempty), so that the document says what clients may rely on.
func requireAnswerFields(p jsonschema.InterceptPropParams) error {
	if !p.Processed || p.ParentSchema == nil {
		return nil
	}
	tag := p.Field.Tag.Get("json")
	if tag == "" || tag == "-" || strings.Contains(tag, ",omitempty") {
		return nil
	}
	if oc, ok := openapi.OperationCtx(p.Context); !ok || !oc.IsProcessingResponse() {
		return nil
	}
	if !slices.Contains(p.ParentSchema.Required, p.Name) {
		p.ParentSchema.Required = append(p.ParentSchema.Required, p.Name)
	}
	return nil
}

// operationID names an operation after its method and path, e.g. get_workspaces_ws_members.
func operationID(rt route) string {
	id := strings.NewReplacer("/v1/", "", "/", "_", "{", "", "}", "", "-", "_").Replace(rt.path)
	return strings.ToLower(rt.method) + "_" + id
}

// workspaceInfoDoc is how app.WorkspaceInfo encodes.
type workspaceInfoDoc struct {
	ID             string `json:"id" format:"uuid"`
	Name           string `json:"name"`
	Seats          int    `json:"seats"`
	SeatsUsed      int    `json:"seats_used"`
	OwnerAccountID string `json:"owner_account_id" format:"uuid"`
}
