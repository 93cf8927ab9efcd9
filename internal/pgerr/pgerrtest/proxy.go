// Package pgerrtest plays PostgreSQL outages for tests: a TCP proxy in front of a real
// server that a test takes down (connections refused), turns into a server starting up
// (every connection refused with SQLSTATE 57P03, as PostgreSQL does after a restart
// until it accepts connections) and brings back, cutting the connections it carried.
package pgerrtest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

// mode is what the proxy does with a new connection.
type mode int

const (
	forward  mode = iota // to the server
	startup              // refuse it with 57P03
	refusing             // no listener: the dial is refused
)

// Proxy forwards connections to a PostgreSQL server until told to play an outage. Its
// methods are safe for concurrent use.
type Proxy struct {
	t      testing.TB
	target string // host:port of the server
	addr   string // host:port the proxy listens on, the same across outages

	mu    sync.Mutex
	ln    net.Listener // nil while refusing
	mode  mode
	conns map[net.Conn]struct{} // open connections, both sides
	wg    sync.WaitGroup
}

// Start runs a proxy in front of the server of connString (a postgres:// URL) until the
// test ends, and answers it with the connection string that goes through it.
func Start(t testing.TB, connString string) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(connString)
	if err != nil || u.Host == "" {
		t.Fatalf("pgerrtest: %q is not a postgres:// URL with a host: %v", connString, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pgerrtest: listen: %v", err)
	}
	p := &Proxy{t: t, target: u.Host, addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	t.Cleanup(p.close)
	proxied := *u
	proxied.Host = p.addr
	return p, proxied.String()
}

// Refuse cuts every connection and refuses new ones, as a server that is down.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = refusing
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.cutLocked()
}

// StartingUp cuts every connection and answers new ones with FATAL 57P03 "the database
// system is not yet accepting connections", as a server that is restarting.
func (p *Proxy) StartingUp() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = startup
	p.cutLocked()
	p.listenLocked()
}

// Cut closes every open connection, mid-statement if need be, and goes on as it was.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

// Resume forwards new connections to the server again.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = forward
	p.listenLocked()
}

// listenLocked listens again on the proxy's address after Refuse.
func (p *Proxy) listenLocked() {
	if p.ln != nil {
		return
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Errorf("pgerrtest: listen again on %s: %v", p.addr, err)
		return
	}
	p.serveLocked(ln)
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.serveLocked(ln)
}

func (p *Proxy) serveLocked(ln net.Listener) {
	p.ln = ln
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed: Refuse or the end of the test
			}
			p.wg.Go(func() { p.handle(c) })
		}
	})
}

// handle serves one client connection as the current mode says.
func (p *Proxy) handle(client net.Conn) {
	p.mu.Lock()
	m := p.mode
	p.trackLocked(client)
	p.mu.Unlock()
	if m == startup {
		refuseStartup(client)
		p.untrack(client)
		return
	}
	server, err := net.Dial("tcp", p.target)
	p.mu.Lock()
	if err != nil || p.mode != forward {
		p.mu.Unlock()
		if server != nil {
			_ = server.Close()
		}
		p.untrack(client)
		return
	}
	p.trackLocked(server)
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		p.untrack(dst, src)
	}
	p.wg.Go(func() { pipe(server, client) })
	pipe(client, server)
}

// refuseStartup answers a client's startup as PostgreSQL does while starting up.
func refuseStartup(c net.Conn) {
	be := pgproto3.NewBackend(c, c)
	for {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			if _, err := c.Write([]byte("N")); err != nil {
				return
			}
			continue
		case *pgproto3.StartupMessage:
			be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P03",
				Message: "the database system is not yet accepting connections",
				Detail:  "Consistent recovery state has not been yet reached."})
			_ = be.Flush()
		}
		return
	}
}

func (p *Proxy) trackLocked(c net.Conn) { p.conns[c] = struct{}{} }

// untrack closes conns and forgets them.
func (p *Proxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

// cutLocked closes every connection the proxy carries.
func (p *Proxy) cutLocked() {
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// close stops the proxy and waits for its goroutines.
func (p *Proxy) close() {
	p.mu.Lock()
	p.mode = refusing
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.cutLocked()
	p.mu.Unlock()
	p.wg.Wait()
}
