package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/page"
)

// Limits of what one member can store through the Service.
const (
	// DefaultClaimQuota is how many claim keys one member may hold (live
	// claims plus release markers, which stay AckRetention).
	DefaultClaimQuota = 1000
	// MaxClaimTTL bounds a "looking" claim's TTL.
	MaxClaimTTL = 24 * time.Hour
	// maxScheduleLen bounds the schedule name in a presence record.
	maxScheduleLen = 256
	// maxRequestBytes bounds a write request; larger ones are refused
	// before decoding (a handoff's text is the largest).
	maxRequestBytes = 8192
	// serviceQueue is the queue group of the hubs of one cluster: each
	// request is served once.
	serviceQueue = "standby-hub"
)

// writeRequest is what a member's app sends to standby.claim.<member> or
// standby.presence.<member>.
type writeRequest struct {
	Op string `json:"op"` // "set", "release" (claims) or "clear" (presence)
	// Claims.
	Page  page.ID        `json:"page,omitzero"`
	Kind  page.ClaimKind `json:"kind,omitempty"`
	TTLms int64          `json:"ttl_ms,omitempty"`
	// Presence.
	Since   time.Time       `json:"since,omitzero"`
	EveryMs int64           `json:"every_ms,omitempty"`
	Fields  *PresenceFields `json:"fields,omitempty"`
	// Team records (incidents.go, teamload.go).
	Doc     string   `json:"doc,omitempty"`
	To      string   `json:"to,omitempty"`
	Load    *Load    `json:"load,omitempty"`
	Handoff *Handoff `json:"handoff,omitempty"`
}

// writeReply is the Service's answer.
type writeReply struct {
	Seq     uint64    `json:"seq,omitempty"`
	At      time.Time `json:"at,omitzero"`
	Expires time.Time `json:"expires,omitzero"`
	Error   string    `json:"error,omitempty"`
	Code    string    `json:"code,omitempty"` // "quota", "invalid", "conflict", "unavailable"
	// Record is the stored team record, for team writes.
	Record json.RawMessage `json:"record,omitempty"`
}

// ServiceConfig tunes the Service.
type ServiceConfig struct {
	// ClaimQuota is how many claim keys one member may hold (default
	// DefaultClaimQuota).
	ClaimQuota int
	// Logger receives refused and failed writes; nil discards them.
	Log func(msg string, args ...any)
}

// Service is the hub side of members' writes: it stores claims and
// presence on their behalf after checking sizes, kinds, TTLs and the
// member's quota. Members have no publish right on any stream; the member
// a write belongs to is the last token of the request subject, which the
// server's permissions bind to the member's credential.
type Service struct {
	js   jetstream.JetStream
	cfg  ServiceConfig
	subs []*nats.Subscription
	mu   sync.Mutex // serialises claim writes: quota check, then store
}

