package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// runRaw is the peer: a bare nats-server (no auth), kv.Put by one
// connection and kv.WatchAll on n others, as in the baseline.
func runRaw(ctx context.Context, n, puts int) ([]time.Duration, error) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: "", NoLog: true, NoSigs: true})
	if err != nil {
		return nil, err
	}
	srv.Start()
	defer srv.Shutdown()
	if !srv.ReadyForConnections(10 * time.Second) {
		return nil, fmt.Errorf("raw nats-server did not start")
	}
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "raw", Storage: jetstream.MemoryStorage})
	if err != nil {
		return nil, err
	}
	rec := newRecorder()
	for range n {
		c, err := nats.Connect(srv.ClientURL())
		if err != nil {
			return nil, err
		}
		defer c.Close()
		cjs, _ := jetstream.New(c)
		ckv, err := cjs.KeyValue(ctx, "raw")
		if err != nil {
			return nil, err
		}
		w, err := ckv.WatchAll(ctx)
		if err != nil {
			return nil, err
		}
		go func() {
			for e := range w.Updates() {
				if e == nil {
					rec.got("synced", time.Now())
				} else {
					rec.got(e.Key(), time.Now())
				}
			}
		}()
	}
	if err := rec.wait("synced", n, time.Minute); err != nil {
		return nil, err
	}
	for i := range puts {
		key := fmt.Sprint("k", i)
		rec.markSent(key, time.Now())
		if _, err := kv.Put(ctx, key, []byte("x")); err != nil {
			return nil, err
		}
		if err := rec.wait(key, n, 30*time.Second); err != nil {
			return nil, err
		}
	}
	return rec.lat, nil
}
