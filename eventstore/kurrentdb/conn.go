package kurrentdb

import (
	"errors"
	"sync"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

// connection holds the store's client and makes a new one when the client gives up.
// After failing to discover the server MaxDiscoverAttempts times in a row (about a
// second with the defaults), the client closes itself for good; a store that kept it
// would answer "connection closed" until restarted, however soon the server came back.
type connection struct {
	config *kurrentdb.Configuration

	mu     sync.Mutex
	client *kurrentdb.Client
	closed bool // by Close: no new client then
}

func newConnection(config *kurrentdb.Configuration) (*connection, error) {
	client, err := kurrentdb.NewClient(config)
	if err != nil {
		return nil, err
	}
	return &connection{config: config, client: client}, nil
}

// current answers the client to make a call with; pass it and the call's error to check.
func (c *connection) current() *kurrentdb.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.client
}

// check answers err, the error of a call made with client. When it says that client
// has closed itself, the next calls get a new client, which looks for the server again.
func (c *connection) check(client *kurrentdb.Client, err error) error {
	var kerr *kurrentdb.Error
	if !errors.As(err, &kerr) || kerr.Code() != kurrentdb.ErrorCodeConnectionClosed {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.client != client {
		return err // closed on purpose, or renewed by another call already
	}
	if fresh, nerr := kurrentdb.NewClient(c.config); nerr == nil {
		_ = client.Close()
		c.client = fresh
	}
	return err
}

// close closes the client for good.
func (c *connection) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return c.client.Close()
}
