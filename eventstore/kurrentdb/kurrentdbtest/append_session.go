package kurrentdbtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/serverfeatures"
	"github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/shared"
	streamerrors "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v2/streams/errors"
	v2 "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v2/streams/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// multiStreamVersion is the version the model answers by default: the first with the
// multi-stream append.
const multiStreamVersion = "25.1.0"

// features answers the server's version and supported methods, by which the client
// knows whether it may use the multi-stream append.
type features struct {
	serverfeatures.UnimplementedServerFeaturesServer
	s *Server
}

// GetSupportedMethods implements the ServerFeatures service.
func (x features) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	out := &serverfeatures.SupportedMethods{EventStoreServerVersion: multiStreamVersion}
	if x.s.version != "" {
		out.EventStoreServerVersion = x.s.version
		return out, nil // an older server: no multi-stream append
	}
	out.Methods = []*serverfeatures.SupportedMethod{{ServiceName: "kurrentdb.protocol.v2.streams.streamsservice", MethodName: "appendsession"}}
	return out, nil
}

// ActAsVersion makes the server answer version, one without the multi-stream append (such
// as "24.10.0"), to the clients that connect from now on.
func (f *Server) ActAsVersion(version string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version = version
}

// sessions serves the v2 Streams service's multi-stream append on s.
type sessions struct {
	v2.UnimplementedStreamsServiceServer
	s *Server
}

// register adds the services of the multi-stream append to srv.
func (f *Server) register(srv *grpc.Server) {
	serverfeatures.RegisterServerFeaturesServer(srv, features{s: f})
	v2.RegisterStreamsServiceServer(srv, sessions{s: f})
}

// AppendSession implements the multi-stream append: one request per stream, checked
// all before any is written, then written in one commit. A record's properties become
// its metadata, a JSON object of strings. A session repeated after it was written
// conflicts: the backend recognises the retry by reading where it landed.
func (x sessions) AppendSession(stream grpc.ClientStreamingServer[v2.AppendRequest, v2.AppendSessionResponse]) error {
	requests, err := receiveAll(stream.Recv)
	if err != nil {
		return err
	}
	resp, err := x.s.appendSession(requests)
	if err != nil {
		return err
	}
	return stream.SendAndClose(resp)
}

func (f *Server) appendSession(requests []*v2.AppendRequest) (*v2.AppendSessionResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	for _, req := range requests {
		if seen[req.GetStream()] {
			return nil, status.Errorf(codes.InvalidArgument, "stream %s appears twice in the session", req.GetStream())
		}
		seen[req.GetStream()] = true
		if err := f.expect(req); err != nil {
			return nil, err
		}
	}
	base := uint64(len(f.all))*100 + 100
	resp := &v2.AppendSessionResponse{Position: int64(base)}
	prepare := base
	for _, req := range requests {
		var last *fakeRecord
		for _, rec := range req.GetRecords() {
			r, err := recordOf(req.GetStream(), uint64(len(f.streams[req.GetStream()])), rec)
			if err != nil {
				return nil, err
			}
			r.commit, r.prepare = base, prepare
			prepare += 10
			f.streams[r.stream] = append(f.streams[r.stream], r)
			f.all = append(f.all, r)
			last = r
		}
		pos := int64(last.commit)
		resp.Output = append(resp.Output, &v2.AppendResponse{Stream: req.GetStream(), StreamRevision: int64(last.revision), Position: &pos})
	}
	close(f.appended)
	f.appended = make(chan struct{})
	return resp, nil
}

// expect refuses a request whose stream is not at its expected revision, with the
// error details the server gives.
func (f *Server) expect(req *v2.AppendRequest) error {
	current := int64(len(f.streams[req.GetStream()])) - 1 // -1: no stream
	want := int64(-2)                                     // any, when omitted
	if req.ExpectedRevision != nil {
		want = req.GetExpectedRevision()
	}
	ok := want == current || want == -2 || want == -4 && current >= 0
	if ok {
		return nil
	}
	st, err := status.New(codes.FailedPrecondition, fmt.Sprintf("stream %s is at revision %d", req.GetStream(), current)).
		WithDetails(&streamerrors.StreamRevisionConflictErrorDetails{Stream: req.GetStream(), ExpectedRevision: want, ActualRevision: current})
	if err != nil {
		return err
	}
	return st.Err()
}

// recordOf answers the stored form of a record appended to stream at revision.
func recordOf(stream string, revision uint64, rec *v2.AppendRecord) (*fakeRecord, error) {
	id, err := uuid.Parse(rec.GetRecordId())
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "record id %q: %v", rec.GetRecordId(), err)
	}
	props := map[string]string{}
	for k, v := range rec.GetProperties() {
		props[k] = v.GetStringValue()
	}
	meta, err := json.Marshal(props)
	if err != nil {
		return nil, err
	}
	contentType := "application/octet-stream"
	if rec.GetSchema().GetFormat() == v2.SchemaFormat_SCHEMA_FORMAT_JSON {
		contentType = "application/json"
	}
	return &fakeRecord{id: id, stream: stream, revision: revision, eventType: rec.GetSchema().GetName(),
		contentType: contentType, created: time.Now(), data: rec.GetData(), customMeta: meta}, nil
}

// receiveAll answers the messages a client stream sends until it ends.
func receiveAll[T any](recv func() (*T, error)) ([]*T, error) {
	var all []*T
	for {
		m, err := recv()
		if errors.Is(err, io.EOF) {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, m)
	}
}
