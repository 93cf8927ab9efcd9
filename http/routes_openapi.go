package http

import nethttp "net/http"

// openAPIRoutes serve the OpenAPI document of the API, to anyone.
func (a *API) openAPIRoutes() []route {
	return []route{
		{method: "GET", path: "/v1/openapi.json", handle: a.serveOpenAPI, public: true,
			doc: opDoc{summary: "This document", resp: map[string]any{}}},
	}
}

// serveOpenAPI answers the document, built once.
func (a *API) serveOpenAPI(w nethttp.ResponseWriter, _ *nethttp.Request) error {
	doc, err := a.openAPIDoc()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
	return nil
}

// openAPIDoc answers the document of the API's routes, built on first use.
func (a *API) openAPIDoc() ([]byte, error) {
	a.docOnce.Do(func() { a.doc, a.docErr = openAPI(a.routes()) })
	return a.doc, a.docErr
}
