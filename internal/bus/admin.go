package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamUsage is one stream's fill.
type StreamUsage struct {
	Name     string `json:"name"`
	Msgs     uint64 `json:"msgs"`
	Bytes    uint64 `json:"bytes"`
	MaxBytes int64  `json:"max_bytes"`
}

// MemberUsage is what one member holds on the bus.
type MemberUsage struct {
	Member string `json:"member"`
	// ClaimKeys counts claim keys, release markers included (the quota's
	// measure).
	ClaimKeys int `json:"claim_keys"`
	// Presence says the member has a presence record (live or marker).
	Presence bool `json:"presence"`
	// Consumers counts the member's watch slots in use on all streams.
	Consumers int `json:"consumers"`
}

// Usage is the team's bus usage, for the hub admin.
type Usage struct {
	// ClaimQuota is the per-member claim quota of the hub that answered (0
	// when read directly).
	ClaimQuota int           `json:"claim_quota,omitempty"`
	Streams    []StreamUsage `json:"streams"`
	Members    []MemberUsage `json:"members"` // by name
}

var adminStreams = []string{PagesStream, ClaimsStream, PresenceStream, TeamStream}

// ReadUsage reads every stream's fill and what each member holds, with an
// administrator's JetStream handle.
func ReadUsage(ctx context.Context, js jetstream.JetStream) (Usage, error) {
	var u Usage
	byMember := map[string]*MemberUsage{}
	get := func(m string) *MemberUsage {
		if byMember[m] == nil {
			byMember[m] = &MemberUsage{Member: m}
		}
		return byMember[m]
	}
	for _, name := range adminStreams {
		s, err := js.Stream(ctx, name)
		if err != nil {
			return Usage{}, fmt.Errorf("reading stream %s: %w", name, err)
		}
		filter := map[string]string{ClaimsStream: claimsPrefix + ">", PresenceStream: presencePrefix + ">"}[name]
		var opts []jetstream.StreamInfoOpt
		if filter != "" {
			opts = append(opts, jetstream.WithSubjectFilter(filter))
		}
		info, err := s.Info(ctx, opts...)
		if err != nil {
			return Usage{}, fmt.Errorf("reading stream %s: %w", name, err)
		}
		u.Streams = append(u.Streams, StreamUsage{Name: name, Msgs: info.State.Msgs,
			Bytes: info.State.Bytes, MaxBytes: info.Config.MaxBytes})
		for subj := range info.State.Subjects {
			if m, ok := subjectMember(subj); ok && name == ClaimsStream {
				get(m).ClaimKeys++
			} else if ok {
				get(m).Presence = true
			}
		}
		for ci := range s.ListConsumers(ctx).Info() {
			if m := SlotOwner(ci.Name); m != "" {
				get(m).Consumers++
			}
		}
	}
	for _, m := range byMember {
		u.Members = append(u.Members, *m)
	}
	slices.SortFunc(u.Members, func(a, b MemberUsage) int { return strings.Compare(a.Member, b.Member) })
	return u, nil
}

// subjectMember returns the member a claims or presence subject belongs to.
func subjectMember(subj string) (string, bool) {
	if rest, ok := strings.CutPrefix(subj, presencePrefix); ok {
		return rest, ValidMember(rest) == nil
	}
	if _, ok := strings.CutPrefix(subj, claimsPrefix+"page."); ok {
		m := subj[strings.LastIndexByte(subj, '.')+1:]
		return m, ValidMember(m) == nil
	}
	return "", false
}

// PurgeResult says what PurgeMember removed.
type PurgeResult struct {
	Claims    int  `json:"claims"`
	Presence  bool `json:"presence"`
	Consumers int  `json:"consumers"`
	// TeamRecords counts the member's weekly loads and handoff removed.
	TeamRecords int `json:"team_records"`
	// IncidentsEnded counts the incidents the member commanded, ended so
	// that a member present can declare them again; IncidentsLeft the
	// incidents the member was taken out of the helpers of.
	IncidentsEnded int `json:"incidents_ended"`
	IncidentsLeft  int `json:"incidents_left"`
}

// purgeTeamRecords marks the member's loads and handoff deleted.
func purgeTeamRecords(ctx context.Context, js jetstream.JetStream, member string) (int, error) {
	team, err := js.Stream(ctx, TeamStream)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", TeamStream, err)
	}
	n := 0
	for _, filter := range []string{teamPrefix + "load." + member + ".*", teamPrefix + "handoff." + member} {
		info, err := team.Info(ctx, jetstream.WithSubjectFilter(filter))
		if err != nil {
			return n, fmt.Errorf("reading %s: %w", TeamStream, err)
		}
		for subj := range info.State.Subjects {
			done, err := markIfLive(ctx, js, team, subj)
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
		}
	}
	return n, nil
}

// purgeMarkerTTL is how long PurgeMember's release markers stay, so
// watchers see the claims end.
const purgeMarkerTTL = time.Hour

// PurgeMember removes what member holds on the bus: each claim is replaced
// by a release marker (teammates' apps see it end), the presence record by
// a delete marker, the incidents they command end (see purgeIncidents),
// and the member's consumers are deleted. Streams deny
// purges, so markers are how data goes; they expire within an hour.
func PurgeMember(ctx context.Context, js jetstream.JetStream, member string) (PurgeResult, error) {
	var res PurgeResult
	if err := ValidMember(member); err != nil {
		return res, err
	}
	claims, err := js.Stream(ctx, ClaimsStream)
	if err != nil {
		return res, fmt.Errorf("reading %s: %w", ClaimsStream, err)
	}
	info, err := claims.Info(ctx, jetstream.WithSubjectFilter(claimsPrefix+"page.*."+member))
	if err != nil {
		return res, fmt.Errorf("reading %s: %w", ClaimsStream, err)
	}
	for subj := range info.State.Subjects {
		done, err := markIfLive(ctx, js, claims, subj)
		if err != nil {
			return res, err
		}
		if done {
			res.Claims++
		}
	}
	presence, err := js.Stream(ctx, PresenceStream)
	if err != nil {
		return res, fmt.Errorf("reading %s: %w", PresenceStream, err)
	}
	if res.Presence, err = markIfLive(ctx, js, presence, presencePrefix+member); err != nil {
		return res, err
	}
	if res.TeamRecords, err = purgeTeamRecords(ctx, js, member); err != nil {
		return res, err
	}
	if res.IncidentsEnded, res.IncidentsLeft, err = purgeIncidents(ctx, js, member); err != nil {
		return res, err
	}
	for _, name := range adminStreams {
		for n := range WatchSlots {
			err := js.DeleteConsumer(ctx, name, WatchSlot(member, n))
			if err == nil {
				res.Consumers++
			} else if !errors.Is(err, jetstream.ErrConsumerNotFound) {
				return res, fmt.Errorf("deleting %s's consumer on %s: %w", member, name, err)
			}
		}
	}
	return res, nil
}

// markIfLive stores a delete marker on subj unless its last message is one.
func markIfLive(ctx context.Context, js jetstream.JetStream, s jetstream.Stream, subj string) (bool, error) {
	last, err := s.GetLastMsgForSubject(ctx, subj)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", subj, err)
	}
	if last.Header.Get(kvOperation) != "" || last.Header.Get(jetstream.MarkerReasonHeader) != "" {
		return false, nil
	}
	id, _, _ := parseClaimSubject(subj)
	if _, err := storeMarker(ctx, js, subj, id, purgeMarkerTTL); err != nil {
		return false, err
	}
	return true, nil
}
