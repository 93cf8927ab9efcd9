package http

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// TestOpenAPIDocumentsEveryRoute compares the document with the router: every route it
// serves is an operation of the document, and the document has no other.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	api := NewAPI(APIConfig{})
	s := NewServer(Config{API: api})
	var served []string
	err := s.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		path, err := route.GetPathTemplate()
		if err != nil || !strings.HasPrefix(path, "/v1/") {
			return nil
		}
		methods, err := route.GetMethods()
		if err != nil {
			return err
		}
		for _, m := range methods {
			served = append(served, strings.ToLower(m)+" "+path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := api.openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(served)
	slices.Sort(documented)
	if !slices.Equal(served, documented) {
		t.Errorf("routes and document differ:\nserved     %v\ndocumented %v", served, documented)
	}
	if len(served) < 50 {
		t.Errorf("only %d routes served", len(served))
	}
}
