package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	nethttp "net/http"
	"strconv"
	"strings"
)

// maxBodyBytes bounds a request body: the largest command (an invitation with project
// roles, a permission list) is a few kilobytes.
const maxBodyBytes = 64 << 10

// fieldError is a request the HTTP layer refuses before any command sees it: a body
// that is not the JSON it should be, a bad path or query parameter. field is "" for
// the body as a whole.
type fieldError struct {
	field, message string
	code           int // the status; 0 means 400
}

func (e *fieldError) Error() string {
	if e.field == "" {
		return e.message
	}
	return e.field + ": " + e.message
}

func (e *fieldError) status() int {
	if e.code == 0 {
		return nethttp.StatusBadRequest
	}
	return e.code
}

func badField(field, format string, args ...any) error {
	return &fieldError{field: field, message: fmt.Sprintf(format, args...)}
}

// decodeBody decodes the request's JSON body into dst strictly: unknown fields, trailing
// data, wrong types, bodies over maxBodyBytes and strings that break their field's rule
// (checkFields) are refused with the field named. An
// empty body decodes to dst unchanged when optional, so that commands whose fields are
// all optional (a reason) may be sent without one.
func decodeBody(w nethttp.ResponseWriter, r *nethttp.Request, dst any, optional bool) error {
	if r.Body == nil || r.Body == nethttp.NoBody {
		return noBody(optional)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if charset, ok := params["charset"]; err != nil || mt != "application/json" || (ok && !strings.EqualFold(charset, "utf-8")) {
			return &fieldError{message: "send the body as application/json in UTF-8", code: nethttp.StatusUnsupportedMediaType}
		}
	}
	dec := json.NewDecoder(nethttp.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if errors.Is(err, io.EOF) {
			return noBody(optional)
		}
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badField("", "the body holds data after its JSON value")
	}
	return checkFields(dst)
}

// decodeError turns encoding/json's errors into a field error that names the field.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooLarge *nethttp.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &fieldError{message: "the body is larger than " + strconv.Itoa(maxBodyBytes) + " bytes", code: nethttp.StatusRequestEntityTooLarge}
	case errors.As(err, &syntax):
		return badField("", "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return badField("", "the body must be a JSON object")
		}
		return badField(field, "must be %s", jsonTypeName(typeErr.Type.Kind().String()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badField("", "the JSON body ends early")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badField(strings.Trim(name, `"`), "is not a field of this request")
	}
	return badField("", "%v", err)
}

func noBody(optional bool) error {
	if optional {
		return nil
	}
	return badField("", "a JSON body is required")
}

// jsonTypeName answers how a Go kind is spelled in JSON, for messages.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	}
	return "a " + kind
}

// refuseBody refuses a request body on a route that takes none: one sent is a client's
// mistake (a reason it believes recorded, say), refused rather than ignored.
func refuseBody(r *nethttp.Request) error {
	if r.Body == nil || r.Body == nethttp.NoBody {
		return nil
	}
	var one [1]byte
	if n, _ := io.ReadFull(r.Body, one[:]); n > 0 {
		return badField("", "this request takes no body")
	}
	return nil
}
