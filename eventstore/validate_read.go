package eventstore

// MaxReadLimit caps the events one read answers, whatever limit the caller asks.
const MaxReadLimit = 10_000

// ReadLimit checks a read's limit and answers the number of events to read:
// DefaultReadLimit for 0, at most MaxReadLimit; a *ValidationError below zero. Every
// backend calls it, so that reads are refused and capped alike.
func ReadLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, &ValidationError{Field: "limit", Problem: "below zero"}
	case limit == 0:
		return DefaultReadLimit, nil
	case limit > MaxReadLimit:
		return MaxReadLimit, nil
	}
	return limit, nil
}

// PrepareReadStream checks a stream read and answers its options with the limit as
// ReadLimit answers it.
func PrepareReadStream(stream string, opts ReadStreamOptions) (ReadStreamOptions, error) {
	if err := ValidateStreamName(stream); err != nil {
		return opts, err
	}
	if opts.From < 0 {
		return opts, &ValidationError{Field: "from", Problem: "below zero"}
	}
	limit, err := ReadLimit(opts.Limit)
	opts.Limit = limit
	return opts, err
}