// Serve subscribes the Service on nc (queue group standby-hub) and stores
// through js. Stop ends it.
func Serve(nc *nats.Conn, js jetstream.JetStream, cfg ServiceConfig) (*Service, error) {
	if cfg.ClaimQuota <= 0 {
		cfg.ClaimQuota = DefaultClaimQuota
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	s := &Service{js: js, cfg: cfg}
	for subj, h := range map[string]nats.MsgHandler{
		claimRequestPrefix + "*":    s.handle(s.claim),
		presenceRequestPrefix + "*": s.handle(s.presence),
		teamRequestPrefix + "*":     s.handle(s.team),
	} {
		sub, err := nc.QueueSubscribe(subj, serviceQueue, h)
		if err != nil {
			s.Stop()
			return nil, fmt.Errorf("serving %s: %w", subj, err)
		}
		s.subs = append(s.subs, sub)
	}
	if err := nc.Flush(); err != nil {
		s.Stop()
		return nil, fmt.Errorf("serving member writes: %w", err)
	}
	return s, nil
}

// Stop unsubscribes the Service.
func (s *Service) Stop() {
	for _, sub := range s.subs {
		_ = sub.Unsubscribe()
	}
}

// refusal is a write the Service refuses, with a code for the client.
type refusal struct{ code, reason string }

func (r *refusal) Error() string { return r.reason }

func refuse(code, format string, a ...any) error {
	return &refusal{code: code, reason: fmt.Sprintf(format, a...)}
}

func (s *Service) handle(do func(context.Context, string, writeRequest) (writeReply, error)) nats.MsgHandler {
	return func(m *nats.Msg) {
		member := m.Subject[strings.LastIndexByte(m.Subject, '.')+1:]
		rep, err := s.decodeAndDo(member, m, do)
		if err != nil {
			var r *refusal
			if !errors.As(err, &r) {
				r = &refusal{code: "unavailable", reason: err.Error()}
			}
			s.cfg.Log("member write refused", "member", member, "subject", m.Subject, "err", r.reason)
			rep = writeReply{Error: r.reason, Code: r.code}
		}
		if m.Reply != "" {
			data, _ := json.Marshal(rep)
			_ = m.Respond(data)
		}
	}
}

func (s *Service) decodeAndDo(member string, m *nats.Msg, do func(context.Context, string, writeRequest) (writeReply, error)) (writeReply, error) {
	if ValidMember(member) != nil {
		return writeReply{}, refuse("invalid", "bad member subject")
	}
	if len(m.Data) > maxRequestBytes {
		return writeReply{}, refuse("invalid", "request is %d bytes; at most %d", len(m.Data), maxRequestBytes)
	}
	var req writeRequest
	if err := json.Unmarshal(m.Data, &req); err != nil {
		return writeReply{}, refuse("invalid", "request is not JSON: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return do(ctx, member, req)
}

// claim stores or releases member's claim.
func (s *Service) claim(ctx context.Context, member string, req writeRequest) (writeReply, error) {
	if err := CheckPageID(req.Page); err != nil {
		return writeReply{}, refuse("invalid", "%v", err)
	}
	subject := claimsPrefix + claimKey(req.Page, member)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch req.Op {
	case "set":
		return s.setClaim(ctx, member, subject, req)
	case "release":
		return s.releaseClaim(ctx, subject, req.Page)
	}
	return writeReply{}, refuse("invalid", "op must be set or release")
}

func (s *Service) setClaim(ctx context.Context, member, subject string, req writeRequest) (writeReply, error) {
	now := time.Now().UTC()
	w := claimWire{Page: req.Page, Kind: req.Kind, At: now}
	keep := AckRetention
	switch req.Kind {
	case page.ClaimAcked:
	case page.ClaimLooking:
		ttl := time.Duration(req.TTLms) * time.Millisecond
		if ttl <= 0 {
			ttl = DefaultClaimTTL
		}
		ttl = min(max(ttl.Round(time.Second), time.Second), MaxClaimTTL)
		w.Expires, keep = now.Add(ttl), ttl
	default:
		return writeReply{}, refuse("invalid", "claim kind must be looking or acked")
	}
	if err := s.checkQuota(ctx, member, subject); err != nil {
		return writeReply{}, err
	}
	data, err := json.Marshal(w)
	if err != nil {
		return writeReply{}, fmt.Errorf("encoding claim: %w", err)
	}
	ack, err := s.js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: data}, jetstream.WithMsgTTL(keep))
	if err != nil {
		return writeReply{}, fmt.Errorf("storing claim: %w", err)
	}
	return writeReply{Seq: ack.Sequence, At: w.At, Expires: w.Expires}, nil
}

// checkQuota refuses a new claim key once member holds ClaimQuota keys; a
// key the member already holds may always be renewed.
func (s *Service) checkQuota(ctx context.Context, member, subject string) error {
	st, err := s.js.Stream(ctx, ClaimsStream)
	if err != nil {
		return fmt.Errorf("reading %s: %w", ClaimsStream, err)
	}
	info, err := st.Info(ctx, jetstream.WithSubjectFilter(claimsPrefix+"page.*."+member))
	if err != nil {
		return fmt.Errorf("reading %s: %w", ClaimsStream, err)
	}
	held := info.State.Subjects
	if _, ok := held[subject]; ok || len(held) < s.cfg.ClaimQuota {
		return nil
	}
	return refuse("quota", "claim quota reached: %s holds %d claim keys (released ones count for %v); the hub admin can run `standby-hub purge-member %s`",
		member, len(held), AckRetention, member)
}

// releaseClaim replaces the claim with a release marker that carries the
// page; a release of nothing stores nothing.
func (s *Service) releaseClaim(ctx context.Context, subject string, id page.ID) (writeReply, error) {
	last, err := s.js.Stream(ctx, ClaimsStream)
	if err != nil {
		return writeReply{}, fmt.Errorf("reading %s: %w", ClaimsStream, err)
	}
	prev, err := last.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return writeReply{}, nil
	}
	if err != nil {
		return writeReply{}, fmt.Errorf("reading claim: %w", err)
	}
	if prev.Header.Get(kvOperation) != "" || prev.Header.Get(jetstream.MarkerReasonHeader) != "" {
		return writeReply{Seq: prev.Sequence}, nil
	}
	seq, err := storeMarker(ctx, s.js, subject, id, AckRetention)
	return writeReply{Seq: seq}, err
}

// kvOperation is the KV header marking a deleted key.
const kvOperation = "KV-Operation"

// storeMarker replaces subject's value with a delete marker kept for keep.
func storeMarker(ctx context.Context, js jetstream.JetStream, subject string, id page.ID, keep time.Duration) (uint64, error) {
	msg := nats.NewMsg(subject)
	msg.Header.Set(kvOperation, "DEL")
	if !id.IsZero() {
		msg.Data, _ = json.Marshal(claimWire{Page: id})
	}
	ack, err := js.PublishMsg(ctx, msg, jetstream.WithMsgTTL(keep))
	if err != nil {
		return 0, fmt.Errorf("storing delete marker on %s: %w", subject, err)
	}
	return ack.Sequence, nil
}

// presence stores or clears member's presence record.
func (s *Service) presence(ctx context.Context, member string, req writeRequest) (writeReply, error) {
	subject := presencePrefix + member
	switch req.Op {
	case "clear":
		seq, err := storeMarker(ctx, s.js, subject, page.ID{}, time.Minute)
		return writeReply{Seq: seq}, err
	case "set":
	default:
		return writeReply{}, refuse("invalid", "op must be set or clear")
	}
	every := min(max(time.Duration(req.EveryMs)*time.Millisecond, 100*time.Millisecond), 5*time.Minute)
	p := Presence{Member: member, Since: req.Since.UTC(), Seen: time.Now().UTC(), Every: every}
	if req.Fields != nil {
		if len(req.Fields.Schedule) > maxScheduleLen {
			return writeReply{}, refuse("invalid", "schedule name is %d bytes; at most %d", len(req.Fields.Schedule), maxScheduleLen)
		}
		p.PresenceFields = *req.Fields
	}
	data, err := json.Marshal(p)
	if err != nil {
		return writeReply{}, fmt.Errorf("encoding presence: %w", err)
	}
	ttl := max(StaleAfter*every, time.Second)
	ack, err := s.js.PublishMsg(ctx, &nats.Msg{Subject: subject, Data: data}, jetstream.WithMsgTTL(ttl))
	if err != nil {
		return writeReply{}, fmt.Errorf("storing presence: %w", err)
	}
	return writeReply{Seq: ack.Sequence, At: p.Seen}, nil
}
