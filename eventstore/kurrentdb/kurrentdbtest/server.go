// Package kurrentdbtest serves an in-memory model of a KurrentDB node, for the tests of
// code that uses the KurrentDB backend where no server runs.
package kurrentdbtest

import (
	"fmt"
	"math"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
	"github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/shared"
	api "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Server is an in-memory model of a single KurrentDB node's Streams service, as far as
// accessledger's backend uses it, written from the server's documented behaviour:
// appends conditional on a stream's revision and idempotent by event id where they
// would land; the multi-stream append of KurrentDB 25.1; stream and $all reads; catch-up subscriptions to $all with a stream
// filter; the server's own events in $all. Clients reach it through the real client
// and gRPC. It is a model, not the server: what it cannot show is what a real server
// decides differently. It is safe for concurrent use.
type Server struct {
	api.UnimplementedStreamsServer

	mu       sync.Mutex
	all      []*fakeRecord
	streams  map[string][]*fakeRecord
	appended chan struct{} // closed, and replaced, at every append

	addr              string       // host:port served
	grpc              *grpc.Server // nil while stopped
	noStreamPositions bool         // stream reads answer no $all position
	version           string       // an older version to answer; "" answers 25.1.0
	drops             int          // subscriptions still to drop
	streamReads       int          // stream reads served
}

// fakeRecord is a stored event.
type fakeRecord struct {
	id               uuid.UUID
	stream           string
	revision         uint64
	commit, prepare  uint64
	eventType        string
	contentType      string
	created          time.Time
	data, customMeta []byte
}

// Start serves an empty Server on loopback until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	f := &Server{streams: map[string][]*fakeRecord{}, appended: make(chan struct{})}
	if err := f.serve("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Stop)
	return f
}

func (f *Server) serve(addr string) error {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := grpc.NewServer()
	api.RegisterStreamsServer(srv, f)
	f.register(srv)
	go func() { _ = srv.Serve(lis) }()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addr, f.grpc = lis.Addr().String(), srv
	return nil
}

// Stop stops serving, as a node that goes down does: connections are closed and new
// ones refused. What the server holds stays, for Resume.
func (f *Server) Stop() {
	f.mu.Lock()
	srv := f.grpc
	f.grpc = nil
	f.mu.Unlock()
	if srv != nil {
		srv.Stop()
	}
}

// Resume serves again, on the address of before, with what the server held.
func (f *Server) Resume() error {
	f.mu.Lock()
	addr := f.addr
	f.mu.Unlock()
	return f.serve(addr)
}

// URL answers the server's connection string.
func (f *Server) URL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return "kurrentdb://" + f.addr + "?tls=false"
}

// OmitStreamPositions makes stream reads answer no $all position (the largest number in
// its place), as servers before EventStoreDB 22.10 did.
func (f *Server) OmitStreamPositions() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.noStreamPositions = true
}

// DropSubscriptions makes the next n subscriptions end with Unavailable after their
// confirmation, as a node going away does.
func (f *Server) DropSubscriptions(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drops = n
}

// StreamReads answers how many reads of a stream (not of $all) the server has served.
func (f *Server) StreamReads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streamReads
}

// Drops answers how many of the subscriptions DropSubscriptions asked for are still to
// drop.
func (f *Server) Drops() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.drops
}

// Rewrite replaces the data of the event at revision of stream (revisions count from 0)
// behind every client's back, as an attacker with access to the server's files could:
// for tests that verification finds it.
func (f *Server) Rewrite(stream string, revision uint64, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	stored := f.streams[stream]
	if revision >= uint64(len(stored)) {
		return fmt.Errorf("rewrite %s: no revision %d", stream, revision)
	}
	stored[revision].data = append([]byte(nil), data...)
	return nil
}

// Append implements the Streams service's append: a header, then the events.
func (f *Server) Append(stream api.Streams_AppendServer) error {
	header, err := stream.Recv()
	if err != nil {
		return err
	}
	opts := header.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "the first message is not the append's options")
	}
	rest, err := receiveAll(stream.Recv)
	if err != nil {
		return err
	}
	proposed := make([]*api.AppendReq_ProposedMessage, len(rest))
	for i, req := range rest {
		proposed[i] = req.GetProposedMessage()
	}
	return stream.SendAndClose(f.append(string(opts.GetStreamIdentifier().GetStreamName()), opts, proposed))
}

