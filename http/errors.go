package http

import (
	"context"
	"errors"
	"log/slog"
	nethttp "net/http"

	"accessledger/apitoken"
	"accessledger/app"
	"accessledger/domain"
	"accessledger/eventstore"
	"accessledger/projections"
)

// Problems the HTTP layer itself answers, beside the domain's codes.
const (
	codeUnauthorized       = "unauthorized"
	codePreconditionFailed = "version_conflict"
	codeBodyTooLarge       = "body_too_large"
	codeUnsupportedMedia   = "unsupported_media_type"
	codeNotAcceptable      = "not_acceptable"
	codeNotCaughtUp        = "not_caught_up"
	codeUnavailable        = "unavailable"
	codeNotReady           = "not_ready"
	codeTooManyConflicts   = "too_many_conflicts"
	codeMethodNotAllowed   = "method_not_allowed"
	codeInternal           = "internal"
)

// kindStatus maps domain error kinds to statuses: the one place where the domain's
// refusals become HTTP.
var kindStatus = map[domain.Kind]int{
	domain.KindValidation: nethttp.StatusBadRequest,
	domain.KindNotFound:   nethttp.StatusNotFound,
	domain.KindForbidden:  nethttp.StatusForbidden,
	domain.KindConflict:   nethttp.StatusConflict,
}

// writeError answers err as a problem document. Domain refusals keep their code,
// message and fields; anything unexpected is logged with the request id and answered
// 500 without detail, so that nothing internal leaks.
func (a *API) writeError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	writeProblemDoc(w, a.problemOf(r, err))
}

func (a *API) problemOf(r *nethttp.Request, err error) problem {
	var de *domain.Error
	var pre *app.PreconditionError
	var qe *projections.QueryError
	var fe *fieldError
	switch {
	case errors.As(err, &de):
		if status, ok := kindStatus[de.Kind]; ok {
			return problem{Status: status, Code: de.Code, Detail: de.Message, Errors: de.Fields, Details: de.Details}
		}
	case errors.As(err, &fe):
		return problem{Status: fe.status(), Code: domain.CodeValidationFailed, Detail: fe.Error(),
			Errors: []domain.FieldError{{Field: fe.field, Message: fe.message}}}
	case errors.As(err, &qe):
		return problem{Status: nethttp.StatusBadRequest, Code: domain.CodeValidationFailed, Detail: qe.Error(),
			Errors: []domain.FieldError{{Field: qe.Field, Message: qe.Message}}}
	case errors.As(err, &pre) && pre.OtherKind != "":
		return problem{Status: nethttp.StatusPreconditionFailed, Code: codePreconditionFailed,
			Detail: "If-Match holds the version of a " + pre.OtherKind + ", which this request does not change; send the ETag of what it changes"}
	case errors.As(err, &pre):
		return problem{Status: nethttp.StatusPreconditionFailed, Code: codePreconditionFailed,
			Detail: "the resource changed: it is at version " + itoa(pre.Actual) + ", not " + itoa(pre.Expected)}
	case errors.Is(err, apitoken.ErrInvalid):
		return problem{Status: nethttp.StatusUnauthorized, Code: codeUnauthorized, Detail: err.Error()}
	case errors.Is(err, eventstore.ErrInvalid):
		// The edge lets through only what the store records; this is the last line of
		// defence, and a gap in the edge's rules, so it is logged.
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "the event store refused input the edge accepted",
			slog.String("request_id", requestID(r)), slog.String("path", r.URL.Path), slog.Any("err", err))
		return problem{Status: nethttp.StatusBadRequest, Code: domain.CodeValidationFailed,
			Detail: "the request holds a value the event store cannot record"}
	case errors.Is(err, app.ErrTooManyConflicts):
		return problem{Status: nethttp.StatusConflict, Code: codeTooManyConflicts, Detail: "the resource kept changing; try again"}
	case errors.Is(err, errNotCaughtUp):
		return problem{Status: nethttp.StatusServiceUnavailable, Code: codeNotCaughtUp,
			Detail: "the read model has not caught up with the consistency token yet; retry"}
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The client went away: nobody reads the answer, and it is not the server's fault.
		// First: a call cut short by the client is no outage, whatever it looks like.
		return problem{Status: 499, Code: "client_closed_request"}
	case unavailable(err):
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "dependency unavailable",
			slog.String("request_id", requestID(r)), slog.String("path", r.URL.Path), slog.Any("err", err))
		return problem{Status: nethttp.StatusServiceUnavailable, Code: codeUnavailable, retryAfter: true,
			Detail: "a store the service depends on cannot be reached just now; retry (a command retried with the same Idempotency-Key applies once)"}
	case errors.Is(err, projections.ErrNotReady):
		a.log.LogAttrs(r.Context(), slog.LevelInfo, "read model not ready",
			slog.String("request_id", requestID(r)), slog.String("path", r.URL.Path), slog.Any("err", err))
		return problem{Status: nethttp.StatusServiceUnavailable, Code: codeNotReady, retryAfter: true,
			Detail: "the read model is being installed or built as the service starts; retry"}
	}
	a.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
		slog.String("request_id", requestID(r)), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Any("err", err))
	return problem{Status: nethttp.StatusInternalServerError, Code: codeInternal, Detail: "an internal error occurred; the request id names it in the server's log"}
}

// unavailable reports whether err says that a store the service depends on cannot
// answer now (the event store, the read models' or the tokens' database): an outage,
// answered 503, not a fault of the request or of the service's code. The stores
// classify their errors; this only reads their verdict.
func unavailable(err error) bool {
	return errors.Is(err, eventstore.ErrUnavailable) || errors.Is(err, projections.ErrUnavailable) ||
		errors.Is(err, apitoken.ErrUnavailable)
}
