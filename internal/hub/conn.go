package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/bus"
)

// restoreFor bounds how long the hub tries to restore its own connection
// before it gives up and Failed reports why.
const restoreFor = 30 * time.Second

// conn returns the hub's current connection and JetStream handle.
func (h *Hub) conn() (*nats.Conn, jetstream.JetStream) {
	h.connMu.RLock()
	defer h.connMu.RUnlock()
	return h.nc, h.js
}

// setConn installs a new connection and serves members' writes on it.
func (h *Hub) setConn(nc *nats.Conn, js jetstream.JetStream) error {
	log := h.logger()
	svc, err := bus.Serve(nc, js, bus.ServiceConfig{ClaimQuota: h.cfg.ClaimQuota,
		Log: func(msg string, args ...any) { log.Info(msg, args...) }})
	if err != nil {
		return err
	}
	h.connMu.Lock()
	old := h.svc
	h.nc, h.js, h.svc = nc, js, svc
	h.connMu.Unlock()
	if old != nil {
		old.Stop()
	}
	return nil
}

// Failed delivers the reason when the hub can no longer work (its own
// connection closed and could not be restored); the process should exit
// non-zero.
func (h *Hub) Failed() <-chan error { return h.failed }

// connClosed runs when the server closes the hub's connection for good
// (nats.go reconnects by itself after ordinary disconnects).
func (h *Hub) connClosed() {
	select {
	case h.lost <- struct{}{}:
	default:
	}
}

// superviseConn replaces a closed hub connection with a new one, so a
// client-side protocol error never leaves the webhooks answering
// "connection closed" until a restart.
func (h *Hub) superviseConn() {
	defer h.wg.Done()
	for {
		select {
		case <-h.stop:
			return
		case <-h.lost:
		}
		if err := h.restoreConn(); err != nil {
			h.logger().Error("hub connection lost for good", "err", err)
			h.failed <- err
			return
		}
	}
}

func (h *Hub) restoreConn() error {
	old, _ := h.conn()
	if old != nil && !old.IsClosed() {
		return nil
	}
	h.logger().Warn("hub connection closed by the server; reconnecting")
	ctx, cancel := context.WithTimeout(context.Background(), restoreFor)
	defer cancel()
	go func() {
		select {
		case <-h.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	nc, js, err := h.connect(ctx)
	if err == nil {
		err = h.setConn(nc, js)
	}
	if err != nil {
		return fmt.Errorf("restoring the hub connection: %w", err)
	}
	h.logger().Info("hub connection restored")
	return nil
}

// health checks that the hub's connection is up and that its pages and
// claims streams answer; the error says what is not usable.
func (h *Hub) health(ctx context.Context) error {
	nc, js := h.conn()
	if nc == nil || !nc.IsConnected() {
		return errors.New("the hub's NATS connection is down")
	}
	for _, s := range []string{bus.PagesStream, bus.ClaimsStream} {
		if _, err := js.Stream(ctx, s); err != nil {
			return fmt.Errorf("JetStream stream %s not usable: %w", s, err)
		}
	}
	return nil
}
