package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/page"
)

// Team records: what the team keeps after the page (issue #14) — the
// incident on a page with its commander, each member's weekly load and
// each member's last shift handoff. One KV bucket holds them, written only
// by the hub's Service on members' requests to standby.team.<member>.
const (
	// TeamBucket holds incident.<pageKey>, load.<member>.<YYYYMMDD> and
	// handoff.<member>.
	TeamBucket = "standby-team"
	// TeamStream is the stream behind TeamBucket.
	TeamStream = "KV_" + TeamBucket

	teamPrefix        = "$KV." + TeamBucket + "."
	teamRequestPrefix = "standby.team."

	// IncidentRetention is how long an incident record stays after its
	// last change.
	IncidentRetention = 7 * 24 * time.Hour
	// MaxHelpers bounds the members who joined one incident.
	MaxHelpers = 32
	// MaxDocURL bounds an incident's living-document link.
	MaxDocURL = 1024
)

// Incident is a page that became an incident: who commands it, where its
// living document is, and who is helping. Commander and Helpers are
// member names the hub set from the requests' server-enforced subjects.
type Incident struct {
	Page      page.ID   `json:"page"`
	Commander string    `json:"commander"`
	Doc       string    `json:"doc,omitempty"`
	Declared  time.Time `json:"declared"`
	// DeclaredBy is the member who declared it (the first commander).
	DeclaredBy string   `json:"declared_by"`
	Helpers    []string `json:"helpers,omitempty"`
	// Updated is the hub time of the last change; HandedBy the last
	// commander who handed over, if any.
	Updated  time.Time `json:"updated"`
	HandedBy string    `json:"handed_by,omitempty"`
}

// incidentSubject is the stored subject of id's incident.
func incidentSubject(id page.ID) string { return teamPrefix + "incident." + PageKey(id) }

// Declare makes this member the commander of an incident on id, with doc
// as its living document ("" for none). Declaring again as the commander
// updates the doc; an incident another member commands is refused
// (ErrRefused): ask them for a handover, or join.
func (c *Client) Declare(ctx context.Context, id page.ID, doc string) (Incident, error) {
	return c.incidentOp(ctx, writeRequest{Op: "declare", Page: id, Doc: doc})
}

// Handover makes to the commander; only the commander may hand over.
func (c *Client) Handover(ctx context.Context, id page.ID, to string) (Incident, error) {
	return c.incidentOp(ctx, writeRequest{Op: "handover", Page: id, To: to})
}

// Join adds this member to the incident's helpers.
func (c *Client) Join(ctx context.Context, id page.ID) (Incident, error) {
	return c.incidentOp(ctx, writeRequest{Op: "join", Page: id})
}

// EndIncident ends the incident on id; only the commander may.
func (c *Client) EndIncident(ctx context.Context, id page.ID) error {
	_, err := c.incidentOp(ctx, writeRequest{Op: "end", Page: id})
	return err
}

func (c *Client) incidentOp(ctx context.Context, req writeRequest) (Incident, error) {
	if err := CheckPageID(req.Page); err != nil {
		return Incident{}, fmt.Errorf("incident: %w", err)
	}
	rep, err := c.request(ctx, teamRequestPrefix+c.me, req, c.stop)
	if err != nil {
		return Incident{}, fmt.Errorf("incident %s on %s: %w", req.Op, req.Page, err)
	}
	var inc Incident
	if len(rep.Record) > 0 {
		if err := json.Unmarshal(rep.Record, &inc); err != nil {
			return Incident{}, fmt.Errorf("incident %s on %s: hub answered a bad record: %w", req.Op, req.Page, err)
		}
	}
	return inc, nil
}

// applyIncident is the rule book: the incident after member's request,
// nil for an ended one, or a refusal.
func applyIncident(cur *Incident, member string, req writeRequest, now time.Time) (*Incident, error) {
	switch req.Op {
	case "declare":
		if err := checkDoc(req.Doc); err != nil {
			return nil, err
		}
		if cur == nil {
			return &Incident{Page: req.Page, Commander: member, Doc: req.Doc, Declared: now, DeclaredBy: member, Updated: now}, nil
		}
		if cur.Commander != member {
			return nil, refuse("invalid", "already an incident: %s is the commander (ask for a handover, or join)", cur.Commander)
		}
		next := *cur
		if req.Doc != "" {
			next.Doc = req.Doc
		}
		next.Updated = now
		return &next, nil
	case "handover", "join", "end":
	default:
		return nil, refuse("invalid", "op must be declare, handover, join or end")
	}
	if cur == nil {
		return nil, refuse("invalid", "no incident on %s (declare one first)", req.Page)
	}
	next := *cur
	next.Helpers = slices.Clone(cur.Helpers)
	next.Updated = now
	switch req.Op {
	case "handover":
		if cur.Commander != member {
			return nil, refuse("invalid", "only the commander (%s) can hand over", cur.Commander)
		}
		if err := ValidMember(req.To); err != nil {
			return nil, refuse("invalid", "handover: %v", err)
		}
		if req.To == member {
			return nil, refuse("invalid", "handover: %s already commands it", member)
		}
		next.Commander, next.HandedBy = req.To, member
		next.Helpers = slices.DeleteFunc(next.Helpers, func(h string) bool { return h == req.To })
		return addHelper(&next, member)
	case "join":
		if cur.Commander == member || slices.Contains(cur.Helpers, member) {
			return &next, nil
		}
		return addHelper(&next, member)
	}
	if cur.Commander != member { // end
		return nil, refuse("invalid", "only the commander (%s) can end the incident", cur.Commander)
	}
	return nil, nil
}

