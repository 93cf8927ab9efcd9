package kurrentdbtest

import (
	"regexp"
	"slices"
	"strings"

	api "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/streams"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Read implements the Streams service's reads of a stream or of $all, and catch-up
// subscriptions to $all.
func (f *Server) Read(req *api.ReadReq, out api.Streams_ReadServer) error {
	opts := req.GetOptions()
	backward := opts.GetReadDirection() == api.ReadReq_Options_Backwards
	if _, ok := opts.GetCountOption().(*api.ReadReq_Options_Subscription); ok {
		if opts.GetAll() == nil {
			return status.Error(codes.Unimplemented, "the model subscribes to $all only")
		}
		return f.subscribe(opts, out)
	}
	f.mu.Lock()
	var page []*fakeRecord
	withPositions := true
	if s := opts.GetStream(); s != nil {
		f.streamReads++
		stored, ok := f.streams[string(s.GetStreamIdentifier().GetStreamName())]
		if !ok {
			f.mu.Unlock()
			return out.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{
				StreamNotFound: &api.ReadResp_StreamNotFound{StreamIdentifier: s.GetStreamIdentifier()}}})
		}
		page = streamPage(stored, s, backward)
		withPositions = !f.noStreamPositions
	} else {
		page = allPage(f.all, opts.GetAll(), backward)
	}
	f.mu.Unlock()
	for i, r := range page {
		if uint64(i) == opts.GetCount() {
			break
		}
		if err := out.Send(r.recordedEvent(withPositions)); err != nil {
			return err
		}
	}
	return nil
}

// streamPage answers the records of a stream a read asks for, in its direction.
func streamPage(stored []*fakeRecord, s *api.ReadReq_Options_StreamOptions, backward bool) []*fakeRecord {
	from := 0
	if backward {
		from = len(stored) - 1
	}
	if r, ok := s.GetRevisionOption().(*api.ReadReq_Options_StreamOptions_Revision); ok {
		from = min(int(r.Revision), len(stored))
	}
	if !backward {
		return stored[from:]
	}
	out := slices.Clone(stored[:min(from+1, len(stored))])
	slices.Reverse(out)
	return out
}

// allPage answers the records of $all a read asks for: forward from a position, the
// record at it included; backward from a position, the records before it.
func allPage(all []*fakeRecord, a *api.ReadReq_Options_AllOptions, backward bool) []*fakeRecord {
	at := 0
	if backward {
		at = len(all)
	}
	if p := a.GetPosition(); p != nil {
		at = slices.IndexFunc(all, func(r *fakeRecord) bool { return !r.before(p.CommitPosition, p.PreparePosition) })
		if at < 0 {
			at = len(all)
		}
	}
	if !backward {
		return all[at:]
	}
	out := slices.Clone(all[:at])
	slices.Reverse(out)
	return out
}

func (r *fakeRecord) before(commit, prepare uint64) bool {
	return r.commit < commit || r.commit == commit && r.prepare < prepare
}

func (r *fakeRecord) after(commit, prepare uint64) bool {
	return r.commit > commit || r.commit == commit && r.prepare > prepare
}

// subscribe serves a catch-up subscription to $all: the confirmation, the records after
// its position (exclusive) that pass its filter, then new ones as they are appended,
// until the client goes away.
func (f *Server) subscribe(opts *api.ReadReq_Options, out api.Streams_ReadServer) error {
	confirm := &api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: &api.ReadResp_SubscriptionConfirmation{SubscriptionId: "model"}}}
	if err := out.Send(confirm); err != nil {
		return err
	}
	f.mu.Lock()
	if f.drops > 0 {
		f.drops--
		f.mu.Unlock()
		return status.Error(codes.Unavailable, "the node went away")
	}
	next := 0
	if opts.GetAll().GetEnd() != nil {
		next = len(f.all)
	}
	if p := opts.GetAll().GetPosition(); p != nil {
		next = slices.IndexFunc(f.all, func(r *fakeRecord) bool { return r.after(p.CommitPosition, p.PreparePosition) })
		if next < 0 {
			next = len(f.all)
		}
	}
	f.mu.Unlock()
	keep := streamFilter(opts.GetFilter())
	for {
		f.mu.Lock()
		fresh, wake := f.all[next:], f.appended
		f.mu.Unlock()
		for _, r := range fresh {
			next++
			if !keep(r.stream) {
				continue
			}
			if err := out.Send(r.recordedEvent(true)); err != nil {
				return err
			}
		}
		if len(fresh) == 0 {
			select {
			case <-wake:
			case <-out.Context().Done():
				return out.Context().Err()
			}
		}
	}
}

// streamFilter answers the test of a subscription's stream filter: prefixes, a regex, or
// none (every stream).
func streamFilter(filter *api.ReadReq_Options_FilterOptions) func(string) bool {
	expr := filter.GetStreamIdentifier()
	switch {
	case expr == nil:
		return func(string) bool { return true }
	case len(expr.GetPrefix()) > 0:
		return func(s string) bool {
			return slices.ContainsFunc(expr.GetPrefix(), func(p string) bool { return strings.HasPrefix(s, p) })
		}
	}
	re := regexp.MustCompile(expr.GetRegex())
	return re.MatchString
}