func (f *Server) append(name string, opts *api.AppendReq_Options, proposed []*api.AppendReq_ProposedMessage) *api.AppendResp {
	f.mu.Lock()
	defer f.mu.Unlock()
	stored := f.streams[name]
	ids := make([]uuid.UUID, len(proposed))
	for i, p := range proposed {
		ids[i] = fromProtoUUID(p.GetId())
	}
	current := int64(len(stored)) - 1 // -1: no stream
	var expected int64
	switch e := opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Revision:
		expected = int64(e.Revision)
	case *api.AppendReq_Options_NoStream:
		expected = -1
	case *api.AppendReq_Options_StreamExists:
		if current < 0 {
			return wrongExpected(current)
		}
		return f.write(name, proposed)
	default: // any: idempotent when the first id is stored and the rest follow it
		if at := slices.IndexFunc(stored, func(r *fakeRecord) bool { return r.id == ids[0] }); at >= 0 && sameIDs(stored[at:], ids) {
			return success(stored[at+len(ids)-1])
		}
		return f.write(name, proposed)
	}
	switch {
	case expected == current:
		return f.write(name, proposed)
	case expected < current && sameIDs(stored[expected+1:], ids):
		return success(stored[expected+int64(len(ids))])
	}
	return wrongExpected(current)
}

func sameIDs(stored []*fakeRecord, ids []uuid.UUID) bool {
	if len(stored) < len(ids) {
		return false
	}
	for i, id := range ids {
		if stored[i].id != id {
			return false
		}
	}
	return true
}

// write appends proposed to the stream and the log. The events of one append share
// their commit position, the log position of the first; each has its own prepare.
func (f *Server) write(name string, proposed []*api.AppendReq_ProposedMessage) *api.AppendResp {
	base := uint64(len(f.all))*100 + 100
	var last *fakeRecord
	for i, p := range proposed {
		last = &fakeRecord{id: fromProtoUUID(p.GetId()), stream: name, revision: uint64(len(f.streams[name])),
			commit: base, prepare: base + uint64(i)*10, eventType: p.GetMetadata()["type"], contentType: p.GetMetadata()["content-type"],
			created: time.Now(), data: p.GetData(), customMeta: p.GetCustomMetadata()}
		f.streams[name] = append(f.streams[name], last)
		f.all = append(f.all, last)
	}
	if len(f.all)%5 == 0 {
		f.serverEvent()
	}
	close(f.appended)
	f.appended = make(chan struct{})
	return success(last)
}

// serverEvent writes one of the server's own events, as a node does to its $stats
// streams, so that readers of $all meet them.
func (f *Server) serverEvent() {
	const name = "$stats-127.0.0.1:2113"
	pos := uint64(len(f.all))*100 + 100
	r := &fakeRecord{id: uuid.New(), stream: name, revision: uint64(len(f.streams[name])), commit: pos, prepare: pos,
		eventType: "$statsCollected", contentType: "application/json", created: time.Now(), data: []byte(`{}`)}
	f.streams[name] = append(f.streams[name], r)
	f.all = append(f.all, r)
}

func success(last *fakeRecord) *api.AppendResp {
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: last.revision},
		PositionOption: &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: last.commit, PreparePosition: last.prepare}},
	}}}
}

func wrongExpected(current int64) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{ExpectedRevisionOption: &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}}
	if current < 0 {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
	} else {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: uint64(current)}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}

// recordedEvent answers the wire form of r; withPosition false leaves out its $all
// position as old servers did on stream reads.
func (r *fakeRecord) recordedEvent(withPosition bool) *api.ReadResp {
	commit, prepare := r.commit, r.prepare
	if !withPosition {
		commit, prepare = math.MaxUint64, math.MaxUint64
	}
	most, least := kurrentdb.UUIDAsInt64(r.id)
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{MostSignificantBits: most, LeastSignificantBits: least}}},
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(r.stream)},
			StreamRevision:   r.revision, CommitPosition: commit, PreparePosition: prepare,
			Metadata: map[string]string{"type": r.eventType, "content-type": r.contentType,
				"created": strconv.FormatInt(r.created.UnixNano()/100, 10)},
			CustomMetadata: r.customMeta, Data: r.data,
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: commit},
	}}}
}

func fromProtoUUID(id *shared.UUID) uuid.UUID {
	s := id.GetStructured()
	u, err := kurrentdb.ParseUUIDFromInt64(s.GetMostSignificantBits(), s.GetLeastSignificantBits())
	if err != nil {
		return uuid.Nil
	}
	return u
}
