package projections

import (
	"context"
	"time"
)

// A GIN index with fastupdate collects new entries in a pending list that a search
// reads in full, and whoever inserts past gin_pending_list_limit merges it into the
// index, inside their own statement. For a projector that merge is a stall of tens of
// milliseconds in the middle of a batch, which every read waiting on a consistency token
// waits through. So the read models' GIN indexes get a limit high enough that no insert
// reaches it, and the runtime merges their pending lists itself, on a connection of its
// own, often enough that a search never reads much of one.

// GINPendingListLimit is the limit (kB) of the read models' GIN indexes: a bound for
// when nobody merges their lists (no runtime running), not a pace.
const GINPendingListLimit = 16 * 1024

// ginCleanInterval is how often the runtime merges the pending lists. A merge costs
// about the same whether its list holds one second of inserts or two (60 ms at 200,000
// events, 110 ms at 1,000,000 under BenchmarkServe's invitations; 2 s cut the merges'
// time by 40%), while a search that reads two seconds of a busy list (about 2,600 rows
// at 1,300 invitations a second) still reads little.
const ginCleanInterval = 2 * time.Second

// ginCleanSQL merges the pending list of every GIN index of every read model's
// generation (schemas named as GenerationSchema names them).
const ginCleanSQL = `SELECT coalesce(sum(gin_clean_pending_list(c.oid)), 0) FROM pg_class c
	JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE a.amname = 'gin' AND c.relkind = 'i' AND n.nspname ~ '^p_.+_[0-9]+$'`

// cleanPendingLists merges the GIN pending lists every ginCleanInterval until ctx ends.
// A failure (an outage, an index dropped by a swap meanwhile) is logged at debug level
// and tried again at the next tick.
func (r *Runtime) cleanPendingLists(ctx context.Context) {
	tick := time.NewTicker(ginCleanInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var pages int64
		if err := r.pool.QueryRow(ctx, ginCleanSQL).Scan(&pages); err != nil && ctx.Err() == nil {
			r.opts.Logger.Debug("projections: merge GIN pending lists", "err", err)
		}
	}
}
