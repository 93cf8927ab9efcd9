package app

import "context"

// A command of several steps answers the version of one stream, its main one; If-Match
// (Meta.IfVersion) is about that stream. It is checked before the command's first
// append, so that a stale If-Match refuses the command whole, and again on the main
// step's own append; the other steps run without it.

// withoutPrecondition answers meta for the steps of a command other than its main one.
func withoutPrecondition(meta Meta) Meta {
	meta.IfVersion = nil
	return meta
}

// precondition checks meta.IfVersion against the latest version of the main step's
// stream before anything is appended.
func (s *Service) precondition(ctx context.Context, meta Meta, main step) error {
	if meta.IfVersion == nil {
		return nil
	}
	return s.dryRun(ctx, meta, main, func(aggregate, *Result) error { return nil })
}

// dryRun runs fn under the main step's lock on the latest state of its stream, before
// a multi-step command appends anything. done is the result of the step when an
// earlier run of the command appended it (a retry), nil otherwise; only then is
// meta.IfVersion not checked, since the command's own append moved the stream on.
func (s *Service) dryRun(ctx context.Context, meta Meta, main step, fn func(state aggregate, done *Result) error) error {
	s.locks.Lock(main.stream)
	defer func() { _ = s.locks.Unlock(main.stream) }()
	e, fresh, err := s.entry(ctx, main)
	if err == nil && !fresh {
		_, err = s.refresh(ctx, main.stream, e)
	}
	if err != nil {
		return err
	}
	if res, done := e.recent.lookup(eventID(meta.CommandID, main.name, main.stream, 0)); done {
		return fn(e.state, &res)
	}
	if err := meta.unmet(main.stream, e.version); err != nil {
		return err
	}
	return fn(e.state, nil)
}
