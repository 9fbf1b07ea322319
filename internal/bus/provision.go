package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Sizes of the team's assets. Each stream has its own MaxBytes, which the
// server reserves from the account: claims (the only thing members can
// fill, through the hub's quota) can never take the room pages need.
const (
	// MaxClaimBytes bounds one stored claim or presence record.
	MaxClaimBytes = 2 << 10
	// MaxTeamRecordBytes bounds one stored team record (a handoff is the
	// largest).
	MaxTeamRecordBytes = 8 << 10
	// MaxPageBytes bounds one stored page (the webhook's field bounds keep
	// real pages far below it).
	MaxPageBytes = 256 << 10
	// DefaultResolvedTTL is how long a resolved page stays on the stream.
	DefaultResolvedTTL = 10 * time.Minute
)

// ProvisionConfig sizes the team's JetStream assets.
type ProvisionConfig struct {
	// Replicas is the JetStream replication (1 for a single hub, 3 for a
	// 3-node cluster).
	Replicas int
	// PageRetention is how long an open page stays on the stream without a
	// new state (default 7 days).
	PageRetention time.Duration
	// ResolvedTTL is how long a resolved page stays (default
	// DefaultResolvedTTL): long enough for apps that were briefly away to
	// see it, short enough that a new member starts from what is open.
	// The hub publishes resolved pages with it as their message TTL.
	ResolvedTTL time.Duration
	// ClaimsMaxBytes, PresenceMaxBytes and PagesMaxBytes cap each stream
	// (defaults 64 MiB, 8 MiB and 1 GiB on file; 16 MiB, 2 MiB and 64 MiB
	// in memory).
	ClaimsMaxBytes, PresenceMaxBytes, PagesMaxBytes int64
	// TeamMaxBytes caps the team records (default 32 MiB on file, 8 MiB in
	// memory).
	TeamMaxBytes int64
	// MemoryStorage keeps everything in memory (tests and benches only).
	MemoryStorage bool
}

func (pc ProvisionConfig) withDefaults() ProvisionConfig {
	pc.Replicas = max(pc.Replicas, 1)
	if pc.PageRetention <= 0 {
		pc.PageRetention = 7 * 24 * time.Hour
	}
	if pc.ResolvedTTL <= 0 {
		pc.ResolvedTTL = DefaultResolvedTTL
	}
	def := [3]int64{64 << 20, 8 << 20, 1 << 30}
	if pc.MemoryStorage {
		def = [3]int64{16 << 20, 2 << 20, 64 << 20}
	}
	if pc.TeamMaxBytes <= 0 {
		pc.TeamMaxBytes = 32 << 20
		if pc.MemoryStorage {
			pc.TeamMaxBytes = 8 << 20
		}
	}
	for i, v := range []*int64{&pc.ClaimsMaxBytes, &pc.PresenceMaxBytes, &pc.PagesMaxBytes} {
		if *v <= 0 {
			*v = def[i]
		}
	}
	return pc
}

// Provision creates or updates the claims, presence and team buckets and
// the pages stream. The hub calls it at start; a team running its own NATS cluster
// calls it once with an account that may manage streams. It is idempotent.
func Provision(ctx context.Context, js jetstream.JetStream, pc ProvisionConfig) error {
	pc = pc.withDefaults()
	storage := jetstream.FileStorage
	if pc.MemoryStorage {
		storage = jetstream.MemoryStorage
	}
	for _, kv := range []jetstream.KeyValueConfig{
		{Bucket: ClaimsBucket, Description: "Standby claims: page.<pageKey>.<member>, written by the hub for members",
			History: 1, LimitMarkerTTL: time.Hour, TTL: AckRetention + time.Hour, MaxValueSize: MaxClaimBytes,
			MaxBytes: pc.ClaimsMaxBytes, Replicas: pc.Replicas, Storage: storage},
		{Bucket: PresenceBucket, Description: "Standby presence: <member>, written by the hub for members",
			History: 1, LimitMarkerTTL: time.Minute, TTL: time.Hour, MaxValueSize: MaxClaimBytes,
			MaxBytes: pc.PresenceMaxBytes, Replicas: pc.Replicas, Storage: storage},
		{Bucket: TeamBucket, Description: "Standby team records: incident.<pageKey>, load.<member>.<week>, handoff.<member>, written by the hub for members",
			History: 1, LimitMarkerTTL: time.Hour, TTL: LoadRetention + time.Hour, MaxValueSize: MaxTeamRecordBytes,
			MaxBytes: pc.TeamMaxBytes, Replicas: pc.Replicas, Storage: storage},
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
		Description:       "Standby pages: pages.<source>.<pageKey>, latest state per page; resolved ones expire",
		Subjects:          []string{pagesPrefix + ">"},
		MaxMsgsPerSubject: 1,
		MaxAge:            pc.PageRetention,
		MaxBytes:          pc.PagesMaxBytes,
		MaxMsgSize:        MaxPageBytes,
		Discard:           jetstream.DiscardOld,
		AllowMsgTTL:       true,
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
// included, is removed after consumerInactive without pulls.
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
