package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// request sends a write to the hub's Service and waits for its answer. A
// permission violation on subject (reported asynchronously by the server)
// fails it at once with ErrNotPermitted; a nil stop never fires.
func (c *Client) request(ctx context.Context, subject string, req writeRequest, stop <-chan struct{}) (writeReply, error) {
	if stop != nil {
		if err := c.checkOpen(); err != nil {
			return writeReply{}, err
		}
	}
	data, err := json.Marshal(req)
	if err != nil {
		return writeReply{}, fmt.Errorf("encoding request: %w", err)
	}
	denied := make(chan error, 1)
	c.mu.Lock()
	c.pending[subject] = append(c.pending[subject], denied)
	c.mu.Unlock()
	defer c.unwait(subject, denied)
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		m   *nats.Msg
		err error
	}
	res := make(chan result, 1)
	go func() {
		m, err := c.nc.RequestWithContext(rctx, subject, data)
		res <- result{m, err}
	}()
	select {
	case r := <-res:
		if r.err != nil {
			return writeReply{}, c.requestError(subject, r.err)
		}
		return decodeReply(r.m.Data)
	case err := <-denied:
		return writeReply{}, err
	case <-stop:
		return writeReply{}, ErrClosed
	}
}

func (c *Client) requestError(subject string, err error) error {
	if errors.Is(err, nats.ErrNoResponders) {
		return fmt.Errorf("%w: no hub answers %s (hub restarting, or older than this app)", ErrUnreachable, subject)
	}
	return c.publishError(err)
}

func decodeReply(data []byte) (writeReply, error) {
	var rep writeReply
	if err := json.Unmarshal(data, &rep); err != nil {
		return writeReply{}, fmt.Errorf("hub answered something that is not JSON: %w", err)
	}
	switch {
	case rep.Error == "":
		return rep, nil
	case rep.Code == "quota":
		return writeReply{}, fmt.Errorf("%w: %s", ErrQuota, rep.Error)
	case rep.Code == "unavailable":
		return writeReply{}, fmt.Errorf("hub could not store the write: %s", rep.Error)
	}
	return writeReply{}, fmt.Errorf("%w: %s", ErrRefused, rep.Error)
}
