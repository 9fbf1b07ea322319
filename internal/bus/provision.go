package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ProvisionConfig sizes the team's JetStream assets.
type ProvisionConfig struct {
	// Replicas is the JetStream replication (1 for a single hub, 3 for a
	// 3-node cluster).
	Replicas int
	// PageRetention is how long pages stay on the stream (default 7 days).
	PageRetention time.Duration
	// MemoryStorage keeps everything in memory (tests and benches only).
	MemoryStorage bool
}

// Provision creates or updates the claims and presence buckets and the pages
// stream. The hub calls it at start; a team running its own NATS cluster
// calls it once with an account that may manage streams. It is idempotent.
func Provision(ctx context.Context, js jetstream.JetStream, pc ProvisionConfig) error {
	pc.Replicas = max(pc.Replicas, 1)
	if pc.PageRetention <= 0 {
		pc.PageRetention = 7 * 24 * time.Hour
	}
	storage := jetstream.FileStorage
	if pc.MemoryStorage {
		storage = jetstream.MemoryStorage
	}
	for _, kv := range []jetstream.KeyValueConfig{
		{Bucket: ClaimsBucket, Description: "Standby claims: page.<pageKey>.<member>",
			History: 1, LimitMarkerTTL: time.Hour, Replicas: pc.Replicas, Storage: storage},
		{Bucket: PresenceBucket, Description: "Standby presence: <member>",
			History: 1, LimitMarkerTTL: time.Minute, Replicas: pc.Replicas, Storage: storage},
	} {
		if _, err := js.CreateOrUpdateKeyValue(ctx, kv); err != nil {
			return fmt.Errorf("creating bucket %s: %w", kv.Bucket, err)
		}
		if err := capConsumers(ctx, js, "KV_"+kv.Bucket); err != nil {
			return err
		}
	}
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              PagesStream,
		Description:       "Standby pages: pages.<source>.<pageKey>, latest state per page",
		Subjects:          []string{pagesPrefix + ">"},
		MaxMsgsPerSubject: 1,
		MaxAge:            pc.PageRetention,
		Storage:           storage,
		Replicas:          pc.Replicas,
		Duplicates:        2 * time.Minute,
		ConsumerLimits:    jetstream.StreamConsumerLimits{InactiveThreshold: consumerInactive},
	})
	if err != nil {
		return fmt.Errorf("creating stream %s: %w", PagesStream, err)
	}
	return nil
}

// capConsumers sets the stream's consumer limits: every consumer, durables
// included, is removed after consumerInactive without pulls, so the
// CONSUMER.CREATE permission members need cannot pile up durables.
func capConsumers(ctx context.Context, js jetstream.JetStream, stream string) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("reading stream %s: %w", stream, err)
	}
	cfg := s.CachedInfo().Config
	if cfg.ConsumerLimits.InactiveThreshold == consumerInactive {
		return nil
	}
	cfg.ConsumerLimits.InactiveThreshold = consumerInactive
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("capping consumers of %s: %w", stream, err)
	}
	return nil
}