func addHelper(inc *Incident, member string) (*Incident, error) {
	if slices.Contains(inc.Helpers, member) {
		return inc, nil
	}
	if len(inc.Helpers) >= MaxHelpers {
		return nil, refuse("invalid", "the incident has %d helpers; at most %d", len(inc.Helpers), MaxHelpers)
	}
	inc.Helpers = append(inc.Helpers, member)
	return inc, nil
}

// checkDoc accepts "" or an absolute http(s) URL of at most MaxDocURL bytes.
func checkDoc(doc string) error {
	if doc == "" {
		return nil
	}
	if len(doc) > MaxDocURL {
		return refuse("invalid", "doc link is %d bytes; at most %d", len(doc), MaxDocURL)
	}
	u, err := url.Parse(doc)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return refuse("invalid", "doc link %q: want an http:// or https:// URL", doc)
	}
	return nil
}

// incident applies member's request to the stored incident. The write
// expects the subject's last sequence as read, so two hubs (or two
// requests) never both win.
func (s *Service) incident(ctx context.Context, member string, req writeRequest) (writeReply, error) {
	if err := CheckPageID(req.Page); err != nil {
		return writeReply{}, refuse("invalid", "%v", err)
	}
	subject := incidentSubject(req.Page)
	st, err := s.js.Stream(ctx, TeamStream)
	if err != nil {
		return writeReply{}, fmt.Errorf("reading %s: %w", TeamStream, err)
	}
	var cur *Incident
	var last uint64
	msg, err := st.GetLastMsgForSubject(ctx, subject)
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
	case err != nil:
		return writeReply{}, fmt.Errorf("reading incident: %w", err)
	default:
		last = msg.Sequence
		var inc Incident
		if msg.Header.Get(kvOperation) == "" && msg.Header.Get(jetstream.MarkerReasonHeader) == "" &&
			json.Unmarshal(msg.Data, &inc) == nil && inc.Page == req.Page {
			cur = &inc
		}
	}
	next, err := applyIncident(cur, member, req, time.Now().UTC())
	if err != nil {
		return writeReply{}, err
	}
	if next == nil {
		seq, err := storeMarker(ctx, s.js, subject, page.ID{}, IncidentRetention)
		return writeReply{Seq: seq}, err
	}
	return s.storeRecord(ctx, subject, next, IncidentRetention, jetstream.WithExpectLastSequencePerSubject(last))
}

// storeRecord publishes v as subject's value, kept for keep.
func (s *Service) storeRecord(ctx context.Context, subject string, v any, keep time.Duration, opts ...jetstream.PublishOpt) (writeReply, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return writeReply{}, fmt.Errorf("encoding record: %w", err)
	}
	ack, err := s.js.PublishMsg(ctx, natsMsg(subject, data), append(opts, jetstream.WithMsgTTL(keep))...)
	var api *jetstream.APIError
	if errors.As(err, &api) && api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
		return writeReply{}, refuse("conflict", "changed by someone else at the same moment; try again")
	}
	if err != nil {
		return writeReply{}, fmt.Errorf("storing record: %w", err)
	}
	return writeReply{Seq: ack.Sequence, At: time.Now().UTC(), Record: data}, nil
}

// IncidentEvent is one change of the team's incidents.
type IncidentEvent struct {
	// Incident is the record; for an ended one only Page is set.
	Incident Incident
	Ended    bool
	// Synced marks the end of the incidents that existed when the watch
	// started (sent once; Incident is empty).
	Synced bool
}

// WatchIncidents streams the team's incidents: the current ones, a Synced
// event, then every change. It takes one of the member's watch slots on
// TeamStream and survives reconnects like WatchClaims.
func (c *Client) WatchIncidents(ctx context.Context) (<-chan IncidentEvent, error) {
	out := make(chan IncidentEvent, 64)
	err := c.watchTeam(ctx, teamPrefix+"incident.>", func(m jetstream.Msg) {
		if ev, ok := decodeIncident(m); ok {
			sendCtx(ctx, c.stop, out, ev)
		}
	}, func() { sendCtx(ctx, c.stop, out, IncidentEvent{Synced: true}) }, func() { close(out) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decodeIncident checks that a record's page is the one its key names.
func decodeIncident(m jetstream.Msg) (IncidentEvent, bool) {
	key, ok := cutPrefix(m.Subject(), teamPrefix+"incident.")
	if !ok {
		return IncidentEvent{}, false
	}
	id, err := ParsePageKey(key)
	if err != nil {
		return IncidentEvent{}, false
	}
	if h := m.Headers(); h.Get(kvOperation) != "" || h.Get(jetstream.MarkerReasonHeader) != "" {
		return IncidentEvent{Incident: Incident{Page: id}, Ended: true}, true
	}
	var inc Incident
	if err := json.Unmarshal(m.Data(), &inc); err != nil || inc.Page != id || ValidMember(inc.Commander) != nil {
		return IncidentEvent{}, false
	}
	return IncidentEvent{Incident: inc}, true
}
